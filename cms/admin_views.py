"""Admin views that are not plain model editing: importing regions from a CSV file, the quarantined photos
of KIM submissions and files of evidence, issuing or revoking a KIM group's API key, and the verification of
one submission (state moves, evidence, agency confirmation links, the verdict)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.forms import VerdictTaskForm
from cms.models import Agency, Evidence, KimGroup, KimGroupApiKey, KimSubmission, SiteProfile, SubmissionPhoto
from cms.models.confirmation import CONTACT_NAME_MAX, QUESTION_MAX
from cms.models.submissions import receipt_normalise
from cms.services.confirmation import confirmation_request_create
from cms.services.evidence_files import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, evidence_content_type, evidence_file_prepare
from cms.services.regions import regions_import_csv
from cms.services.submissions import api_key_issue, api_key_revoke
from cms.services.verification import (
    PERM_TRIAGE,
    PERM_VERIFY,
    EvidenceItem,
    evidence_add,
    submission_to_draft_news,
    submission_transition,
    transitions_for,
    verdict_record,
)
from cms.validators import validate_phone

VERDICT_STATES = (KimSubmission.Status.IN_VERIFICATION, KimSubmission.Status.AWAITING_CONFIRMATION)

MAX_CSV_BYTES = 20 * 1024 * 1024  # the national list of ~84,000 villages is about 3 MB


class RegionImportForm(forms.Form):
    csv_file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns kode,nama and optionally jenis (desa/kelurahan), as in the Kemendagri list. "
            "Comma or semicolon, with or without a header row."
        ),
    )
    prefix = forms.CharField(
        label=gettext_lazy("Only codes starting with"),
        required=False,
        max_length=13,
        help_text=gettext_lazy("For example 16.03 to take only Muara Enim from a province-wide file."),
    )

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB. Split it or filter it by regency first."))
        return upload


class RegionImportView(WagtailAdminTemplateMixin, FormView):
    form_class = RegionImportForm
    template_name = "cms/admin/import_regions.html"
    page_title = gettext_lazy("Import regions from CSV")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.has_perm("cms.add_district") and request.user.has_perm("cms.add_village")):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"prefix": SiteProfile.for_request(self.request).regency_code}

    def form_valid(self, form):
        result = regions_import_csv(data=form.cleaned_data["csv_file"].read(), prefix=form.cleaned_data["prefix"])
        if not result.ok:
            form.add_error("csv_file", _("Nothing was imported. Fix these lines and upload the file again:"))
            for error in result.errors:
                form.add_error("csv_file", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Regions imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged, %(skipped)d skipped.")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "skipped": result.skipped,
            },
        )
        return redirect(reverse("wagtailsnippets_cms_village:list"))


def submission_photo_view(request, pk: int):
    """A quarantined photo, for people allowed to see submissions; never cached, never sniffed."""
    if not request.user.has_perm("cms.view_kimsubmission"):
        raise PermissionDenied
    photo = get_object_or_404(SubmissionPhoto.objects.select_related("submission"), pk=pk)
    try:
        handle = photo.file.storage.open(photo.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = f"{photo.submission.receipt}-{photo.position + 1}.jpg"
    response = FileResponse(handle, content_type="image/jpeg", as_attachment=False, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def evidence_file_view(request, pk: int):
    """A file of evidence, for verifiers only: always a download, never rendered in the admin's origin."""
    if not request.user.has_perm(PERM_VERIFY):
        raise PermissionDenied
    evidence = get_object_or_404(Evidence.objects.select_related("submission", "verdict__submission"), pk=pk)
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.storage.open(evidence.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    submission = evidence.submission or (evidence.verdict.submission if evidence.verdict else None)
    extension = evidence.file.name.rsplit(".", 1)[-1]
    filename = f"bukti-{submission.receipt if submission else 'berita'}-{evidence.pk}.{extension}"
    content_type = evidence_content_type(evidence.file.name)
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class ApiKeyIssueForm(forms.Form):
    group = forms.ModelChoiceField(label=gettext_lazy("KIM group"), queryset=KimGroup.objects.filter(is_active=True))
    label = forms.CharField(
        label=gettext_lazy("Label"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Where the key will be used, for example the phone of the group's secretary."),
    )


class ApiKeyIssueView(WagtailAdminTemplateMixin, FormView):
    """Issue a key: the raw key is shown on the response to this POST, once, and never again."""

    form_class = ApiKeyIssueForm
    template_name = "cms/admin/api_key_issue.html"
    page_title = gettext_lazy("Issue an API key")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("cms.add_kimgroupapikey"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"group": self.request.GET.get("group")}

    def form_valid(self, form):
        api_key, raw_key = api_key_issue(
            group=form.cleaned_data["group"], label=form.cleaned_data["label"], created_by=self.request.user
        )
        response = TemplateResponse(
            self.request,
            "cms/admin/api_key_issued.html",
            self.get_context_data(form=form, api_key=api_key, raw_key=raw_key),
        )
        response["Cache-Control"] = "no-store"
        return response


class ApiKeyRevokeView(WagtailAdminTemplateMixin, View):
    template_name = "cms/admin/api_key_revoke.html"
    page_title = gettext_lazy("Revoke API key")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("cms.change_kimgroupapikey"):
            raise PermissionDenied
        self.api_key = get_object_or_404(KimGroupApiKey.objects.select_related("group"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return TemplateResponse(request, self.template_name, self.get_context_data(api_key=self.api_key))

    def post(self, request, pk):
        api_key_revoke(api_key=self.api_key)
        messages.success(request, _("The key %(prefix)s… no longer works.") % {"prefix": self.api_key.prefix})
        return redirect(reverse("wagtailsnippets_cms_kimgroupapikey:list"))


# Verification of submissions --------------------------------------------------------------------------------


class OwnIdsMixin:
    """The verification page holds several forms with fields of the same name (agency, due_at, evidence_note):
    each form's ids get their own prefix, so every label names, and focuses, a field of its own form."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class SubmissionTransitionForm(OwnIdsMixin, forms.Form):
    id_prefix = "move"
    to = forms.ChoiceField(label=gettext_lazy("Move to"))
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why. For not published, corrected or withdrawn it is shown to the contributor."),
    )
    rejection_reason = forms.ChoiceField(
        label=gettext_lazy("Rejection reason"),
        required=False,
        choices=[("", "—"), *KimSubmission.RejectionReason.choices],
    )
    duplicate_of = forms.CharField(label=gettext_lazy("Duplicate of (receipt code)"), required=False, max_length=20)
    due_at = forms.DateTimeField(
        label=gettext_lazy("Agency deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency asked"), queryset=Agency.objects.all(), required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices

    def clean_duplicate_of(self):
        code = receipt_normalise(self.cleaned_data.get("duplicate_of") or "")
        if not code:
            return None
        original = KimSubmission.objects.filter(receipt=code).first()
        if original is None:
            raise forms.ValidationError(_("No submission has this receipt code."))
        return original


def _evidence_file_field():
    return forms.FileField(
        label=gettext_lazy("Evidence: file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": EVIDENCE_TYPES}),
        help_text=gettext_lazy("PDF, JPEG, PNG or WebP, at most %(megabytes)d MB.")
        % {"megabytes": EVIDENCE_MAX_BYTES // (1024 * 1024)},
    )


def _prepared_file(form, name: str):
    upload = form.cleaned_data.get(name)
    return evidence_file_prepare(upload) if upload else None


def _evidence_items(data: dict) -> list[EvidenceItem]:
    """One piece of evidence per filled field (evidence_note, evidence_url, evidence_file)."""
    items = [EvidenceItem(kind=Evidence.Kind.NOTE, text=data["evidence_note"])] if data.get("evidence_note") else []
    if data.get("evidence_url"):
        items.append(EvidenceItem(kind=Evidence.Kind.LINK, url=data["evidence_url"]))
    if data.get("evidence_file"):
        items.append(EvidenceItem(kind=Evidence.Kind.FILE, file=data["evidence_file"]))
    return items


class SubmissionVerdictForm(OwnIdsMixin, VerdictTaskForm):
    """The verdict on a submission: its evidence may be a file, or what was gathered before (an agency's answer)."""

    id_prefix = "verdict"

    evidence_file = _evidence_file_field()
    field_order = ["verdict", "category", "summary", "evidence_note", "evidence_url", "evidence_file", "comment"]

    def __init__(self, *args, gathered: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.gathered = gathered

    def clean_evidence_file(self):
        return _prepared_file(self, "evidence_file")

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:  # VerdictTaskForm knows only a note or a link as evidence
            if self.gathered or self.cleaned_data.get("evidence_file") or "evidence_file" in self.errors:
                return self.cleaned_data
            raise forms.ValidationError(
                _("A verdict needs at least one piece of evidence: a note, a link, a file or an agency's answer.")
            ) from None

    def evidence_items(self) -> list[EvidenceItem]:
        return _evidence_items(self.cleaned_data)


class EvidenceAddForm(OwnIdsMixin, forms.Form):
    """Evidence gathered while verifying, before the verdict: each filled field becomes one piece."""

    id_prefix = "gather"

    evidence_note = forms.CharField(
        label=gettext_lazy("Evidence: note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence_url = forms.URLField(label=gettext_lazy("Evidence: link"), required=False, assume_scheme="https")
    evidence_file = _evidence_file_field()

    def clean_evidence_file(self):
        return _prepared_file(self, "evidence_file")

    def clean(self):
        data = super().clean()
        if not (data.get("evidence_note") or data.get("evidence_url") or data.get("evidence_file") or self.errors):
            raise forms.ValidationError(_("Add a note, a link or a file."))
        return data

    def evidence_items(self) -> list[EvidenceItem]:
        return _evidence_items(self.cleaned_data)


class ConfirmationRequestForm(OwnIdsMixin, forms.Form):
    id_prefix = "ask"
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency"), queryset=Agency.objects.all(), required=False)
    contact_name = forms.CharField(
        label=gettext_lazy("Contact name"),
        max_length=CONTACT_NAME_MAX,
        required=False,
        help_text=gettext_lazy("Leave the contact empty to ask the agency's person in charge, as recorded in Siar."),
    )
    contact_email = forms.EmailField(label=gettext_lazy("Contact e-mail"), required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact WhatsApp number"), max_length=30, required=False, validators=[validate_phone]
    )
    question = forms.CharField(
        label=gettext_lazy("Question"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the contact is to confirm or deny; they also see the story as it was sent."),
    )
    due_at = forms.DateTimeField(
        label=gettext_lazy("Answer by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=gettext_lazy("The link stops working then; an unanswered request is escalated to the office."),
    )

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at <= timezone.now():
            raise forms.ValidationError(_("Give the agency a deadline in the future."))
        return due_at


def _form_errors_from(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


class SubmissionVerificationView(WagtailAdminTemplateMixin, View):
    """One submission's verification: move its state, gather evidence, ask an agency by link, record the verdict,
    make the draft news."""

    template_name = "cms/admin/submission_verification.html"
    page_title = gettext_lazy("Verification")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.has_perm(PERM_TRIAGE) or request.user.has_perm(PERM_VERIFY)):
            raise PermissionDenied
        self.submission = get_object_or_404(KimSubmission, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        """Beranda › Kiriman KIM › Verifikasi: the header names this page and leads back to the queue."""
        queue = {"url": reverse("wagtailsnippets_cms_kimsubmission:list"), "label": _("KIM submissions")}
        current = {"url": "", "label": self.get_page_title(), "sublabel": self.submission.receipt}
        return [*self.breadcrumbs_items, queue, current]

    def _choices(self):
        return [
            (state, KimSubmission.Status(state).label)
            for state in transitions_for(submission=self.submission, user=self.request.user)
        ]

    def _gathered(self):
        return self.submission.evidence.filter(verdict__isnull=True).select_related("added_by")

    def _render(self, **forms_and_extras):
        submission = self.submission
        can_verify = self.request.user.has_perm(PERM_VERIFY)
        open_for_verdict = can_verify and submission.status in VERDICT_STATES
        gathered = list(self._gathered())
        context = self.get_context_data(
            submission=submission,
            events=submission.events.select_related("actor"),
            verdict=submission.verdicts.first(),
            gathered=gathered,
            confirmations=submission.confirmation_requests.select_related("agency", "requested_by"),
            transition_form=SubmissionTransitionForm(choices=self._choices()),
            verdict_form=SubmissionVerdictForm(gathered=len(gathered)) if open_for_verdict else None,
            evidence_form=EvidenceAddForm() if open_for_verdict else None,
            confirmation_form=ConfirmationRequestForm() if open_for_verdict else None,
            can_make_draft=can_verify
            and submission.status == KimSubmission.Status.VERDICT_RECORDED
            and not submission.published_page_id,
        )
        context.update(forms_and_extras)
        response = TemplateResponse(self.request, self.template_name, context)
        response["Cache-Control"] = "private, no-store"  # a confirmation link is shown once, never from a cache
        return response

    def get(self, request, pk):
        return self._render()

    def post(self, request, pk):
        action = request.POST.get("action")
        handler = {
            "transition": self._transition,
            "verdict": self._verdict,
            "evidence": self._evidence,
            "confirmation": self._confirmation,
            "draft": self._draft,
        }.get(action)
        if handler is None:
            return redirect("cms_submission_verification", self.submission.pk)
        try:
            return handler(request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("cms_submission_verification", self.submission.pk)

    def _transition(self, request):
        form = SubmissionTransitionForm(request.POST, choices=self._choices())
        if not form.is_valid():
            return self._render(transition_form=form)
        data = form.cleaned_data
        submission_transition(
            submission=self.submission,
            to=data["to"],
            actor=request.user,
            note=data["note"],
            rejection_reason=data["rejection_reason"],
            duplicate_of=data["duplicate_of"],
            due_at=data["due_at"],
            agency=data["agency"],
        )
        messages.success(request, _("The submission was moved."))
        return redirect("cms_submission_verification", self.submission.pk)

    def _verdict(self, request):
        form = SubmissionVerdictForm(request.POST, request.FILES, gathered=self._gathered().count())
        if not form.is_valid():
            return self._render(verdict_form=form)
        data = form.cleaned_data
        verdict_record(
            submission=self.submission,
            verifier=request.user,
            verdict=data["verdict"],
            category=data["category"],
            summary=data["summary"],
            evidence=form.evidence_items(),
        )
        messages.success(request, _("The verdict was recorded."))
        return redirect("cms_submission_verification", self.submission.pk)

    def _evidence(self, request):
        form = EvidenceAddForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(evidence_form=form)
        with transaction.atomic():  # a note, a link and a file sent together are kept together or not at all
            for item in form.evidence_items():
                evidence_add(submission=self.submission, actor=request.user, item=item)
        messages.success(request, _("The evidence was added; it goes with the verdict when you record it."))
        return redirect("cms_submission_verification", self.submission.pk)

    def _confirmation(self, request):
        form = ConfirmationRequestForm(request.POST)
        if form.is_valid():
            try:
                link = confirmation_request_create(submission=self.submission, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                self.submission.refresh_from_db()
                return self._render(confirmation_link=link)
        return self._render(confirmation_form=form)

    def _draft(self, request):
        page = submission_to_draft_news(submission=self.submission, actor=request.user)
        messages.success(request, _("A draft news item was made; check it and publish."))
        return redirect("wagtailadmin_pages:edit", page.pk)
