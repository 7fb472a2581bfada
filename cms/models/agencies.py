"""Regional government agencies (OPD): the offices whose sites and services Siar converges."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index

from cms.models.slugs import AutoSlugMixin, slug_field
from cms.models.social import SocialAccountBase
from cms.validators import validate_phone


class Agency(AutoSlugMixin, index.Indexed, ClusterableModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=30, blank=True, help_text=_("For example Dinkes, Dispar, Satpol PP.")
    )
    slug = slug_field()  # /opd/<slug>/
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    feed_url = models.URLField(
        _("feed address"),
        blank=True,
        help_text=_("RSS/Atom feed of the agency's website, if any; Siar watches it for freshness."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    contact_name = models.CharField(_("person in charge"), max_length=120, blank=True)
    contact_position = models.CharField(_("position of the person in charge"), max_length=120, blank=True)
    contact_phone = models.CharField(
        _("phone of the person in charge"), max_length=30, blank=True, validators=[validate_phone]
    )
    contact_email = models.EmailField(_("email of the person in charge"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("abbreviation"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldPanel("feed_url"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("Office"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_position"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
            ],
            heading=_("Person in charge"),
        ),
        InlinePanel("social_accounts", heading=_("Social accounts"), label=_("social account")),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("abbreviation"),
        index.AutocompleteField("name"),
        index.AutocompleteField("abbreviation"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class AgencySocialAccount(SocialAccountBase):
    agency = ParentalKey(Agency, on_delete=models.CASCADE, related_name="social_accounts")
