"""The admin side of the intake: KIM menu, the submissions listing, protected photos, issuing API keys."""

import json
import re

import pytest

from django.urls import reverse

from cms.models import KimGroupApiKey, KimSubmission, SubmissionPhoto
from cms.services.submissions import api_key_authenticate
from tests.submission_support import FORM_URL, form_data, image_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_quarantine")]
ADMIN = {"HTTP_HOST": "localhost"}


@pytest.fixture
def submission(client, intake):
    response = client.post(FORM_URL, {**form_data(intake), "photos": [upload(image_bytes("JPEG"), "foto.jpg")]})
    assert response.status_code == 302
    client.logout()
    return KimSubmission.objects.get()


def sidebar_labels(response) -> list[str]:
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    return re.findall(r'"label": "([^"]*)"', props.group(1))


def test_the_kim_menu_groups_groups_submissions_and_keys(client, moderator):
    client.force_login(moderator)
    labels = sidebar_labels(client.get("/admin/", **ADMIN))
    assert {"KIM", "Semua kelompok KIM", "Kiriman KIM", "Kunci API"} <= set(labels), labels


def test_editors_see_submissions_read_only_with_filters(client, editor, submission):
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_cms_kimsubmission:list"), **ADMIN)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert submission.receipt in html and submission.title in html
    assert "Kecamatan" in html or "district" in html.lower()
    assert client.get(reverse("wagtailsnippets_cms_kimsubmission:add"), **ADMIN).status_code == 302  # no add
    edit = client.get(reverse("wagtailsnippets_cms_kimsubmission:edit", args=[submission.pk]), **ADMIN)
    assert edit.status_code == 302  # nobody edits what a contributor sent
    inspect = client.get(reverse("wagtailsnippets_cms_kimsubmission:inspect", args=[submission.pk]), **ADMIN)
    assert inspect.status_code == 200
    photo = SubmissionPhoto.objects.get()
    assert reverse("cms_submission_photo", args=[photo.pk]) in inspect.content.decode()
    assert "0812-3456-7890" in inspect.content.decode()  # the office may call the contributor


def test_quarantined_photos_are_served_only_to_permitted_users(client, editor, outsider, submission):
    photo = SubmissionPhoto.objects.get()
    url = reverse("cms_submission_photo", args=[photo.pk])
    anonymous = client.get(url, **ADMIN)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    client.force_login(outsider)
    assert client.get(url, **ADMIN).status_code in (302, 403)
    client.force_login(editor)
    response = client.get(url, **ADMIN)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert f'filename="{submission.receipt}-1.jpg"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client.get(reverse("cms_submission_photo", args=[photo.pk + 999]), **ADMIN).status_code == 404


def test_a_moderator_issues_a_key_shown_once_and_revokes_it(client, moderator, editor, intake):
    client.force_login(editor)
    assert client.get(reverse("cms_api_key_issue"), **ADMIN).status_code in (302, 403)
    client.force_login(moderator)
    form = client.get(reverse("cms_api_key_issue") + f"?group={intake['group'].pk}", **ADMIN)
    assert form.status_code == 200
    response = client.post(reverse("cms_api_key_issue"), {"group": intake["group"].pk, "label": "HP ketua"}, **ADMIN)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    raw_key = re.search(r'<code id="raw-api-key"[^>]*>([^<]+)</code>', response.content.decode()).group(1)
    api_key = KimGroupApiKey.objects.get()
    assert api_key_authenticate(raw_key=raw_key) == api_key
    assert raw_key not in json.dumps(list(KimGroupApiKey.objects.values()), default=str)
    listing = client.get(reverse("wagtailsnippets_cms_kimgroupapikey:list"), **ADMIN).content.decode()
    assert api_key.prefix in listing and raw_key not in listing
    revoke_url = reverse("cms_api_key_revoke", args=[api_key.pk])
    assert revoke_url in listing
    assert client.post(revoke_url, **ADMIN).status_code == 302
    assert api_key_authenticate(raw_key=raw_key) is None
