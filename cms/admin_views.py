"""Admin views that are not plain model editing: importing regions from a CSV file, the quarantined photos
of KIM submissions, and issuing or revoking a KIM group's API key."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.models import KimGroup, KimGroupApiKey, SiteProfile, SubmissionPhoto
from cms.services.regions import regions_import_csv
from cms.services.submissions import api_key_issue, api_key_revoke

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
