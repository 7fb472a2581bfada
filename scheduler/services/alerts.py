"""Freshness alerts: each state change alerted exactly once, per channel (e-mail, webhook), retried with backoff.

Two steps, each safe to run twice or concurrently:

1. **Claim** — in one transaction, take the changes not alerted yet (`SELECT … FOR UPDATE SKIP LOCKED` on
   PostgreSQL), create one `AlertDelivery` per configured channel and stamp the change `alerted_at`. A change is
   claimed by one sweep only; the unique (change, channel) constraint is the safety net.
2. **Deliver** — each pending delivery whose time has come is locked (skip locked: a concurrent sweep passes it
   by), sent, and marked sent in the same transaction. A failure waits with exponential backoff and is tried by
   a later sweep; a delivered channel is never sent again, whatever happens to the other one.
"""

import logging
import time
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scheduler.models import AlertDelivery, SourceState, StateTransition, WatchedSource

logger = logging.getLogger(__name__)

BATCH = 200
WEBHOOK_TIMEOUT = 5.0  # seconds, connect and read
MAX_ATTEMPTS = 12  # 1, 2, 4 … 60 minutes apart: about seven hours of trying before giving up
BACKOFF_CAP = timedelta(hours=1)
SEND_BUDGET = 90.0  # seconds of sending per sweep; the task's soft limit is 100, the next minute continues
WEBHOOK_EVENT = "siar.channel.state_changed"


@dataclass(frozen=True)
class SweepResult:
    claimed: int
    sent: int
    failed: int


def site_zone() -> zoneinfo.ZoneInfo:
    """The default site's zone (WIB/WITA/WIT from its site profile); the server's zone without a site."""
    from wagtail.models import Site

    from cms.models import SiteProfile

    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return zoneinfo.ZoneInfo(SiteProfile.for_site(site).time_zone)
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 1, 2, 4 … minutes, at most an hour."""
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), BACKOFF_CAP)


def owner_emails(source: WatchedSource) -> list[str]:
    """The owner's address: the agency's person in charge (else the agency's own), or the KIM group's contact."""
    if source.agency_id:
        return [address for address in (source.agency.contact_email or source.agency.email,) if address]
    if source.kim_group_id:
        return [source.kim_group.contact_email] if source.kim_group.contact_email else []
    return []


def office_emails() -> list[str]:
    return [address.strip() for address in settings.SIAR_ALERT_EMAILS if address.strip()]


def email_recipients(source: WatchedSource) -> list[str]:
    recipients = []
    for address in owner_emails(source) + office_emails():
        if address.lower() not in {known.lower() for known in recipients}:
            recipients.append(address)
    return recipients


def admin_url(source: WatchedSource) -> str:
    path = reverse("wagtailsnippets_scheduler_watchedsource:inspect", args=(source.pk,))
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def quiet_days(source: WatchedSource, now: datetime) -> int:
    """Whole days since the newest item (or since watching began, for a channel that never posted)."""
    reference = source.last_item_at or source.created_at
    return max(0, (now - reference).days)


def state_label(state: str) -> str:
    return str(SourceState(state).label)


def owner_label(source: WatchedSource) -> str:
    owner = source.owner
    return str(owner) if owner is not None else _("No owner")


# ----------------------------------------------------------------------------------------------------------------
# Messages (in the site's language: Bahasa Indonesia by default)
# ----------------------------------------------------------------------------------------------------------------


def _next_step(transition: StateTransition, source: WatchedSource) -> str:
    if transition.to_state == SourceState.FRESH:
        return _("The channel is posting again. Nothing to do; thank you.")
    if transition.to_state == SourceState.DUE:
        return ngettext(
            "Please post an update soon: after %(days)d day without a new item the channel becomes stale.",
            "Please post an update soon: after %(days)d days without a new item the channel becomes stale.",
            source.cadence_days * 2,
        ) % {"days": source.cadence_days * 2}
    if transition.to_state == SourceState.STALE:
        return _(
            "Please post an update now. If the channel is no longer used, tell the communication office so that "
            "it is paused in Siar instead of showing residents old news."
        )
    return _(
        "Siar could not read the channel %(failures)d times in a row (%(error)s). Check that the address still "
        "works, or send the communication office the new address."
    ) % {"failures": source.consecutive_failures, "error": source.last_error or _("unknown error")}


def alert_subject(transition: StateTransition) -> str:
    return _("[%(site)s] Channel %(name)s: %(from)s → %(to)s") % {
        "site": settings.WAGTAIL_SITE_NAME,
        "name": transition.source.name,
        "from": state_label(transition.from_state).lower(),
        "to": state_label(transition.to_state).lower(),
    }


def alert_body(transition: StateTransition, *, now: datetime) -> str:
    source = transition.source
    zone = site_zone()
    days = quiet_days(source, now)
    lines = [
        _("The channel %(name)s (%(url)s) changed from %(from)s to %(to)s on %(at)s.")
        % {
            "name": source.name,
            "url": source.url,
            "from": state_label(transition.from_state),
            "to": state_label(transition.to_state),
            "at": date_format(transition.at.astimezone(zone), "DATETIME_FORMAT"),
        },
        "",
        _("Owner: %(owner)s") % {"owner": owner_label(source)},
    ]
    if source.person_in_charge:
        lines.append(_("Person in charge: %(person)s") % {"person": source.person_in_charge})
    if source.last_item_at:
        lines.append(
            ngettext(
                "Last new item: %(date)s, %(days)d day ago.",
                "Last new item: %(date)s, %(days)d days ago.",
                days,
            )
            % {"date": date_format(source.last_item_at.astimezone(zone), "DATETIME_FORMAT"), "days": days}
        )
    else:
        lines.append(
            ngettext(
                "No item has been seen from this channel since it was first watched, %(days)d day ago.",
                "No item has been seen from this channel since it was first watched, %(days)d days ago.",
                days,
            )
            % {"days": days}
        )
    lines.append(
        ngettext(
            "Expected: at least one new item every %(days)d day.",
            "Expected: at least one new item every %(days)d days.",
            source.cadence_days,
        )
        % {"days": source.cadence_days}
    )
    lines += ["", _("What to do next: %(step)s") % {"step": _next_step(transition, source)}, ""]
    lines.append(_("Details in Siar: %(url)s") % {"url": admin_url(source)})
    return "\n".join(lines) + "\n"


def webhook_payload(transition: StateTransition, *, now: datetime) -> dict:
    source = transition.source
    return {
        "event": WEBHOOK_EVENT,
        "source": {
            "id": source.pk,
            "name": source.name,
            "url": source.url,
            "kind": source.kind,
            "owner": owner_label(source),
            "cadence_days": source.cadence_days,
            "days_since_update": quiet_days(source, now),
        },
        "from": transition.from_state,
        "to": transition.to_state,
        "at": transition.at.isoformat(),
        "url_admin": admin_url(source),
        "message_id": f"siar-transition-{transition.pk}",
        "message": alert_subject(transition),
    }


# ----------------------------------------------------------------------------------------------------------------
# Claiming and delivering
# ----------------------------------------------------------------------------------------------------------------


def _channels_for(transition: StateTransition) -> list[str]:
    if _is_first_sighting(transition):
        return []
    channels = []
    if email_recipients(transition.source):
        channels.append(AlertDelivery.Channel.EMAIL)
    if settings.SIAR_ALERT_WEBHOOK_URL:
        channels.append(AlertDelivery.Channel.WEBHOOK)
    return channels


def _is_first_sighting(transition: StateTransition) -> bool:
    """A new source's first successful poll (due → fresh, nothing before): news to nobody, so not alerted."""
    return (
        transition.from_state == SourceState.DUE
        and transition.to_state == SourceState.FRESH
        and not StateTransition.objects.filter(source_id=transition.source_id, pk__lt=transition.pk).exists()
    )


def transitions_claim(*, now: datetime) -> int:
    """Create the deliveries of every change not alerted yet and mark it alerted, in one transaction."""
    with transaction.atomic():
        claimed = list(
            StateTransition.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(alerted_at__isnull=True)
            .select_related("source__agency", "source__kim_group")
            .order_by("pk")[:BATCH]
        )
        deliveries = [
            AlertDelivery(transition=transition, channel=channel, next_attempt_at=now)
            for transition in claimed
            for channel in _channels_for(transition)
        ]
        AlertDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        StateTransition.objects.filter(pk__in=[transition.pk for transition in claimed]).update(alerted_at=now)
    return len(claimed)


def _send_email(delivery: AlertDelivery, *, now: datetime) -> None:
    transition = delivery.transition
    recipients = email_recipients(transition.source)
    if not recipients:
        raise DeliveryError("no recipient")
    message = EmailMessage(
        subject=alert_subject(transition),
        body=alert_body(transition, now=now),
        to=recipients,
        headers={"X-Siar-Message-Id": f"siar-transition-{transition.pk}"},
    )
    message.send(fail_silently=False)


def _send_webhook(delivery: AlertDelivery, *, now: datetime) -> None:
    url = settings.SIAR_ALERT_WEBHOOK_URL
    if not url:
        raise DeliveryError("no webhook address (SIAR_ALERT_WEBHOOK_URL)")
    payload = webhook_payload(delivery.transition, now=now)
    response = requests.post(
        url,
        json=payload,
        timeout=WEBHOOK_TIMEOUT,
        allow_redirects=False,
        headers={"User-Agent": "Siar-alerts/1.0", "Idempotency-Key": payload["message_id"]},
    )
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"HTTP {response.status_code}")


class DeliveryError(Exception):
    pass


SENDERS = {AlertDelivery.Channel.EMAIL: _send_email, AlertDelivery.Channel.WEBHOOK: _send_webhook}


def delivery_send(*, delivery_id: int, now: datetime) -> str | None:
    """Send one delivery if it is still pending and due. Returns its new status, or None if it was not ours."""
    with transaction.atomic():
        delivery = (
            AlertDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("transition__source__agency", "transition__source__kim_group")
            .filter(pk=delivery_id, status=AlertDelivery.Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None  # sent meanwhile, or another sweep holds it
        delivery.attempts += 1
        try:
            with translation.override(settings.LANGUAGE_CODE):
                SENDERS[delivery.channel](delivery, now=now)
        except Exception as error:  # noqa: BLE001 - any failure of the channel is retried later
            delivery.last_error = (str(error) or error.__class__.__name__)[:300]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = AlertDelivery.Status.FAILED
                logger.error("Alert %s gave up after %d attempts: %s", delivery, delivery.attempts, error)
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
                logger.warning("Alert %s failed (attempt %d): %s", delivery, delivery.attempts, error)
        else:
            delivery.status = AlertDelivery.Status.SENT
            delivery.sent_at = now
            delivery.last_error = ""
        delivery.save(update_fields=["attempts", "status", "next_attempt_at", "sent_at", "last_error"])
        return delivery.status


def alerts_send(*, now: datetime | None = None, budget: float = SEND_BUDGET) -> SweepResult:
    """One sweep: claim new changes, then send what is pending and due (within a time budget)."""
    now = now or timezone.now()
    claimed = transitions_claim(now=now)
    pending = list(
        AlertDelivery.objects.filter(status=AlertDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    deadline = time.monotonic() + budget
    sent = failed = 0
    for delivery_id in pending:
        if time.monotonic() > deadline:
            break  # the next sweep continues
        status = delivery_send(delivery_id=delivery_id, now=now)
        if status == AlertDelivery.Status.SENT:
            sent += 1
        elif status is not None:
            failed += 1
    return SweepResult(claimed=claimed, sent=sent, failed=failed)
