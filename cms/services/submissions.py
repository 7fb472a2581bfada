"""Intake of KIM submissions from the public form and the app API: one service, the same rules for both.

All or nothing: the row, its photos' rows and their files are stored together or not at all (a failure
after a file was written deletes it again). An exact resubmission within DUPLICATE_WINDOW returns the
receipt of the first one instead of storing a copy.
"""

import datetime
import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import KimGroup, KimGroupApiKey, KimSubmission, NewsCategory, SubmissionPhoto, Village
from cms.models.submissions import quarantine_storage, receipt_generate, submission_photo_path
from cms.services.images import PreparedPhoto
from cms.services.ratelimit import SUBMISSIONS_PER_GROUP, ip_hash, limit_hit, limit_peek
from cms.services.text import plain_text

DUPLICATE_WINDOW = datetime.timedelta(hours=24)
API_KEY_PREFIX = "siar_"


class SubmissionRateLimited(Exception):
    def __init__(self, *, scope: str, retry_after: int):
        super().__init__(f"rate limit {scope}: retry after {retry_after} s")
        self.scope = scope
        self.retry_after = retry_after


@dataclass(frozen=True)
class SubmissionResult:
    submission: KimSubmission
    created: bool


def submission_fingerprint(*, group_id: int, title: str, story: str, photo_hashes: Sequence[str]) -> str:
    payload = json.dumps([group_id, title, story, sorted(photo_hashes)], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def submission_find_duplicate(*, group: KimGroup, fingerprint: str) -> KimSubmission | None:
    since = timezone.now() - DUPLICATE_WINDOW
    return (
        KimSubmission.objects.filter(group=group, fingerprint=fingerprint, created_at__gte=since)
        .order_by("created_at")
        .first()
    )


def submission_create(
    *,
    group: KimGroup,
    contributor_name: str,
    contributor_phone: str,
    title: str,
    story: str,
    category: NewsCategory,
    village: Village,
    event_date: datetime.date,
    link: str = "",
    photos: Sequence[PreparedPhoto] = (),
    channel: str = KimSubmission.Channel.FORM,
    ip: str = "",
    api_key: KimGroupApiKey | None = None,
) -> SubmissionResult:
    """Store one submission with its photos (already re-encoded by cms.services.images).

    Raises ValidationError (field → messages) for invalid data and SubmissionRateLimited when the group has
    sent too much; in both cases nothing is stored.
    """
    if not group.is_active:
        raise ValidationError({"group": _("This KIM group is not active. Ask the office to activate it.")})
    if event_date > timezone.localdate() + datetime.timedelta(days=1):
        raise ValidationError({"event_date": _("The date of the event lies in the future. Enter the day it happened.")})
    submission = KimSubmission(
        group=group,
        contributor_name=plain_text(contributor_name),
        contributor_phone=plain_text(contributor_phone),
        title=plain_text(title),
        story=plain_text(story, multiline=True),
        category=category,
        village=village,
        event_date=event_date,
        link=(link or "").strip(),
        channel=channel,
        api_key=api_key,
        submitter_ip_hash=ip_hash(ip) if ip else "",
    )
    submission.fingerprint = submission_fingerprint(
        group_id=group.pk,
        title=submission.title,
        story=submission.story,
        photo_hashes=[photo.source_sha256 for photo in photos],
    )
    submission.receipt = receipt_generate()
    submission.full_clean(validate_unique=False, validate_constraints=False)

    written: list[str] = []
    try:
        with transaction.atomic():
            # One intake at a time per group, so two identical requests racing cannot both be stored.
            KimGroup.objects.select_for_update().filter(pk=group.pk).first()
            duplicate = submission_find_duplicate(group=group, fingerprint=submission.fingerprint)
            if duplicate is not None:
                return SubmissionResult(submission=duplicate, created=False)
            state = limit_peek(SUBMISSIONS_PER_GROUP, str(group.pk))
            if not state.allowed:
                raise SubmissionRateLimited(scope=SUBMISSIONS_PER_GROUP.scope, retry_after=state.retry_after)
            while KimSubmission.objects.filter(receipt=submission.receipt).exists():
                submission.receipt = receipt_generate()
            submission.created_at = timezone.now()
            submission.save()
            for position, photo in enumerate(photos):
                name = quarantine_storage.save(submission_photo_path(None, ""), ContentFile(photo.data))
                written.append(name)
                SubmissionPhoto.objects.create(
                    submission=submission,
                    position=position,
                    file=name,
                    width=photo.width,
                    height=photo.height,
                    size=len(photo.data),
                    sha256=photo.sha256,
                    original_name=photo.original_name,
                )
            # Counted while the group's row is still locked: counted after the commit, the next request
            # of the group could peek before this hit and store one more than the limit (seen on PostgreSQL).
            # Should the commit itself fail, the group is charged one submission too many: the safe side.
            limit_hit(SUBMISSIONS_PER_GROUP, str(group.pk))
    except BaseException:
        for name in written:
            quarantine_storage.delete(name)
        raise
    return SubmissionResult(submission=submission, created=True)


def _api_key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_key_issue(*, group: KimGroup, label: str = "", created_by=None) -> tuple[KimGroupApiKey, str]:
    """A new key for the group. The raw key is returned once and never stored: show it, then forget it."""
    prefix = f"{API_KEY_PREFIX}{secrets.token_hex(4)}"
    raw_key = f"{prefix}_{secrets.token_urlsafe(32)}"
    api_key = KimGroupApiKey.objects.create(
        group=group,
        label=plain_text(label)[:100],
        prefix=prefix,
        key_hash=_api_key_hash(raw_key),
        created_by=created_by,
    )
    return api_key, raw_key


def api_key_revoke(*, api_key: KimGroupApiKey) -> None:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])


def api_key_authenticate(*, raw_key: str) -> KimGroupApiKey | None:
    """The active key (of an active group) matching raw_key, or None."""
    raw_key = (raw_key or "").strip()
    if not raw_key.startswith(API_KEY_PREFIX) or len(raw_key) > 200:
        return None
    api_key = (
        KimGroupApiKey.objects.select_related("group")
        .filter(key_hash=_api_key_hash(raw_key), revoked_at__isnull=True, group__is_active=True)
        .first()
    )
    if api_key is not None:
        now = timezone.now()
        KimGroupApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
