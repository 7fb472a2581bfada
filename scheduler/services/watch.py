"""Creating watched sources from the feeds editors already entered on agencies and KIM groups."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from cms.models import Agency, AgencySocialAccount, KimSocialAccount
from scheduler.models import WatchedSource

NAME_MAX = 200


@dataclass(frozen=True)
class WatchResult:
    created: int
    already_watched: int


def _person(name: str, phone: str = "", email: str = "") -> str:
    return " · ".join(part for part in (name, phone, email) if part)[:200]


def _candidates():
    """(url, name, owner fields) for every feed address on agencies, their accounts and KIM accounts."""
    for agency in Agency.objects.exclude(feed_url="").order_by("pk"):
        person = _person(agency.contact_name, agency.contact_phone, agency.contact_email)
        yield agency.feed_url, str(agency), {"agency": agency, "person_in_charge": person}
    agency_accounts = AgencySocialAccount.objects.exclude(feed_url="").select_related("agency").order_by("pk")
    for account in agency_accounts:
        agency = account.agency
        person = _person(agency.contact_name, agency.contact_phone, agency.contact_email)
        name = f"{agency} · {account.get_platform_display()}"
        yield account.feed_url, name, {"agency": agency, "person_in_charge": person}
    for account in KimSocialAccount.objects.exclude(feed_url="").select_related("group").order_by("pk"):
        group = account.group
        person = _person(group.contact_name, group.contact_phone, group.contact_email)
        name = f"{group} · {account.get_platform_display()}"
        yield account.feed_url, name, {"kim_group": group, "person_in_charge": person}


def sources_watch_owner_feeds() -> WatchResult:
    """Watch every agency and KIM feed address not watched yet. Idempotent: the URL is the identity."""
    created = already = 0
    watched = set(WatchedSource.objects.values_list("url", flat=True))
    for url, name, fields in _candidates():
        if url in watched:
            already += 1
            continue
        try:
            with transaction.atomic():
                WatchedSource.objects.create(url=url, name=name[:NAME_MAX], kind=WatchedSource.Kind.FEED, **fields)
        except IntegrityError:  # someone else added it meanwhile
            already += 1
            continue
        watched.add(url)
        created += 1
    return WatchResult(created=created, already_watched=already)
