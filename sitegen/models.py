"""One row per build of the public site: what it was built from, how it went, whether it is live."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteRelease(models.Model):
    class Status(models.TextChoices):
        BUILDING = "building", _("Building")
        LIVE = "live", _("Live")
        SUPERSEDED = "superseded", _("Superseded")  # a newer release went live; kept for rollback
        ROLLED_BACK = "rolled_back", _("Rolled back")  # taken off the site by a rollback; skipped by the next one
        FAILED = "failed", _("Failed")  # never went live; its files are gone
        REMOVED = "removed", _("Removed")  # was live once; its files were pruned

    class Trigger(models.TextChoices):
        FULL = "full", _("Full build")
        INCREMENTAL = "incremental", _("Incremental build")
        TIMER = "timer", _("Scheduled build")

    name = models.CharField(_("release"), max_length=40, unique=True)  # its directory: releases/<name>
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BUILDING)
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices, default=Trigger.FULL)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration = models.DurationField(_("duration"), null=True, blank=True)
    files_written = models.PositiveIntegerField(_("files written"), default=0)
    files_reused = models.PositiveIntegerField(_("files reused"), default=0)
    files_removed = models.PositiveIntegerField(_("files removed"), default=0)
    bytes_written = models.PositiveBigIntegerField(_("bytes written"), default=0)
    # What the renderer says it built from, e.g. {"pages": {page id: revision id}, "snippets": {...}}: a few hundred
    # kB at 10,000 items, so listings read only the summary, and pruning a release empties it (the summary stays).
    sources = models.JSONField(_("built from"), default=dict, blank=True)
    sources_summary = models.CharField(_("built from"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rolled back by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("site release")
        verbose_name_plural = _("site releases")
        ordering = ["-name"]  # names sort by build time
        permissions = [
            ("build_siterelease", "Can start a build of the public site"),
            ("rollback_siterelease", "Can roll the public site back to an earlier release"),
        ]
        constraints = [
            # `current` is one symlink: the database may not claim two live releases either.
            models.UniqueConstraint(fields=["status"], condition=models.Q(status="live"), name="sitegen_one_live")
        ]

    def __str__(self) -> str:
        return self.name

    def record_sources(self, sources: dict) -> None:
        self.sources = sources
        self.sources_summary = sources_summarise(sources)


def sources_summarise(sources: dict) -> str:
    """'pages: 120, snippets: 4' — the size of each kind of input, short enough for a listing."""
    parts = [
        f"{key}: {len(value)}" if isinstance(value, dict | list) else f"{key}: {value}"
        for key, value in sources.items()
    ]
    return ", ".join(parts)[:255]
