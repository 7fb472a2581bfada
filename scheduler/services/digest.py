"""The weekly digest: every Monday from 07:00 in the site's zone, the office gets the quiet channels by owner.

Beat works in UTC while each site has its own zone (WIB, WITA or WIT, a site setting), so beat asks every hour
and `digest_send` decides: from Monday 07:00 local time, if this ISO week's digest has not gone out, it goes out
(and a beat that was down on Monday morning catches up later in the week). The `DigestRun` row of the week is
written in the transaction that sends, so it goes out once; a failed send rolls back and is tried the next hour.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scheduler.models import DigestRun, SourceState, WatchedSource
from scheduler.services.alerts import office_emails, owner_label, quiet_days, site_zone, state_label

SEND_FROM = (0, 7)  # Monday, 07:00 local time


def digest_week(local: datetime) -> str:
    year, week, _weekday = local.isocalendar()
    return f"{year}-W{week:02d}"


def digest_due(local: datetime) -> bool:
    """Is it Monday 07:00 or later in this ISO week (local time)?"""
    monday = (local - timedelta(days=local.weekday())).replace(hour=SEND_FROM[1], minute=0, second=0, microsecond=0)
    return local >= monday


def quiet_channels():
    return (
        WatchedSource.objects.filter(is_active=True, state__in=[SourceState.STALE, SourceState.UNREACHABLE])
        .select_related("agency", "kim_group")
        .order_by("name")
    )


def digest_content(*, now: datetime) -> tuple[str, str, int]:
    """(subject, body, number of channels listed), in the active language."""
    zone = site_zone()
    by_owner: dict[str, list[WatchedSource]] = defaultdict(list)
    sources = list(quiet_channels())
    for source in sources:
        by_owner[owner_label(source)].append(source)
    local = now.astimezone(zone)
    subject = ngettext(
        "[%(site)s] Weekly freshness digest %(date)s: %(count)d quiet channel",
        "[%(site)s] Weekly freshness digest %(date)s: %(count)d quiet channels",
        len(sources),
    ) % {"site": settings.WAGTAIL_SITE_NAME, "date": date_format(local, "SHORT_DATE_FORMAT"), "count": len(sources)}
    if not sources:
        lines = [_("Every watched channel is fresh or due this week. Nothing is stale or unreachable.")]
    else:
        lines = [
            _("These channels are stale or unreachable, grouped by owner. Ask each owner to post or fix the address."),
        ]
        for owner in sorted(by_owner, key=str.casefold):
            lines += ["", owner]
            for source in sorted(by_owner[owner], key=lambda s: -quiet_days(s, now)):
                days = quiet_days(source, now)
                quiet = ngettext("quiet for %(days)d day", "quiet for %(days)d days", days) % {"days": days}
                if source.last_item_at:
                    last = _("last item %(date)s") % {
                        "date": date_format(source.last_item_at.astimezone(zone), "SHORT_DATE_FORMAT")
                    }
                else:
                    last = _("no item yet")
                lines.append(f"- {source.name} ({state_label(source.state)}): {quiet}, {last} — {source.url}")
    return subject, "\n".join(lines) + "\n", len(sources)


def digest_send(*, now: datetime | None = None) -> DigestRun | None:
    """Send this week's digest to the office if it is time and it has not gone out yet. Idempotent."""
    now = now or timezone.now()
    recipients = office_emails()
    if not recipients:
        return None
    local = now.astimezone(site_zone())
    if not digest_due(local):
        return None
    week = digest_week(local)
    if DigestRun.objects.filter(week=week).exists():
        return None
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(week=week, sent_at=now)
            with translation.override(settings.LANGUAGE_CODE):
                subject, body, count = digest_content(now=now)
            EmailMessage(subject=subject, body=body, to=recipients).send(fail_silently=False)
            run.channels = count
            run.save(update_fields=["channels"])
    except IntegrityError:
        return None  # a concurrent run sent it
    return run
