"""Forms of the public KIM submission endpoints: the web form (/kirim/) and the app API share the fields.

Labels and messages are English msgids; contributors see them in Bahasa Indonesia (locale/id).
"""

import time

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from cms.models import AgencyConfirmationRequest, HoaxCategory, KimGroup, NewsCategory, VerdictChoice, Village
from cms.models.confirmation import COMMENT_MAX, CONTACT_NAME_MAX
from cms.models.submissions import STORY_MAX_LENGTH, TITLE_MAX_LENGTH, receipt_normalise
from cms.services.images import MAX_PHOTO_BYTES, MAX_PHOTOS, photos_prepare
from cms.services.text import plain_text
from cms.validators import validate_phone

FORM_TOKEN_SALT = "siar.kirim.form-token"  # noqa: S105 - a signing salt, not a secret
FORM_MIN_SECONDS = 3  # a person needs longer than this to fill the form in
FORM_MAX_SECONDS = 2 * 60 * 60
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "started"  # noqa: S105 - a field name
PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif,.jpg,.jpeg,.png,.webp,.heic,.heif"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's "Uploading multiple files" recipe); checked later by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": PHOTO_TYPES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [upload for upload in files if upload]


def form_token_issue() -> str:
    return signing.dumps({"t": time.time()}, salt=FORM_TOKEN_SALT, compress=True)


def form_token_problem(value: str | None) -> str | None:
    """None when the token is genuine and its age is human; else 'invalid', 'too_fast' or 'expired'."""
    try:
        issued = signing.loads(value or "", salt=FORM_TOKEN_SALT, max_age=FORM_MAX_SECONDS)["t"]
    except signing.SignatureExpired:
        return "expired"
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return "invalid"
    age = time.time() - float(issued)
    if age < FORM_MIN_SECONDS:
        return "too_fast"
    return "expired" if age > FORM_MAX_SECONDS else None


def _plain_field(form, name: str, *, minimum: int, message, multiline: bool = False) -> str:
    value = plain_text(form.cleaned_data.get(name, ""), multiline=multiline)
    if len(value) < minimum:
        raise ValidationError(message, code="too_short", params={"minimum": minimum})
    return value


class SubmissionForm(forms.Form):
    """The fields of a submission, without the group (the web form asks for it; the API key decides it)."""

    contributor_name = forms.CharField(
        label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contributor_phone = forms.CharField(
        label=_("Your phone or WhatsApp number"),
        max_length=30,
        validators=[validate_phone],
        help_text=_("The office may call you to check the story. It is never published."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    story = forms.CharField(
        label=_("Story"),
        max_length=STORY_MAX_LENGTH,
        help_text=_("What happened, where, when and who was there. Plain text; formatting is removed."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=NewsCategory.objects.all(), empty_label=_("— choose a category —")
    )
    village = forms.ModelChoiceField(
        label=_("Village where it happened"),
        queryset=Village.objects.select_related("district"),
        empty_label=_("— choose a village —"),
    )
    event_date = forms.DateField(
        label=_("Date of the event"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"],
        help_text=_("For example 17/08/2026."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
    )
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A video or post about the event, starting with https://"),
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = _(
            "Up to %(count)d photos (JPEG, PNG, WebP or HEIC), at most %(megabytes)d MB each."
        ) % {"count": MAX_PHOTOS, "megabytes": MAX_PHOTO_BYTES // (1024 * 1024)}

    def clean_contributor_name(self):
        return _plain_field(
            self, "contributor_name", minimum=2, message=_("Write your name (at least %(minimum)d letters).")
        )

    def clean_title(self):
        return _plain_field(self, "title", minimum=5, message=_("Write a title of at least %(minimum)d characters."))

    def clean_story(self):
        return _plain_field(
            self,
            "story",
            minimum=20,
            multiline=True,
            message=_("Tell the story in at least %(minimum)d characters: what happened, where and when."),
        )

    def clean_photos(self):
        return photos_prepare(self.cleaned_data.get("photos") or [])


class PublicSubmissionForm(SubmissionForm):
    """The web form: the group is chosen, plus a honeypot and a time trap against scripts."""

    group = forms.ModelChoiceField(
        label=_("Your KIM group"),
        queryset=KimGroup.objects.filter(is_active=True).select_related("village"),
        empty_label=_("— choose your KIM group —"),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = [
        "group",
        "contributor_name",
        "contributor_phone",
        "title",
        "story",
        "category",
        "village",
        "event_date",
        "photos",
        "link",
        "website",
        "started",
    ]


class ApiSubmissionForm(SubmissionForm):
    """The API names categories by slug and villages by their Kemendagri code, which do not change."""

    category = forms.ModelChoiceField(queryset=NewsCategory.objects.all(), to_field_name="slug")
    village = forms.ModelChoiceField(queryset=Village.objects.all(), to_field_name="code")


class ReceiptLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("For example SIAR-7K4P-Q2XM."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self):
        receipt = receipt_normalise(self.cleaned_data["code"])
        if receipt is None:
            raise ValidationError(
                _("This is not a receipt code. It looks like SIAR-7K4P-Q2XM: check it and try again."),
                code="invalid_receipt",
            )
        return receipt


class VerdictTaskForm(forms.Form):
    """What the Verifikasi workflow task asks when a verifier approves: the verdict and its evidence."""

    verdict = forms.ChoiceField(label=_("Verdict"), choices=VerdictChoice.choices)
    category = forms.ChoiceField(
        label=_("Hoax category"),
        choices=[("", "—")] + list(HoaxCategory.choices),
        required=False,
        help_text=_("Required for every verdict but True."),
    )
    summary = forms.CharField(label=_("Public summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence_note = forms.CharField(label=_("Evidence: note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence_url = forms.URLField(label=_("Evidence: link"), required=False, assume_scheme="https")
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("verdict") and data["verdict"] != VerdictChoice.TRUE and not data.get("category"):
            self.add_error("category", _("Choose the hoax category for any verdict but True."))
        if data.get("verdict") == VerdictChoice.TRUE and data.get("category"):
            self.add_error("category", _("A True verdict has no hoax category."))
        if not (data.get("evidence_note") or data.get("evidence_url")):
            raise ValidationError(_("A verdict needs at least one piece of evidence: a note or a link."))
        return data


class ConfirmationAnswerForm(forms.Form):
    """What an agency's contact answers through a confirmation link (no account; cms.services.confirmation)."""

    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (AgencyConfirmationRequest.Answer.CONFIRMS, _("I confirm it")),
            (AgencyConfirmationRequest.Answer.DENIES, _("I deny it")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you confirm or deny.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        help_text=_("What you know, or what in the story is not right. Plain text."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    answered_by_name = forms.CharField(
        label=_("Your name"),
        max_length=CONTACT_NAME_MAX,
        help_text=_("The answer is recorded under this name."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Write your name, so the office knows who answered.")},
    )
