"""Services (writes) of the editorial model: plain functions called by commands, admin views and tasks."""
