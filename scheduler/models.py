"""Watched channels: external feeds (agency websites, village and KIM accounts) polled for freshness.

A `WatchedSource` is one feed Siar only observes. Polling stores its new entries as `FeedItem` rows (links and
plain-text summaries only: nothing from a remote feed is ever stored as HTML) and keeps the source's freshness
state; every change of state is a `StateTransition` row, recorded exactly once, which alerting builds on.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_POLL_INTERVAL = timedelta(hours=1)


class SourceState(models.TextChoices):
    FRESH = "fresh", _("Fresh")
    DUE = "due", _("Due")
    STALE = "stale", _("Stale")
    UNREACHABLE = "unreachable", _("Unreachable")


class PollError(models.TextChoices):
    """Why the last poll failed; shown to editors in their language (the technical detail sits beside it)."""

    NONE = "", _("No error")
    TIMEOUT = "timeout", _("The site did not answer in time")
    CONNECTION = "connection", _("The site could not be reached")
    REDIRECTS = "redirects", _("Too many redirects")
    HTTP = "http", _("The site answered with an error")
    RATE_LIMITED = "rate_limited", _("The site asked us to wait (rate limit)")
    TOO_LARGE = "too_large", _("The response is too large")
    NOT_A_FEED = "not_a_feed", _("The address does not return a feed")
    INVALID_URL = "invalid_url", _("The address is not valid")


class WatchedSource(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", _("Feed (RSS, Atom, YouTube channel)")
        PAGE = "page", _("Part of a web page (not polled yet)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FEED)
    url = models.URLField(_("address (URL)"), max_length=1000, unique=True)
    agency = models.ForeignKey(
        "cms.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="watched_sources",
    )
    kim_group = models.ForeignKey(
        "cms.KimGroup",
        verbose_name=_("KIM group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="watched_sources",
    )
    person_in_charge = models.CharField(
        _("person in charge"), max_length=200, blank=True, help_text=_("Name and contact of whoever keeps it updated.")
    )
    cadence_days = models.PositiveSmallIntegerField(
        _("expected cadence (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("At least one new item is expected this often; beyond it the source is due, beyond twice stale."),
    )
    is_active = models.BooleanField(_("watched"), default=True, help_text=_("Paused sources are not polled."))

    # Conditional GET validators of the last 200 response.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    # Polling schedule: adaptive on success, backing off on failure, honouring Retry-After.
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_ok_at = models.DateTimeField(_("last successful poll"), null=True, blank=True, editable=False)
    next_poll_at = models.DateTimeField(_("next poll"), default=timezone.now, db_index=True, editable=False)
    poll_interval = models.DurationField(_("poll interval"), default=DEFAULT_POLL_INTERVAL, editable=False)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True, editable=False)
    last_error_kind = models.CharField(
        _("last error"), max_length=20, choices=PollError.choices, blank=True, default="", editable=False
    )
    last_error_detail = models.CharField(_("error detail"), max_length=300, blank=True, editable=False)
    # Freshness.
    last_item_at = models.DateTimeField(_("last item"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=12, choices=SourceState.choices, default=SourceState.DUE, db_index=True, editable=False
    )
    created_at = models.DateTimeField(_("watched since"), default=timezone.now, editable=False)

    # Saved on every poll: keeping Wagtail's reference index ("usage") up to date would double the writes.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("watched channel")
        verbose_name_plural = _("watched channels")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=True) | Q(kim_group__isnull=True), name="watchedsource_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.agency_id and self.kim_group_id:
            message = _("Choose an agency or a KIM group as owner, not both.")
            raise ValidationError({"agency": message, "kim_group": message})

    @property
    def owner(self):
        return self.agency or self.kim_group

    @property
    def last_error(self) -> str:
        """The last poll's problem in the reader's language, with the HTTP status when there was one."""
        if not self.last_error_kind:
            return ""
        label = str(self.get_last_error_kind_display())
        return f"{label} (HTTP {self.last_status})" if self.last_error_kind == PollError.HTTP else label


class StateTransition(models.Model):
    """One change of a source's freshness state. Written once per change, in the same transaction."""

    source = models.ForeignKey(
        WatchedSource, verbose_name=_("watched channel"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(_("previous state"), max_length=12, choices=SourceState.choices)
    to_state = models.CharField(_("new state"), max_length=12, choices=SourceState.choices)
    at = models.DateTimeField(_("changed at"), db_index=True)
    # Set, in the transaction that claims the change, when its alert deliveries are created: alerted once.
    alerted_at = models.DateTimeField(_("alerted at"), null=True, blank=True, db_index=True, editable=False)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.source}: {self.from_state} → {self.to_state}"


class FeedItem(models.Model):
    """An entry of a watched feed: a link and a plain-text summary, never the remote HTML."""

    source = models.ForeignKey(
        WatchedSource, verbose_name=_("watched channel"), on_delete=models.CASCADE, related_name="items"
    )
    # sha256 of the entry's identity: its guid/id, else its link, else its title and date.
    key = models.CharField(max_length=64, editable=False)
    title = models.CharField(_("title"), max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    fetched_at = models.DateTimeField(_("fetched"), db_index=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "-fetched_at", "-pk"]
        verbose_name = _("feed item")
        verbose_name_plural = _("feed items")
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="feeditem_unique_key_per_source")]

    def __str__(self) -> str:
        return self.title or self.link or str(_("(untitled)"))


class AlertDelivery(models.Model):
    """One channel's delivery of one transition's alert. Created once per (transition, channel); retried until sent.

    A sent delivery is never sent again; a failed attempt waits `next_attempt_at` (backoff) and is tried by a later
    sweep, so an e-mail that went out is not repeated because the webhook was down, and the reverse.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")

    transition = models.ForeignKey(
        StateTransition, verbose_name=_("state change"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        constraints = [
            models.UniqueConstraint(fields=["transition", "channel"], name="alertdelivery_once_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.transition} · {self.channel}: {self.status}"


class DigestRun(models.Model):
    """The weekly digest of one ISO week (e.g. 2026-W48): its row exists once it was sent, so it goes out once."""

    week = models.CharField(_("week"), max_length=10, unique=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    channels = models.PositiveIntegerField(_("channels listed"), default=0)

    class Meta:
        ordering = ["-week"]
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")

    def __str__(self) -> str:
        return self.week
