"""Addresses of the dynamic public endpoints (Indonesian paths; English ones under /en/ via i18n_patterns)."""

from django.urls import path

from cms.views import confirmation, search, submissions

public_urlpatterns = [
    path("kirim/", submissions.submission_form, name="submission_form"),
    path("kirim/terima-kasih/<str:receipt>/", submissions.submission_thanks, name="submission_thanks"),
    path("kirim/status/", submissions.submission_status_lookup, name="submission_status_lookup"),
    path("kirim/status/<str:receipt>/", submissions.submission_status, name="submission_status"),
    path("konfirmasi/<str:token>/", confirmation.confirmation_answer_view, name="confirmation_answer"),
    path("cari/", search.search, name="search"),  # dynamic: the static tree has no file here (decision 7)
]

api_urlpatterns = [
    path("api/v1/submissions/", submissions.api_submission_create, name="api_submission_create"),
    path("api/v1/submissions/<str:receipt>/", submissions.api_submission_status, name="api_submission_status"),
]
