"""Agency confirmation without an account: a verifier asks a named contact (police, an OPD) one question about a
submission through a signed, expiring, single-use link; the answer is attributed, logged and kept as evidence.

Only a SHA-256 digest of the link's random part is stored, so the database alone cannot answer a request. The
deadline of the request is the link's expiry; an unanswered request past it is escalated to the office once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models.submissions import KimSubmission
from cms.validators import validate_phone

CONTACT_NAME_MAX = 120
QUESTION_MAX = 2000
COMMENT_MAX = 2000


class AgencyConfirmationRequest(models.Model):
    class Answer(models.TextChoices):
        CONFIRMS = "confirms", _("Confirms")
        DENIES = "denies", _("Denies")

    class State(models.TextChoices):
        """What the admin lists; derived from the timestamps, never stored."""

        WAITING = "waiting", _("Waiting for the answer")
        CONFIRMED = "confirmed", _("Answered: confirms")
        DENIED = "denied", _("Answered: denies")
        EXPIRED = "expired", _("Deadline passed")
        ESCALATED = "escalated", _("Deadline passed, office alerted")
        REPLACED = "replaced", _("Replaced by a newer request")

    submission = models.ForeignKey(
        KimSubmission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="confirmation_requests",
    )
    agency = models.ForeignKey(
        "cms.Agency", verbose_name=_("agency"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_name = models.CharField(_("contact name"), max_length=CONTACT_NAME_MAX)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(
        _("contact phone (WhatsApp)"), max_length=30, blank=True, validators=[validate_phone]
    )
    question = models.TextField(_("question"), max_length=QUESTION_MAX, help_text=_("Plain text."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    expires_at = models.DateTimeField(_("deadline"), help_text=_("The link stops working at this time."))
    token_digest = models.CharField(_("link digest"), max_length=64, unique=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    answered_by_name = models.CharField(_("answered by"), max_length=CONTACT_NAME_MAX, blank=True)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)
    answered_ip_hash = models.CharField(_("answered from (hashed address)"), max_length=64, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    replaced_at = models.DateTimeField(
        _("replaced at"), null=True, blank=True, help_text=_("A newer request to the same contact ended this one.")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("agency confirmation request")
        verbose_name_plural = _("agency confirmation requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(contact_email="") | ~Q(contact_phone=""), name="cms_confirmation_has_contact"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="") | Q(answered_at__isnull=False) & ~Q(answer=""),
                name="cms_confirmation_answer_with_time",
            ),
            # One open request per submission and contact: asking the same person again replaces the old link.
            models.UniqueConstraint(
                fields=["submission", "contact_email", "contact_phone"],
                condition=Q(answered_at__isnull=True, replaced_at__isnull=True),
                name="cms_confirmation_one_open_per_contact",
            ),
        ]
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=Q(answered_at__isnull=True, escalated_at__isnull=True, replaced_at__isnull=True),
                name="cms_confirmation_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission.receipt} · {self.contact_name}"

    @property
    def agency_label(self) -> str:
        return str(self.agency) if self.agency_id else ""

    def state_at(self, now) -> str:
        if self.answered_at:
            return self.State.CONFIRMED if self.answer == self.Answer.CONFIRMS else self.State.DENIED
        if self.replaced_at:
            return self.State.REPLACED
        if self.escalated_at:
            return self.State.ESCALATED
        return self.State.EXPIRED if now >= self.expires_at else self.State.WAITING

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def state_label(self) -> str:
        return str(self.State(self.state).label)
