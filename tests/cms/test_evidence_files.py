"""Files as evidence in the verification admin: PDF, JPEG, PNG and WebP up to 10 MB, checked by content (pictures
re-encoded, so no metadata survives), refused with a clear message and nothing stored, and served back only to
verifiers as a download that no browser renders in the admin's origin."""

import datetime
import io

import pytest
from PIL import Image

from django.urls import reverse

from wagtail.users.models import UserProfile

from cms.models import Evidence, KimSubmission
from cms.services.evidence_files import EVIDENCE_MAX_BYTES
from cms.services.submissions import submission_create
from tests.submission_support import STORY, TITLE, image_bytes, quarantine_files, upload

S = KimSubmission.Status
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def submission(intake, fresh_quarantine) -> KimSubmission:
    created = submission_create(
        group=intake["group"],
        contributor_name="Siti Aminah",
        contributor_phone="0812-3456-7890",
        title=TITLE,
        story=STORY,
        category=intake["category"],
        village=intake["village"],
        event_date=datetime.date(2026, 8, 17),
    ).submission
    KimSubmission.objects.filter(pk=created.pk).update(status=S.IN_VERIFICATION)
    created.refresh_from_db()
    return created


@pytest.fixture
def verifier(client, moderator):
    """A moderator reading the admin in English, so the assertions hold before and after translation."""
    profile = UserProfile.get_for_user(moderator)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(moderator)
    return moderator


def _url(submission) -> str:
    return reverse("cms_submission_verification", args=[submission.pk])


def _exif_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {1: "S", 2: (3.0, 39.0, 0.0)}  # GPS
    return image_bytes("JPEG", exif=exif.tobytes())


def _add(client, submission, file_upload, **fields):
    return client.post(_url(submission), {"action": "evidence", "evidence_file": file_upload, **fields})


def _download(client, evidence):
    return client.get(reverse("cms_evidence_file", args=[evidence.pk]))


def test_a_pdf_is_kept_as_sent_and_downloaded_by_a_verifier_as_an_attachment(client, submission, verifier):
    response = _add(client, submission, upload(PDF, "surat-polres.pdf", "application/pdf"), evidence_note="Surat resmi")
    assert response.status_code == 302
    file, note = Evidence.objects.filter(submission=submission).order_by("kind")
    assert (file.kind, note.kind, note.text) == (Evidence.Kind.FILE, Evidence.Kind.NOTE, "Surat resmi")
    assert file.file.name.endswith(".pdf") and "surat-polres" not in file.file.name
    assert file.added_by == verifier and file.verdict is None
    assert len(quarantine_files()) == 1
    download = _download(client, file)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert f"bukti-{submission.receipt}-{file.pk}.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"] and "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == PDF
    page = client.get(_url(submission)).content.decode()
    assert reverse("cms_evidence_file", args=[file.pk]) in page


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (_exif_jpeg(), "tangkapan.jpg"),
        (image_bytes("PNG"), "tangkapan.png"),
        (image_bytes("WEBP"), "tangkapan.webp"),
        (image_bytes("PNG"), "tangkapan-tanpa-ekstensi"),  # recognised by content, not by name
    ],
)
def test_pictures_are_re_encoded_without_their_metadata(client, submission, verifier, data, name):
    assert _add(client, submission, upload(data, name, "application/octet-stream")).status_code == 302
    evidence = Evidence.objects.get(submission=submission)
    assert evidence.file.name.endswith(".jpg")
    stored = b"".join(_download(client, evidence).streaming_content)
    with Image.open(io.BytesIO(stored)) as picture:
        assert picture.format == "JPEG" and picture.size == (800, 600)
        assert not picture.getexif()
    assert b"KameraRahasia" not in stored


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "surat.pdf", "is not a PDF, JPEG, PNG or WebP file"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "bagan.svg", "is not a PDF"),
        (image_bytes("GIF"), "animasi.gif", "is not a PDF, JPEG, PNG or WebP file"),
        (b"MZ\x90\x00" + b"\x00" * 100, "program.exe", "is not a PDF, JPEG, PNG or WebP file"),
        (b"\x89PNG\r\n\x1a\n" + b"rusak" * 20, "rusak.png", "is damaged or incomplete"),
        (b"", "kosong.pdf", "The submitted file is empty."),  # Django's own check comes first
        (b"%PDF-1.4\n" + b"0" * EVIDENCE_MAX_BYTES, "besar.pdf", "is larger than 10 MB"),
    ],
)
def test_other_files_are_refused_with_the_reason_and_nothing_is_stored(
    client, submission, verifier, data, name, message
):
    response = _add(client, submission, upload(data, name, "application/pdf"), evidence_note="Ikut terkirim")
    assert response.status_code == 200
    assert response.context["evidence_form"].errors["evidence_file"]
    assert message in response.content.decode()
    assert not Evidence.objects.exists(), "not even the note that came with it"
    assert quarantine_files() == []


def test_the_add_evidence_form_needs_something(client, submission, verifier):
    response = client.post(_url(submission), {"action": "evidence"})
    assert "Add a note, a link or a file." in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_verdict_may_rest_on_a_file_alone(client, submission, verifier):
    response = client.post(
        _url(submission),
        {"action": "verdict", "verdict": "true", "evidence_file": upload(PDF, "rilis.pdf", "application/pdf")},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == S.VERDICT_RECORDED
    [evidence] = submission.verdicts.get().evidence.all()
    assert evidence.kind == Evidence.Kind.FILE and evidence.file.name.endswith(".pdf")
    assert reverse("cms_evidence_file", args=[evidence.pk]) in client.get(_url(submission)).content.decode()


def test_a_verdict_with_a_refused_file_records_nothing(client, submission, verifier):
    response = client.post(
        _url(submission),
        {"action": "verdict", "verdict": "true", "evidence_file": upload(b"<html></html>", "x.pdf")},
    )
    assert response.status_code == 200
    assert "is not a PDF, JPEG, PNG or WebP file" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == S.IN_VERIFICATION and not submission.verdicts.exists()
    assert quarantine_files() == []


def test_a_verdict_without_any_evidence_says_what_counts(client, submission, verifier):
    response = client.post(_url(submission), {"action": "verdict", "verdict": "true"})
    assert "a note, a link, a file or an agency&#x27;s answer" in response.content.decode()
    assert not KimSubmission.objects.get(pk=submission.pk).verdicts.exists()


def test_evidence_files_are_served_only_to_verifiers(client, submission, moderator, editor, outsider):
    client.force_login(moderator)
    _add(client, submission, upload(PDF, "surat.pdf", "application/pdf"))
    evidence = Evidence.objects.get()
    url = reverse("cms_evidence_file", args=[evidence.pk])
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    for person in (outsider, editor):  # an editor triages submissions but does not verify them
        client.force_login(person)
        refused = client.get(url)
        assert refused.status_code in (302, 403) and not getattr(refused, "streaming", False)
    client.force_login(moderator)
    assert _download(client, evidence).status_code == 200
    assert client.get(reverse("cms_evidence_file", args=[evidence.pk + 999])).status_code == 404
    note = Evidence.objects.create(submission=submission, kind=Evidence.Kind.NOTE, text="Tanpa berkas")
    assert _download(client, note).status_code == 404
