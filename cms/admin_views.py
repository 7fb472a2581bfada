"""Admin views that are not plain model editing: importing regions from a CSV file, the quarantined photos
of KIM submissions, and issuing or revoking a KIM group's API key."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.forms import VerdictTaskForm
from cms.models import Agency, KimGroup, KimGroupApiKey, KimSubmission, SiteProfile, SubmissionPhoto
from cms.models.submissions import receipt_normalise
from cms.services.regions import regions_import_csv
from cms.services.submissions import api_key_issue, api_key_revoke
from cms.services.verification import (
    PERM_TRIAGE,
    PERM_VERIFY,
    EvidenceItem,
    submission_to_draft_news,
    submission_transition,
    transitions_for,
    verdict_record,
)

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


class SubmissionTransitionForm(forms.Form):
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


class SubmissionVerificationView(WagtailAdminTemplateMixin, View):
    """One submission's verification: move its state with a note, record the verdict, make the draft news."""

    template_name = "cms/admin/submission_verification.html"
    page_title = gettext_lazy("Verification")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.has_perm(PERM_TRIAGE) or request.user.has_perm(PERM_VERIFY)):
            raise PermissionDenied
        self.submission = get_object_or_404(KimSubmission, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _choices(self):
        return [
            (state, KimSubmission.Status(state).label)
            for state in transitions_for(submission=self.submission, user=self.request.user)
        ]

    def _render(self, transition_form=None, verdict_form=None):
        submission = self.submission
        can_verify = self.request.user.has_perm(PERM_VERIFY)
        context = self.get_context_data(
            submission=submission,
            events=submission.events.select_related("actor"),
            verdict=submission.verdicts.first(),
            transition_form=transition_form or SubmissionTransitionForm(choices=self._choices()),
            verdict_form=verdict_form
            or (VerdictTaskForm() if can_verify and submission.status in VERDICT_STATES else None),
            can_make_draft=can_verify
            and submission.status == KimSubmission.Status.VERDICT_RECORDED
            and not submission.published_page_id,
        )
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, pk):
        return self._render()

    def post(self, request, pk):
        action = request.POST.get("action")
        try:
            if action == "transition":
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
            elif action == "verdict":
                form = VerdictTaskForm(request.POST)
                if not form.is_valid():
                    return self._render(verdict_form=form)
                data = form.cleaned_data
                evidence = []
                if data["evidence_note"]:
                    evidence.append(EvidenceItem(kind="note", text=data["evidence_note"]))
                if data["evidence_url"]:
                    evidence.append(EvidenceItem(kind="link", url=data["evidence_url"]))
                verdict_record(
                    submission=self.submission,
                    verifier=request.user,
                    verdict=data["verdict"],
                    category=data["category"],
                    summary=data["summary"],
                    evidence=evidence,
                )
                messages.success(request, _("The verdict was recorded."))
            elif action == "draft":
                page = submission_to_draft_news(submission=self.submission, actor=request.user)
                messages.success(request, _("A draft news item was made; check it and publish."))
                return redirect("wagtailadmin_pages:edit", page.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("cms_submission_verification", self.submission.pk)
