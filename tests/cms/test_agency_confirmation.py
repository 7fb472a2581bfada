"""Agency confirmation without an account: a signed, expiring, single-use link to a named contact; the answer is
attributed, logged and kept as evidence; an unanswered request is escalated to the office exactly once."""

import datetime
import threading
from urllib.parse import unquote, urlsplit

import pytest

from django.core import mail, signing
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Site

from cms.models import (
    AgencyConfirmationRequest,
    Evidence,
    KimSubmission,
    SiteProfile,
    VerdictChoice,
    VerificationEvent,
)
from cms.services.confirmation import (
    CONFIRMATION_SALT,
    CONFIRMATIONS_PER_ADDRESS,
    ConfirmationLinkRefused,
    confirmation_answer,
    confirmation_request_create,
)
from cms.services.confirmation_escalation import confirmations_escalate
from cms.services.submissions import submission_create
from cms.services.verification import pending_counts, verdict_record
from scheduler.tasks import escalate_confirmations
from tests.factories import AgencyFactory
from tests.scheduler.webhookserver import WebhookServer
from tests.submission_support import STORY, TITLE

S = KimSubmission.Status
QUESTION = "Apakah benar jembatan di Desa Tanjung Raja ditutup sejak Senin?"
HOUR = datetime.timedelta(hours=1)


def _in_verification(intake, **overrides) -> KimSubmission:
    submission = submission_create(
        group=intake["group"],
        contributor_name="Siti Aminah",
        contributor_phone="0812-3456-7890",
        title=overrides.get("title", TITLE),
        story=STORY,
        category=intake["category"],
        village=intake["village"],
        event_date=datetime.date(2026, 8, 17),
    ).submission
    KimSubmission.objects.filter(pk=submission.pk).update(status=S.IN_VERIFICATION)
    submission.refresh_from_db()
    return submission


@pytest.fixture
def polres(db):
    return AgencyFactory(
        name="Kepolisian Resor Muara Enim",
        abbreviation="Polres",
        contact_name="AKP Budi Santoso",
        contact_email="humas@polres-muaraenim.example.id",
        contact_phone="0812-7000-1234",
    )


@pytest.fixture
def site_profile(db):
    profile = SiteProfile.for_site(Site.objects.get(is_default_site=True))
    profile.office_name = "Diskominfo Kabupaten Balangan"
    profile.time_zone = "Asia/Makassar"  # WITA
    profile.phone = "0526 2028000"
    profile.email = "diskominfo@balangan.example.go.id"
    profile.save()
    return profile


def _ask(submission, actor, *, agency=None, due_in=2 * HOUR, **contact):
    return confirmation_request_create(
        submission=submission,
        actor=actor,
        agency=agency,
        question=QUESTION,
        due_at=timezone.now() + due_in,
        **contact,
    )


def _path(link) -> str:
    return urlsplit(link.url).path


def _en(link) -> str:
    """The same page in English, for assertions on wording that stay true once the Indonesian is merged."""
    return "/en" + _path(link)


def _token(link) -> str:
    return _path(link).removeprefix("/konfirmasi/").strip("/")


def _overdue(request: AgencyConfirmationRequest, by=HOUR) -> None:
    past = timezone.now() - by
    AgencyConfirmationRequest.objects.filter(pk=request.pk).update(expires_at=past, created_at=past - HOUR)
    KimSubmission.objects.filter(pk=request.submission_id).update(confirmation_due_at=past)


# Asking ------------------------------------------------------------------------------------------------------


def test_asking_mails_the_contact_a_link_and_moves_the_submission_to_awaiting(
    intake, moderator, polres, site_profile, django_capture_on_commit_callbacks
):
    submission = _in_verification(intake)
    with django_capture_on_commit_callbacks(execute=True):
        link = _ask(submission, moderator, agency=polres)
    request = link.request
    # The contact came from the agency's person in charge, because the verifier left it blank.
    assert (request.contact_name, request.contact_email, request.contact_phone) == (
        "AKP Budi Santoso",
        "humas@polres-muaraenim.example.id",
        "0812-7000-1234",
    )
    assert link.url.startswith("http://127.0.0.1:8000/konfirmasi/")
    assert link.emailed is True
    [message] = mail.outbox
    assert message.to == ["humas@polres-muaraenim.example.id"]
    assert link.url in message.body and QUESTION in message.body and TITLE in message.body
    assert "WITA" in message.body, "the deadline is given in the site's own zone"
    assert "Diskominfo Kabupaten Balangan" in message.body
    # Only a digest of the link's secret is stored: the database cannot rebuild the link.
    assert request.token_digest not in link.url and len(request.token_digest) == 64
    submission.refresh_from_db()
    assert submission.status == S.AWAITING_CONFIRMATION
    assert submission.confirmation_agency == polres
    assert submission.confirmation_due_at == request.expires_at
    event = VerificationEvent.objects.get(submission=submission, to_state=S.AWAITING_CONFIRMATION)
    assert event.actor == moderator and "AKP Budi Santoso" in event.note


def test_the_whatsapp_link_carries_the_question_and_the_link(intake, moderator, polres):
    link = _ask(_in_verification(intake), moderator, agency=polres)
    assert link.whatsapp_url.startswith("https://wa.me/6281270001234?text=")
    text = unquote(link.whatsapp_url.split("?text=", 1)[1])
    assert QUESTION in text and link.url in text


def test_a_landline_gets_no_whatsapp_link_and_no_email_means_none_is_sent(intake, moderator):
    link = _ask(_in_verification(intake), moderator, contact_name="Pak Lurah", contact_phone="0734 421234")
    assert link.whatsapp_url == "" and link.emailed is None
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("contact", "due_in", "field"),
    [
        ({}, 2 * HOUR, "contact_email"),  # no agency and no address
        ({"contact_name": "Bu Camat", "contact_email": "bukan alamat"}, 2 * HOUR, "contact_email"),
        ({"contact_name": "Bu Camat", "contact_phone": "nomor saya"}, 2 * HOUR, "contact_phone"),
        ({"contact_email": "camat@example.id"}, 2 * HOUR, "contact_name"),
        ({"contact_name": "Bu Camat", "contact_email": "camat@example.id"}, -HOUR, "due_at"),
    ],
)
def test_a_request_that_cannot_reach_anyone_or_has_no_future_deadline_is_refused(
    intake, moderator, contact, due_in, field
):
    from django.core.exceptions import ValidationError

    submission = _in_verification(intake)
    with pytest.raises(ValidationError) as refused:
        _ask(submission, moderator, due_in=due_in, **contact)
    assert field in refused.value.message_dict
    assert not AgencyConfirmationRequest.objects.exists()
    assert KimSubmission.objects.get(pk=submission.pk).status == S.IN_VERIFICATION


def test_an_agency_without_a_person_in_charge_is_explained(intake, moderator):
    from django.core.exceptions import ValidationError

    bare = AgencyFactory(name="Dinas Tanpa Kontak")
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        _ask(_in_verification(intake), moderator, agency=bare)
    assert "add them to the agency" in refused.value.message_dict["contact_email"][0]


def test_a_different_name_does_not_borrow_the_agency_contact_address(intake, moderator, polres):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        _ask(_in_verification(intake), moderator, agency=polres, contact_name="Kasat Reskrim")
    assert "contact_email" in refused.value.message_dict
    link = _ask(_in_verification(intake), moderator, agency=polres, contact_name="AKP Budi Santoso")
    assert link.request.contact_email == "humas@polres-muaraenim.example.id"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # commits for real, so the e-mail goes in-request
def test_when_the_email_cannot_be_sent_the_verifier_is_told_and_the_link_still_works(
    client, intake, moderator, polres, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    submission = _in_verification(intake)
    client.force_login(moderator)
    due = timezone.localtime(timezone.now() + 2 * HOUR).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        _verification_url(submission),
        {"action": "confirmation", "agency": polres.pk, "question": QUESTION, "due_at": due},
    )
    assert response.context["confirmation_link"].emailed is False
    assert "error-message" in response.content.decode()
    assert "https://wa.me/6281270001234?text=" in response.content.decode(), "WhatsApp is the way left"
    token = urlsplit(response.context["confirmation_link"].url).path.split("/")[2]
    confirmation_answer(token=token, answer="confirms", answered_by_name="AKP Budi Santoso")
    assert KimSubmission.objects.get(pk=submission.pk).status == S.IN_VERIFICATION


def test_only_a_submission_in_verification_can_be_sent_to_an_agency(intake, moderator, editor, polres):
    from django.core.exceptions import PermissionDenied, ValidationError

    submission = _in_verification(intake)
    KimSubmission.objects.filter(pk=submission.pk).update(status=S.TRIAGE)
    with pytest.raises(ValidationError):
        _ask(submission, moderator, agency=polres)
    KimSubmission.objects.filter(pk=submission.pk).update(status=S.IN_VERIFICATION)
    with pytest.raises(PermissionDenied):
        _ask(submission, editor, agency=polres)  # editors triage; only verifiers ask agencies
    assert not AgencyConfirmationRequest.objects.exists()


def test_asking_the_same_contact_again_replaces_the_old_link(client, intake, moderator, polres):
    submission = _in_verification(intake)
    first = _ask(submission, moderator, agency=polres)
    second = _ask(submission, moderator, agency=polres, due_in=5 * HOUR)
    response = client.get(_en(first))
    assert response.status_code == 410
    assert "This link was replaced by a newer one" in response.content.decode()
    assert client.get(_path(second)).status_code == 200
    first.request.refresh_from_db()
    assert first.request.state == AgencyConfirmationRequest.State.REPLACED


# Answering ---------------------------------------------------------------------------------------------------


def test_the_link_works_once_and_the_answer_is_attributed_logged_and_kept_as_evidence(
    client, intake, moderator, polres, site_profile
):
    submission = _in_verification(intake)
    link = _ask(submission, moderator, agency=polres)
    page = client.get(_path(link))
    body = page.content.decode()
    assert page.status_code == 200
    assert QUESTION in body and TITLE in body and "Sejak pukul 07.00 WIB" in body
    assert 'value="AKP Budi Santoso"' in body, "the name of the person answering is prefilled"
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert page["Referrer-Policy"] == "same-origin" and page["Cache-Control"] == "no-store"
    assert "<script" not in body

    answered = client.post(
        _path(link),
        {
            "answer": "denies",
            "comment": "Jembatan <b>tidak</b> ditutup; hanya perbaikan pagar.",
            "answered_by_name": "Bripka Sari",
        },
        REMOTE_ADDR="203.0.113.9",
    )
    assert answered.status_code == 200
    assert "Bripka Sari" in answered.content.decode()
    request = AgencyConfirmationRequest.objects.get()
    assert request.answer == "denies" and request.answered_by_name == "Bripka Sari"
    assert request.comment == "Jembatan tidak ditutup; hanya perbaikan pagar.", "HTML is stripped"
    assert request.answered_ip_hash and "203.0.113.9" not in request.answered_ip_hash
    evidence = Evidence.objects.get(submission=submission)
    assert evidence.kind == Evidence.Kind.AGENCY and evidence.verdict is None and evidence.added_by is None
    for words in (
        "Bripka Sari",
        "Kepolisian Resor Muara Enim",
        "hanya perbaikan pagar",
        "AKP Budi Santoso",
        "moderator",
    ):
        assert words in evidence.text
    event = VerificationEvent.objects.filter(submission=submission).latest("at")
    assert (event.from_state, event.to_state, event.actor) == (S.AWAITING_CONFIRMATION, S.IN_VERIFICATION, None)
    assert "Bripka Sari" in event.note and "Kepolisian Resor Muara Enim" in event.note
    submission.refresh_from_db()
    assert submission.status == S.IN_VERIFICATION

    # The second use is refused, says when it was answered and whom to call; nothing more is recorded.
    for again in (client.get(_en(link)), client.post(_en(link), {"answer": "confirms", "answered_by_name": "X"})):
        text = again.content.decode()
        assert again.status_code == 410
        assert "This request was already answered" in text and "Bripka Sari" in text and "WITA" in text
        assert "0526 2028000" in text and "diskominfo@balangan.example.go.id" in text
    assert Evidence.objects.count() == 1
    assert AgencyConfirmationRequest.objects.get().answer == "denies"


def test_an_expired_link_is_refused_and_records_nothing(client, intake, moderator, polres, site_profile):
    link = _ask(_in_verification(intake), moderator, agency=polres)
    _overdue(link.request)
    response = client.post(_en(link), {"answer": "confirms", "answered_by_name": "AKP Budi Santoso"})
    assert response.status_code == 410
    assert "The deadline of this request has passed" in response.content.decode()
    assert "0526 2028000" in response.content.decode()
    assert not Evidence.objects.exists()
    assert AgencyConfirmationRequest.objects.get().answered_at is None


@pytest.mark.parametrize("spoil", ["signature", "payload", "truncated", "garbage"])
def test_a_tampered_or_cut_link_is_refused(client, intake, moderator, polres, spoil):
    link = _ask(_in_verification(intake), moderator, agency=polres)
    token = _token(link)
    payload, _colon, signature = token.rpartition(":")
    spoiled = {
        "signature": f"{payload}:{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}",
        "payload": f"{token[:3]}{'x' if token[3] != 'x' else 'y'}{token[4:]}",
        "truncated": token[:-10],
        "garbage": "bukan-token",
    }[spoil]
    response = client.get(f"/en/konfirmasi/{spoiled}/")
    assert response.status_code == 404
    assert "This confirmation link does not work" in response.content.decode()
    response = client.post(f"/konfirmasi/{spoiled}/", {"answer": "confirms", "answered_by_name": "X"})
    assert response.status_code == 404
    assert AgencyConfirmationRequest.objects.get().answered_at is None


def test_a_link_for_one_request_cannot_answer_another(intake, moderator, polres):
    submission = _in_verification(intake)
    link_a = _ask(submission, moderator, agency=polres)
    link_b = _ask(submission, moderator, contact_name="Camat Tanjung Raja", contact_email="camat@example.id")
    _pk_a, nonce_a = signing.loads(_token(link_a), salt=CONFIRMATION_SALT)
    # Even a correctly signed token naming B is refused unless it carries B's own secret part.
    forged = signing.dumps([link_b.request.pk, nonce_a], salt=CONFIRMATION_SALT)
    with pytest.raises(ConfirmationLinkRefused) as refused:
        confirmation_answer(token=forged, answer="confirms", answered_by_name="X")
    assert refused.value.reason == ConfirmationLinkRefused.INVALID
    # A token signed for something else (another salt) is not a confirmation link either.
    with pytest.raises(ConfirmationLinkRefused):
        confirmation_answer(token=signing.dumps([link_b.request.pk, nonce_a]), answer="confirms")
    confirmation_answer(token=_token(link_a), answer="confirms", answered_by_name="AKP Budi Santoso")
    assert AgencyConfirmationRequest.objects.get(pk=link_a.request.pk).answer == "confirms"
    assert AgencyConfirmationRequest.objects.get(pk=link_b.request.pk).answered_at is None


def test_an_answer_without_a_choice_is_returned_with_the_reason(client, intake, moderator, polres):
    link = _ask(_in_verification(intake), moderator, agency=polres)
    response = client.post(_en(link), {"comment": "Belum tahu", "answered_by_name": "AKP Budi Santoso"})
    assert response.status_code == 400
    assert "Choose whether you confirm or deny." in response.content.decode()
    assert "Belum tahu" in response.content.decode(), "what was typed is kept"
    assert AgencyConfirmationRequest.objects.get().answered_at is None


def test_the_answered_confirmation_is_the_evidence_a_verdict_needs(intake, moderator, polres, django_user_model):
    submission = _in_verification(intake)
    link = _ask(submission, moderator, agency=polres)
    confirmation_answer(token=_token(link), answer="confirms", answered_by_name="AKP Budi Santoso")
    verdict = verdict_record(submission=submission, verifier=moderator, verdict=VerdictChoice.TRUE)
    assert [e.kind for e in verdict.evidence.all()] == [Evidence.Kind.AGENCY]
    assert KimSubmission.objects.get(pk=submission.pk).status == S.VERDICT_RECORDED


def test_a_link_is_closed_once_the_verdict_is_recorded(client, intake, moderator, polres):
    from cms.services.verification import EvidenceItem

    submission = _in_verification(intake)
    link = _ask(submission, moderator, agency=polres)
    verdict_record(
        submission=submission, verifier=moderator, verdict=VerdictChoice.TRUE, evidence=[EvidenceItem(text="Rilis")]
    )
    response = client.get(_en(link))
    assert response.status_code == 410
    assert "The office has finished verifying this story" in response.content.decode()


def test_a_second_agency_answering_after_the_first_is_logged_without_a_state_change(intake, moderator, polres):
    submission = _in_verification(intake)
    police = _ask(submission, moderator, agency=polres)
    camat = _ask(submission, moderator, contact_name="Camat Tanjung Raja", contact_email="camat@example.id")
    confirmation_answer(token=_token(police), answer="confirms", answered_by_name="AKP Budi Santoso")
    confirmation_answer(token=_token(camat), answer="confirms", answered_by_name="Camat Tanjung Raja")
    assert KimSubmission.objects.get(pk=submission.pk).status == S.IN_VERIFICATION
    assert Evidence.objects.filter(submission=submission, kind=Evidence.Kind.AGENCY).count() == 2
    last = VerificationEvent.objects.filter(submission=submission).latest("at")
    assert (last.from_state, last.to_state) == (S.IN_VERIFICATION, S.IN_VERIFICATION)
    assert "Camat Tanjung Raja" in last.note


def test_the_link_page_is_rate_limited_per_address(client, intake, moderator, polres):
    link = _ask(_in_verification(intake), moderator, agency=polres)
    for _ in range(CONFIRMATIONS_PER_ADDRESS.count):
        assert client.get(_path(link), REMOTE_ADDR="198.51.100.7").status_code == 200
    limited = client.get(_en(link), REMOTE_ADDR="198.51.100.7")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Too many attempts" in limited.content.decode()
    assert client.get(_path(link), REMOTE_ADDR="198.51.100.8").status_code == 200, "another address is not affected"


# Escalation --------------------------------------------------------------------------------------------------


@pytest.fixture
def webhook(settings):
    server = WebhookServer().start()
    settings.SIAR_ALERT_EMAILS = ["diskominfo@example.go.id"]
    settings.SIAR_ALERT_WEBHOOK_URL = server.url
    yield server
    server.stop()


def test_an_overdue_request_is_escalated_once_by_email_and_webhook(
    intake, moderator, polres, webhook, django_capture_on_commit_callbacks
):
    submission = _in_verification(intake)
    overdue = _ask(submission, moderator, agency=polres).request
    not_due = _ask(submission, moderator, contact_name="Camat", contact_email="camat@example.id", due_in=5 * HOUR)
    _overdue(overdue)
    mail.outbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            escalate_confirmations()  # the Celery task, as beat runs it
    [message] = mail.outbox
    assert sorted(message.to) == ["diskominfo@example.go.id", "moderator@example.id"]
    assert TITLE in message.subject and "AKP Budi Santoso" in message.body and submission.receipt in message.body
    assert f"/admin/kim/kiriman/{submission.pk}/verifikasi/" in message.body
    [call] = webhook.received
    assert call["json"]["kind"] == "confirmation_overdue"
    assert call["json"]["submission"]["receipt"] == submission.receipt
    assert call["json"]["request"]["contact"] == "AKP Budi Santoso"
    assert call["headers"]["idempotency-key"] == f"siar-confirmation-{overdue.pk}"
    overdue.refresh_from_db()
    assert overdue.escalated_at is not None and overdue.state == AgencyConfirmationRequest.State.ESCALATED
    assert AgencyConfirmationRequest.objects.get(pk=not_due.request.pk).escalated_at is None
    event = VerificationEvent.objects.filter(submission=submission).latest("at")
    assert event.actor is None and "AKP Budi Santoso" in event.note


def test_answered_replaced_and_closed_requests_are_never_escalated(intake, moderator, polres, webhook):
    from cms.services.verification import EvidenceItem

    answered = _ask(_in_verification(intake), moderator, agency=polres)
    confirmation_answer(token=_token(answered), answer="confirms", answered_by_name="AKP Budi Santoso")
    second = _in_verification(intake, title="Pasar Desa Tanjung Raja Dibuka Kembali Setelah Renovasi")
    replaced = _ask(second, moderator, agency=polres).request
    _ask(second, moderator, agency=polres, due_in=5 * HOUR)
    third = _in_verification(intake, title="Posyandu Desa Tanjung Raja Mendapat Alat Timbang Baru")
    closed = _ask(third, moderator, agency=polres).request
    verdict_record(submission=third, verifier=moderator, verdict=VerdictChoice.TRUE, evidence=[EvidenceItem(text="x")])
    for request in (answered.request, replaced, closed):
        _overdue(request)
    mail.outbox.clear()
    assert confirmations_escalate() == 0
    assert mail.outbox == [] and webhook.received == []


def test_the_dashboard_counts_the_overdue_confirmation(intake, moderator, polres):
    # pending_counts() is what the dashboard's verification panel shows (its markup is another change's).
    link = _ask(_in_verification(intake), moderator, agency=polres)
    assert pending_counts()["overdue"] == 0
    _overdue(link.request)
    assert pending_counts()["overdue"] == 1


def test_beat_runs_the_escalation_every_five_minutes():
    from scheduler.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["escalate-confirmations-every-5-minutes"]
    assert entry["task"] == "scheduler.escalate_confirmations"
    assert entry["schedule"] == datetime.timedelta(minutes=5)
    assert escalate_confirmations.time_limit and escalate_confirmations.soft_time_limit


@pytest.mark.postgres
# serialized_rollback: a plain flush would recreate content types under new ids and break the restore of the
# serialized-rollback tests after it in this file (see tests/conftest.py).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_escalations_alert_each_overdue_request_exactly_once(intake, django_user_model, webhook):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: PostgreSQL")
    from django.contrib.auth.models import Group

    verifier = django_user_model.objects.create_user(username="verifikator", email="verifikator@example.id")
    verifier.groups.add(Group.objects.get(name="Moderators"))
    requests_ = []
    for number in range(5):
        submission = _in_verification(intake, title=f"Kabar desa nomor {number} yang perlu dikonfirmasi")
        requests_.append(_ask(submission, verifier, contact_name=f"Kontak {number}", contact_email=f"k{number}@x.id"))
    for link in requests_:
        _overdue(link.request)
    mail.outbox.clear()
    barrier = threading.Barrier(8)
    outcomes = []

    def escalate():
        try:
            barrier.wait()
            outcomes.append(confirmations_escalate())
        except Exception as error:  # noqa: BLE001 — any other outcome is the bug this test looks for
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=escalate) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(outcomes) == 5, outcomes
    assert len(mail.outbox) == 5
    assert len(webhook.received) == 5
    assert len({call["json"]["message_id"] for call in webhook.received}) == 5
    assert (
        VerificationEvent.objects.filter(note__contains="kantor sudah diberi tahu").count() == 5
    )  # in the office's language


# The admin ---------------------------------------------------------------------------------------------------


def _verification_url(submission) -> str:
    return reverse("cms_submission_verification", args=[submission.pk])


def test_a_moderator_asks_an_agency_in_the_admin_and_sees_the_link_once(
    client, intake, moderator, polres, django_capture_on_commit_callbacks
):
    submission = _in_verification(intake)
    client.force_login(moderator)
    url = _verification_url(submission)
    assert 'value="confirmation"' in client.get(url).content.decode()
    due = timezone.localtime(timezone.now() + 2 * datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "confirmation",
                "agency": polres.pk,
                "question": QUESTION,
                "due_at": due.strftime("%Y-%m-%dT%H:%M"),
            },
        )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    request = AgencyConfirmationRequest.objects.get()
    body = response.content.decode()
    shown = body.split('id="confirmation-link"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert shown.startswith("http://127.0.0.1:8000/konfirmasi/")
    assert "https://wa.me/6281270001234?text=" in body
    assert "humas@polres-muaraenim.example.id" in body
    assert len(mail.outbox) == 1 and shown in mail.outbox[0].body
    assert "confirmation-state--waiting" in body
    submission.refresh_from_db()
    assert submission.status == S.AWAITING_CONFIRMATION
    # The link is never shown again: reloading the page shows the request, not its link.
    again = client.get(url).content.decode()
    assert shown not in again and "confirmation-state--waiting" in again
    # The contact's answer shows up in the list and as gathered evidence.
    confirmation_answer(token=urlsplit(shown).path.split("/")[2], answer="confirms", answered_by_name="AKP Budi")
    after = client.get(url).content.decode()
    assert "confirmation-state--confirmed" in after and "AKP Budi" in after
    assert request.requested_by == moderator


def test_the_admin_refuses_a_past_deadline_and_keeps_what_was_typed(client, intake, moderator, polres):
    submission = _in_verification(intake)
    client.force_login(moderator)
    past = timezone.localtime(timezone.now() - HOUR).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        _verification_url(submission),
        {"action": "confirmation", "agency": polres.pk, "question": QUESTION, "due_at": past},
    )
    assert response.status_code == 200
    assert response.context["confirmation_form"].errors["due_at"]
    assert QUESTION in response.content.decode()
    assert not AgencyConfirmationRequest.objects.exists()
    assert KimSubmission.objects.get(pk=submission.pk).status == S.IN_VERIFICATION


def test_an_editor_is_not_offered_and_cannot_ask_an_agency(client, intake, editor, polres):
    submission = _in_verification(intake)
    client.force_login(editor)
    assert client.get(_verification_url(submission)).context["confirmation_form"] is None
    due = timezone.localtime(timezone.now() + 2 * HOUR).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        _verification_url(submission),
        {"action": "confirmation", "agency": polres.pk, "question": QUESTION, "due_at": due},
    )
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")  # Wagtail's refusal
    assert not AgencyConfirmationRequest.objects.exists()


def test_a_verdict_in_the_admin_may_rest_on_the_agency_answer_alone(client, intake, moderator, polres):
    submission = _in_verification(intake)
    link = _ask(submission, moderator, agency=polres)
    client.force_login(moderator)
    refused = client.post(_verification_url(submission), {"action": "verdict", "verdict": "true"})
    assert refused.status_code == 200 and refused.context["verdict_form"].errors
    confirmation_answer(token=_token(link), answer="confirms", answered_by_name="AKP Budi Santoso")
    response = client.post(_verification_url(submission), {"action": "verdict", "verdict": "true"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == S.VERDICT_RECORDED
    assert [e.kind for e in submission.verdicts.get().evidence.all()] == [Evidence.Kind.AGENCY]


# A phone without JavaScript ----------------------------------------------------------------------------------


@pytest.fixture
def phone_without_javascript(chromium_path, monkeypatch):
    from tests.e2e.conftest import chromium_page

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test's own ORM calls beside Playwright's loop
    with chromium_page(
        chromium_path, viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False
    ) as page:
        yield page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_contact_answers_from_a_phone_without_javascript(live_server, phone_without_javascript, intake, polres):
    from django.contrib.auth.models import Group

    from tests.e2e.conftest import ARTIFACTS

    verifier = Group.objects.get(name="Moderators").user_set.create(username="verifikator-hp")
    submission = _in_verification(intake)
    link = _ask(submission, verifier, agency=polres)
    page = phone_without_javascript
    page.goto(live_server.url + _path(link))
    assert QUESTION in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "konfirmasi-formulir.png", full_page=True)
    page.locator("input[value=denies]").check()
    page.locator("textarea[name=comment]").fill("Tidak benar, jembatan tetap dibuka.")
    page.locator("form:has(textarea[name=comment]) button[type=submit]").click()  # not the header's search
    page.wait_for_load_state()
    page.screenshot(path=ARTIFACTS / "konfirmasi-terima-kasih.png", full_page=True)
    request = AgencyConfirmationRequest.objects.get()
    assert request.answer == "denies", page.content()[:2000]
    assert request.comment == "Tidak benar, jembatan tetap dibuka."
    assert KimSubmission.objects.get(pk=submission.pk).status == S.IN_VERIFICATION
