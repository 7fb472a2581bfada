"""What KIM contributors send: submissions waiting in quarantine, their photos, and the groups' API keys.

A submission arrives through the public form (/kirim/) or the app API and stays here until verification
decides what becomes of it. Nothing in this module is public: the status page shows only the receipt's
public fields (title, group, date received, public status and reason). Photos are stored re-encoded
(cms.services.images) in a storage that no web server serves.
"""

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxLengthValidator, MinLengthValidator, URLValidator
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cms.models.kim import KimGroup
from cms.models.regions import Village
from cms.models.taxonomy import NewsCategory
from cms.validators import validate_phone

# Receipt codes: SIAR-XXXX-XXXX from 30 characters that cannot be confused when read aloud or typed on a
# phone (no 0/O, 1/I/L, U/V pairs): 30^8 ≈ 6.6 × 10^11 codes, drawn by the secrets module.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_PREFIX = "SIAR"
RECEIPT_LENGTH = len(RECEIPT_PREFIX) + 10  # SIAR-7K4P-Q2XM

TITLE_MAX_LENGTH = 200
STORY_MAX_LENGTH = 10_000


def receipt_generate() -> str:
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(8))
    return f"{RECEIPT_PREFIX}-{chars[:4]}-{chars[4:]}"


def receipt_normalise(value: str) -> str | None:
    """SIAR-7K4P-Q2XM from what a person typed (' siar 7k4p q2xm', 'SIAR7K4PQ2XM'); None if it cannot be one."""
    compact = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    if compact.startswith(RECEIPT_PREFIX):
        compact = compact[len(RECEIPT_PREFIX) :]
    if len(compact) != 8 or any(ch not in RECEIPT_ALPHABET for ch in compact):
        return None
    return f"{RECEIPT_PREFIX}-{compact[:4]}-{compact[4:]}"


@deconstructible
class QuarantineStorage(FileSystemStorage):
    """Files under settings.SIAR_QUARANTINE_ROOT (read on every use, so tests may point it elsewhere).

    It has no URL: a quarantined file reaches a browser only through the admin's permission-checked view.
    """

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return str(settings.SIAR_QUARANTINE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Quarantined files have no public URL; use the admin view cms_submission_photo.")


quarantine_storage = QuarantineStorage()


def get_quarantine_storage() -> QuarantineStorage:
    return quarantine_storage


def submission_photo_path(instance, filename: str) -> str:
    # The name is ours, never the contributor's: a random hex name under the month of intake.
    now = timezone.now()
    return f"kiriman/{now:%Y/%m}/{secrets.token_hex(16)}.jpg"


class KimGroupApiKey(models.Model):
    """A key the office issues to one KIM group for the app API. Only its SHA-256 is stored."""

    group = models.ForeignKey(KimGroup, verbose_name=_("KIM group"), on_delete=models.CASCADE, related_name="api_keys")
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("Where the key is used, for example the group's phone.")
    )
    prefix = models.CharField(
        _("key prefix"), max_length=16, unique=True, help_text=_("The start of the key, to recognise it.")
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("KIM API key")
        verbose_name_plural = _("KIM API keys")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.group})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class KimSubmission(models.Model):
    class Status(models.TextChoices):
        """Where the submission stands internally; the allowed moves are in cms.services.verification.TRANSITIONS."""

        RECEIVED = "received", _("Received")
        TRIAGE = "triage", _("In triage")
        REJECTED = "rejected", _("Rejected")
        IN_VERIFICATION = "in_verification", _("In verification")
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting agency confirmation")
        VERDICT_RECORDED = "verdict_recorded", _("Verdict recorded")
        PUBLISHED_INFORMATION = "published_information", _("Published as information")
        PUBLISHED_CLARIFICATION = "published_clarification", _("Published as clarification")
        NOT_PUBLISHED = "not_published", _("Not published")
        CORRECTED = "corrected", _("Corrected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class RejectionReason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
        DUPLICATE = "duplicate", _("Duplicate of another submission")

    class PublicStatus(models.TextChoices):
        """What the contributor sees on the status page; set by verification, never derived by the page."""

        RECEIVED = "received", _("Received")
        IN_VERIFICATION = "in_verification", _("Being verified")
        PUBLISHED = "published", _("Published")
        NOT_PUBLISHED = "not_published", _("Not published")

    class Channel(models.TextChoices):
        FORM = "form", _("Web form")
        API = "api", _("App API")

    receipt = models.CharField(_("receipt code"), max_length=RECEIPT_LENGTH, unique=True, editable=False)
    group = models.ForeignKey(
        KimGroup, verbose_name=_("KIM group"), on_delete=models.PROTECT, related_name="submissions"
    )
    contributor_name = models.CharField(_("contributor name"), max_length=120)
    contributor_phone = models.CharField(_("contributor phone"), max_length=30, validators=[validate_phone])
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH, validators=[MinLengthValidator(5)])
    story = models.TextField(
        _("story"),
        validators=[MinLengthValidator(20), MaxLengthValidator(STORY_MAX_LENGTH)],
        help_text=_("Plain text."),
    )
    category = models.ForeignKey(
        NewsCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="submissions"
    )
    village = models.ForeignKey(Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    event_date = models.DateField(_("date of the event"))
    link = models.URLField(_("link"), max_length=500, blank=True, validators=[URLValidator(schemes=["http", "https"])])

    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmation_due_at = models.DateTimeField(
        _("confirmation due at"), null=True, blank=True, help_text=_("When the asked agency should have answered.")
    )
    confirmation_agency = models.ForeignKey(
        "cms.Agency",
        verbose_name=_("agency asked to confirm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by (user)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Set only when a person with an account sent it; that person may not verify it."),
    )
    public_status = models.CharField(
        _("public status"), max_length=32, choices=PublicStatus.choices, default=PublicStatus.RECEIVED
    )
    public_reason = models.TextField(
        _("public reason"), blank=True, help_text=_("Shown to the contributor when the submission is not published.")
    )
    published_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("published as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.FORM)
    api_key = models.ForeignKey(
        KimGroupApiKey,
        verbose_name=_("API key"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    submitter_ip_hash = models.CharField(
        _("sender address (hashed)"), max_length=64, blank=True, editable=False, db_index=True
    )
    fingerprint = models.CharField(_("content fingerprint"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("KIM submission")
        verbose_name_plural = _("KIM submissions")
        permissions = [
            ("triage_submission", "Can triage KIM submissions"),
            ("verify_submission", "Can verify KIM submissions and news"),
        ]
        indexes = [models.Index(fields=["group", "fingerprint", "created_at"], name="cms_kimsub_dedupe_idx")]

    def __str__(self) -> str:
        return f"{self.receipt} · {self.title}"

    @cached_property
    def published_url(self) -> str:
        page = self.published_page
        if self.public_status != self.PublicStatus.PUBLISHED or page is None or not page.live:
            return ""
        return page.get_url() or ""


class SubmissionPhoto(models.Model):
    submission = models.ForeignKey(
        KimSubmission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="photos"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    file = models.FileField(
        _("file"), storage=get_quarantine_storage, upload_to=submission_photo_path, max_length=200, editable=False
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the stored file"), max_length=64)
    original_name = models.CharField(
        _("original file name"), max_length=255, blank=True, help_text=_("As sent; kept as text only.")
    )

    class Meta:
        ordering = ["submission", "position"]
        verbose_name = _("submission photo")
        verbose_name_plural = _("submission photos")

    def __str__(self) -> str:
        return f"{self.submission.receipt} #{self.position + 1}"


@receiver(post_delete, sender=SubmissionPhoto)
def _delete_quarantined_file(sender, instance: SubmissionPhoto, **kwargs) -> None:
    if instance.file:
        instance.file.storage.delete(instance.file.name)
