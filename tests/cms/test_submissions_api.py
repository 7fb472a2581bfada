"""The app API: POST /api/v1/submissions/ with a KIM group's key, GET the public status of a receipt."""

import json

import pytest

from django.test import Client

from cms.models import KimSubmission
from cms.services.ratelimit import SUBMISSIONS_PER_ADDRESS
from cms.services.submissions import api_key_issue, api_key_revoke
from tests.factories import KimGroupFactory
from tests.submission_support import API_URL, TITLE, api_data, image_bytes, quarantine_files, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_quarantine")]


@pytest.fixture
def key(intake):
    api_key, raw_key = api_key_issue(group=intake["group"], label="HP sekretaris")
    return api_key, raw_key


def auth(raw_key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"}


def test_the_key_is_stored_only_as_a_hash(key):
    api_key, raw_key = key
    assert raw_key.startswith(api_key.prefix + "_") and len(raw_key) > 40
    assert raw_key not in api_key.key_hash and api_key.key_hash != raw_key


def test_a_submission_with_a_photo_gets_201_and_a_status_url(client, intake, key):
    api_key, raw_key = key
    data = {**api_data(intake), "photos": [upload(image_bytes("JPEG"), "a.jpg"), upload(image_bytes("PNG"), "b.png")]}
    response = client.post(API_URL, data, **auth(raw_key))
    assert response.status_code == 201, response.content
    body = response.json()
    submission = KimSubmission.objects.get()
    assert body["receipt"] == submission.receipt and body["duplicate"] is False
    assert body["status_url"] == f"http://testserver/kirim/status/{submission.receipt}/"
    assert submission.group == intake["group"] and submission.api_key == api_key
    assert submission.channel == KimSubmission.Channel.API
    assert submission.photos.count() == 2 and len(quarantine_files()) == 2
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_the_csrf_exemption_holds_for_the_bearer_endpoint_only(intake, key):
    client = Client(enforce_csrf_checks=True)
    assert client.post(API_URL, api_data(intake), **auth(key[1])).status_code == 201


def test_a_json_body_without_photos_is_accepted(client, intake, key):
    response = client.post(API_URL, json.dumps(api_data(intake)), content_type="application/json", **auth(key[1]))
    assert response.status_code == 201
    garbage = client.post(API_URL, "[1, 2", content_type="application/json", **auth(key[1]))
    assert garbage.status_code == 400 and "error" in garbage.json()


def test_a_duplicate_gets_200_and_the_same_receipt(client, intake, key):
    photo = image_bytes("JPEG")
    first = client.post(API_URL, {**api_data(intake), "photos": [upload(photo)]}, **auth(key[1]))
    second = client.post(API_URL, {**api_data(intake), "photos": [upload(photo)]}, **auth(key[1]))
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["receipt"] == second.json()["receipt"] and second.json()["duplicate"] is True
    assert KimSubmission.objects.count() == 1 and len(quarantine_files()) == 1


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer siar_00000000_unknown", "Basic YWRtaW46YWRtaW4=", "Token x"]
)
def test_without_a_valid_key_the_answer_is_401_in_indonesian(client, intake, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(API_URL, api_data(intake), **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Kunci tidak ada, tidak dikenal, atau sudah dicabut" in response.json()["error"]
    assert not KimSubmission.objects.exists()


def test_a_revoked_key_or_an_inactive_group_gets_401(client, intake, key):
    api_key, raw_key = key
    api_key_revoke(api_key=api_key)
    assert client.post(API_URL, api_data(intake), **auth(raw_key)).status_code == 401
    other = KimGroupFactory(is_active=False)
    _, inactive_key = api_key_issue(group=other)
    assert client.post(API_URL, api_data(intake), **auth(inactive_key)).status_code == 401
    assert not KimSubmission.objects.exists()


def test_validation_errors_are_400_with_field_messages_in_indonesian_or_english(client, intake, key):
    bad = api_data(intake, contributor_phone="abc", category="tidak-ada", village="99.99.99.9999", title="")
    bad["photos"] = [upload(b"<?php echo 1; ?>", "x.php.jpg")]
    response = client.post(API_URL, bad, **auth(key[1]))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"contributor_phone", "category", "village", "title", "photos"}
    assert errors["contributor_phone"][0].startswith("Masukkan nomor telepon Indonesia")
    assert "bukan foto yang dapat kami baca" in errors["photos"][0]
    bad["photos"] = [upload(b"<?php echo 1; ?>", "x.php.jpg")]
    english = client.post(API_URL, bad, HTTP_ACCEPT_LANGUAGE="en", **auth(key[1]))
    assert english.json()["errors"]["contributor_phone"][0].startswith("Enter an Indonesian phone number")
    assert "is not a photo we can read" in english.json()["errors"]["photos"][0]
    assert not KimSubmission.objects.exists() and quarantine_files() == []


def test_the_address_limit_applies_to_the_api_with_429_and_retry_after(client, intake, key):
    for number in range(SUBMISSIONS_PER_ADDRESS.count):
        assert (
            client.post(API_URL, api_data(intake, title=f"Berita aplikasi {number}"), **auth(key[1])).status_code == 201
        )
    response = client.post(API_URL, api_data(intake, title="Satu lagi dari aplikasi"), **auth(key[1]))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Coba lagi dalam" in response.json()["error"]


def test_the_public_status_has_nothing_internal(client, intake, key):
    receipt = client.post(API_URL, api_data(intake, link="https://example.com/video"), **auth(key[1])).json()["receipt"]
    response = client.get(f"{API_URL}{receipt}/")
    assert response.status_code == 200
    body = response.json()
    assert body["receipt"] == receipt and body["title"] == TITLE and body["group"] == intake["group"].name
    assert (body["status"], body["status_label"]) == ("received", "Diterima")
    assert body["published_url"] is None and body["reason"] == ""
    assert set(body) == {
        "receipt",
        "title",
        "group",
        "received_at",
        "status",
        "status_label",
        "published_url",
        "reason",
        "status_url",
    }
    text = json.dumps(body)
    for hidden in ["0812", "3456", "Siti", "example.com", "Sejak pukul"]:
        assert hidden not in text, hidden
    assert client.get(f"{API_URL}{receipt.lower()}/").status_code == 200
    missing = client.get(f"{API_URL}SIAR-2222-2222/")
    assert missing.status_code == 404 and "Tidak ada kiriman" in missing.json()["error"]
