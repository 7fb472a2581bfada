"""Verification: verdicts, their evidence and the audit trail of every state change, and the publish gate.

A verdict is recorded on exactly one target: a KIM submission, or one revision of a news page. The gate
(``news_revision_publishable`` / ``news_live_save_check``) is the invariant that a news page may only be
live on a revision that carries a publishable verdict; NewsPage.save and NewsPage.publish call it, so every
path that makes a page live (admin, scheduled go-live, bulk actions, workflows, copies, code) meets it.
"""

import contextlib
import json
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import AbstractGroupApprovalTask

from cms.models.submissions import KimSubmission, get_quarantine_storage

CLARIFICATION_PREFIXES = ("[HOAKS]", "[KLARIFIKASI]")


def evidence_file_path(instance, filename: str) -> str:
    # Kept in quarantine under a random name; the extension is the only part of the original name kept.
    extension = "".join(ch for ch in filename.rsplit(".", 1)[-1].lower() if ch.isalnum())[:8] if "." in filename else ""
    return f"bukti/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{'.' + extension if extension else ''}"


class VerdictChoice(models.TextChoices):
    TRUE = "true", _("True")
    PARTLY_TRUE = "partly_true", _("Partly true")
    MISLEADING = "misleading", _("Misleading")
    FALSE = "false", _("False (hoax)")
    UNVERIFIABLE = "unverifiable", _("Cannot be verified")


class HoaxCategory(models.TextChoices):
    """The seven kinds of mis- and disinformation used by Indonesian fact-checkers (after First Draft)."""

    FABRICATED = "fabricated", _("Fabricated content")
    MANIPULATED = "manipulated", _("Manipulated content")
    IMPOSTER = "imposter", _("Imposter content")
    FALSE_CONTEXT = "false_context", _("False context")
    FALSE_CONNECTION = "false_connection", _("False connection")
    MISLEADING = "misleading", _("Misleading content")
    SATIRE = "satire", _("Satire or parody")


# Benar and Sebagian benar publish as information; Salah (Hoaks) and Menyesatkan only as a clarification.
INFORMATION_VERDICTS = frozenset({VerdictChoice.TRUE, VerdictChoice.PARTLY_TRUE})
CLARIFICATION_VERDICTS = frozenset({VerdictChoice.FALSE, VerdictChoice.MISLEADING})


class PublishRefused(PermissionDenied):
    """A news page was to be made live on a revision without a publishable verdict."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "This news item has not been verified: the version to publish carries no publishable verdict. "
                "Submit it to the Verification workflow first."
            )
        )


def is_clarification_title(title: str) -> bool:
    return (title or "").lstrip().upper().startswith(CLARIFICATION_PREFIXES)


class Verdict(models.Model):
    submission = models.ForeignKey(
        KimSubmission,
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="verdicts",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revision"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=VerdictChoice.choices)
    category = models.CharField(_("hoax category"), max_length=20, choices=HoaxCategory.choices, blank=True)
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verifier"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    summary = models.TextField(_("public summary"), blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The verdict of the same content this one repeats (a submission, or an unchanged revision)."),
    )

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        constraints = [
            models.CheckConstraint(
                condition=Q(submission__isnull=False, revision__isnull=True)
                | Q(submission__isnull=True, revision__isnull=False),
                name="cms_verdict_one_target",
            ),
            models.UniqueConstraint(
                fields=["submission"], condition=Q(submission__isnull=False), name="cms_verdict_one_per_submission"
            ),
            models.UniqueConstraint(
                fields=["revision"], condition=Q(revision__isnull=False), name="cms_verdict_one_per_revision"
            ),
            models.CheckConstraint(
                condition=Q(verdict=VerdictChoice.TRUE, category="") | ~Q(verdict=VerdictChoice.TRUE) & ~Q(category=""),
                name="cms_verdict_category_unless_true",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} · {self.submission or self.revision}"

    @property
    def publishable(self) -> bool:
        return self.verdict in INFORMATION_VERDICTS or self.verdict in CLARIFICATION_VERDICTS

    def carry_to(self, revision) -> "Verdict":
        """The same decision, with copies of its evidence, on a revision that holds the verified content."""
        carried = Verdict.objects.create(
            revision=revision,
            verdict=self.verdict,
            category=self.category,
            verifier=self.verifier,
            summary=self.summary,
            carried_from=self,
        )
        for evidence in self.evidence.all():
            Evidence.objects.create(
                verdict=carried, kind=evidence.kind, text=evidence.text, url=evidence.url, file=evidence.file.name or ""
            )
        return carried


class Evidence(models.Model):
    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        LINK = "link", _("Link")
        FILE = "file", _("File")
        AGENCY = "agency", _("Agency confirmation")

    verdict = models.ForeignKey(
        Verdict, verbose_name=_("verdict"), null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    submission = models.ForeignKey(
        KimSubmission,
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("text"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"), storage=get_quarantine_storage, upload_to=evidence_file_path, max_length=200, blank=True
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {(self.text or self.url)[:60]}"


class VerificationEvent(models.Model):
    """One audit row per state change: who, when, from what to what, and why."""

    submission = models.ForeignKey(
        KimSubmission,
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("verification event")
        verbose_name_plural = _("verification events")

    def __str__(self) -> str:
        return f"{self.from_state or '—'} → {self.to_state}"

    @property
    def from_label(self) -> str:
        return event_state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return event_state_label(self.to_state)


# States of the audit trail that are not a submission's status: the news item's own steps.
EVENT_STATE_LABELS = {"draft": _("Draft"), "live": _("Live"), "expired": _("Expired")}


def event_state_label(state: str) -> str:
    """An audit row's from/to as people read it (a submission's status, a verdict, a news item's step)."""
    if state in KimSubmission.Status.values:
        return str(KimSubmission.Status(state).label)
    verdict = state.removeprefix("verdict:")
    if verdict != state and verdict in VerdictChoice.values:
        return str(VerdictChoice(verdict).label)
    return str(EVENT_STATE_LABELS.get(state, state))


# The gate ------------------------------------------------------------------------------------------------

# Keys of a page revision that are bookkeeping, not content: two revisions equal on everything else carry
# the same words, pictures and classification, so a verdict on one holds for the other.
NON_CONTENT_KEYS = frozenset(
    {
        "pk",
        "path",
        "depth",
        "numchild",
        "url_path",
        "content_type",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "live_revision",
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
        "owner",
        "go_live_at",
        "expire_at",
        "expired",
        "alias_of",
        "wagtail_admin_comments",
        "comments",
        "index_entries",
        "translation_key",
        "locale",
    }
)


def _without_block_ids(value):
    """StreamField data without the blocks' ids (a form that does not send them back gets new ones)."""
    if isinstance(value, list):
        return [_without_block_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_block_ids(item) for key, item in value.items() if key != "id" or "type" not in value}
    return value


def revision_content_key(content: dict) -> dict:
    key = {}
    for name, value in content.items():
        if name in NON_CONTENT_KEYS:
            continue
        if isinstance(value, str) and value.startswith("[{"):
            with contextlib.suppress(ValueError):
                value = _without_block_ids(json.loads(value))
        key[name] = value
    return key


def revision_verdict(revision) -> Verdict | None:
    """The verdict recorded on this exact revision, if any."""
    return Verdict.objects.filter(revision_id=revision.pk).first()


def revision_publishable(revision, *, title: str | None = None) -> bool:
    """Whether this revision may be live: a verdict of Benar/Sebagian benar, or Menyesatkan/Salah (Hoaks) with a
    clarification title ([HOAKS]/[KLARIFIKASI]). Tidak dapat diverifikasi never publishes."""
    verdict = revision_verdict(revision)
    if verdict is None:
        return False
    if verdict.verdict in INFORMATION_VERDICTS:
        return True
    if verdict.verdict in CLARIFICATION_VERDICTS:
        return is_clarification_title(title if title is not None else revision.content.get("title", ""))
    return False


def revision_carry_verdict(revision) -> Verdict | None:
    """Carry the newest verdict of this page onto ``revision`` when the content is unchanged.

    The admin's publish button saves a new revision before publishing; if nothing but bookkeeping changed
    since a verified revision, that verdict still describes the words going live, so it is copied (with
    ``carried_from``) onto the new revision. Any content change leaves the revision unverified.
    """
    existing = revision_verdict(revision)
    if existing is not None:
        return existing
    from wagtail.models import Revision

    verified = (
        Verdict.objects.filter(
            revision__base_content_type_id=revision.base_content_type_id,
            revision__object_id=revision.object_id,
            revision__created_at__lte=revision.created_at,
        )
        .exclude(revision_id=revision.pk)
        .select_related("revision")
        .order_by("-revision__created_at", "-pk")
        .first()
    )
    if verified is None:
        return None
    # Only the newest revision before this one may be carried from: a change in between is a change.
    between = Revision.objects.filter(
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        created_at__gt=verified.revision.created_at,
        created_at__lt=revision.created_at,
    )
    target = revision_content_key(revision.content)
    if revision_content_key(verified.revision.content) != target:
        return None
    if any(revision_content_key(other.content) != target for other in between):
        return None
    return verified.carry_to(revision)


def news_live_save_check(page) -> None:
    """Refuse to store a news page as live unless its live revision is its own and carries a publishable verdict.

    Called from NewsPage.save: every way of making a page live ends in that save (Wagtail's publish action,
    scheduled go-live, bulk publish, workflow approval, copy with "publish copies", revision.publish()).
    Saves that leave a live page on the same live revision are not checked again; a new page is stored as
    a draft (it has no revision, so nothing of it can have been verified).
    """
    if not page.live:
        return
    if page.pk is None and not page.alias_of_id:
        # A new page has no revision yet, so nothing verified: it is stored as a draft, whatever it asked for.
        page.live = False
        return
    if page.alias_of_id:
        source = type(page).objects.filter(pk=page.alias_of_id).only("live", "live_revision").first()
        if source is None or not source.live:
            raise PublishRefused()
        return
    if page.pk:
        before = type(page).objects.filter(pk=page.pk).values_list("live", "live_revision_id").first()
        if before and before[0] and before[1] == page.live_revision_id and page.live_revision_id:
            return
    revision = page.live_revision
    if revision is None or str(revision.object_id) != str(page.pk):
        raise PublishRefused()
    if not revision_publishable(revision, title=page.title):
        raise PublishRefused()


# The Verifikasi workflow task ------------------------------------------------------------------------------


class VerificationTask(AbstractGroupApprovalTask):
    """Wagtail workflow step whose approval records our Verdict on the revision under moderation.

    Wagtail's task states are fixed (approved, rejected…), so the verdict lives beside them: approving asks
    for the verdict, its hoax category and evidence. A publishable verdict approves the task (and, as the
    last task, publishes through the gate); Tidak dapat diverifikasi, or a hoax verdict on a page that is not
    titled as a clarification, is recorded and sends the page back for changes.
    """

    def get_actions(self, obj, user):
        if not (user.is_superuser or self._user_in_groups(user)):
            return []
        actions = [("reject", _("Request changes"), True)]
        state = getattr(obj, "current_workflow_task_state", None)
        if state is None or state.revision.user_id != user.pk:  # four eyes: the author does not verify
            actions.append(("approve", _("Record verdict"), True))
        return actions

    def get_form_for_action(self, action):
        if action == "approve":
            from cms.forms import VerdictTaskForm

            return VerdictTaskForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name != "approve":
            return super().on_action(task_state, user, action_name, **kwargs)
        from cms.services.verification import EvidenceItem, verdict_record

        with transaction.atomic():
            evidence = []
            if kwargs.get("evidence_note"):
                evidence.append(EvidenceItem(kind=Evidence.Kind.NOTE, text=kwargs["evidence_note"]))
            if kwargs.get("evidence_url"):
                evidence.append(EvidenceItem(kind=Evidence.Kind.LINK, url=kwargs["evidence_url"]))
            revision = task_state.revision
            verdict = verdict_record(
                revision=revision,
                verifier=user,
                verdict=kwargs.get("verdict", ""),
                category=kwargs.get("category", ""),
                summary=kwargs.get("summary", ""),
                evidence=evidence,
            )
            comment = kwargs.get("comment", "") or verdict.get_verdict_display()
            if revision_publishable(revision):
                task_state.approve(user=user, comment=comment)
            else:
                task_state.reject(user=user, comment=comment)
        return None

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups record the verification verdict, with evidence")

    class Meta:
        verbose_name = _("Verification task")
        verbose_name_plural = _("Verification tasks")
