"""Public views of Siar that are dynamic: the KIM submission form, its receipt and status pages, the API."""
