"""Districts (kecamatan) and villages (desa/kelurahan) with their official Kemendagri codes."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cms.models.slugs import AutoSlugMixin, slug_field

district_code_validator = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}$",
    _("A district code has the form 16.03.01 (province.regency.district)."),
    code="invalid_district_code",
)
village_code_validator = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$",
    _("A village code has the form 16.03.01.2001 (province.regency.district.village)."),
    code="invalid_village_code",
)


class District(AutoSlugMixin, index.Indexed, models.Model):
    code = models.CharField(
        _("official code"),
        max_length=8,
        unique=True,
        validators=[district_code_validator],
        help_text=_("The Ministry of Home Affairs (Kemendagri) code, for example 16.03.01."),
    )
    name = models.CharField(_("name"), max_length=100)
    # /wilayah/<district>/: readable where a Kemendagri code (16.03.01) means nothing to a reader.
    slug = slug_field()

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("code")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Village(AutoSlugMixin, index.Indexed, models.Model):
    class Kind(models.TextChoices):
        DESA = "desa", _("Village (desa)")
        KELURAHAN = "kelurahan", _("Urban village (kelurahan)")

    code = models.CharField(
        _("official code"),
        max_length=13,
        unique=True,
        validators=[village_code_validator],
        help_text=_("The Kemendagri code, for example 16.03.01.2001; it starts with its district's code."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DESA)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="villages"
    )
    # /wilayah/<district>/<village>/: unique within its district only, as village names repeat across districts.
    slug = slug_field(unique=False)

    slug_scope = ("district_id",)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("kind"), FieldPanel("district"), FieldPanel("slug")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("district"),
        index.RelatedFields("district", [index.SearchField("name")]),
    ]

    class Meta:
        ordering = ["district__name", "name"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [models.UniqueConstraint(fields=["district", "slug"], name="cms_village_slug_per_district")]

    def __str__(self) -> str:
        return f"{self.name} ({self.district.name})" if self.district_id else self.name

    def clean(self) -> None:
        super().clean()
        if self.district_id and self.code and not self.code.startswith(self.district.code + "."):
            raise ValidationError(
                {
                    "code": _("This village code does not start with the code of district %(district)s (%(code)s).")
                    % {"district": self.district.name, "code": self.district.code}
                }
            )
