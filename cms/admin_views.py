"""Admin views that are not plain model editing: importing regions from a CSV file."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.models import SiteProfile
from cms.services.regions import regions_import_csv

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
