"""The directory: tourism, health, culinary, hotels, important contacts and agency services, one model."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import OpeningHoursBlock
from cms.models.region_mixin import RegionMixin
from cms.selectors import legacy_page_redirect, listings_published_under, paginate
from cms.validators import (
    normalise_whatsapp,
    validate_latitude,
    validate_longitude,
    validate_phone,
    validate_whatsapp,
)


class DirectoryCategory(models.TextChoices):
    TOURISM = "wisata", _("Tourism")
    HEALTH = "kesehatan", _("Health facilities")
    CULINARY = "kuliner", _("Culinary")
    HOTEL = "hotel", _("Hotels and lodging")
    CONTACT = "kontak", _("Important contacts")
    SERVICE = "layanan", _("Public services")


LISTINGS_PER_PAGE = 24


CATEGORY_PATTERN = "|".join(DirectoryCategory.values)


class DirectoryIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.DirectoryListingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("directory index")
        verbose_name_plural = _("directory indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        category = kwargs.get("category")
        context["categories"] = DirectoryCategory.choices
        context["listings"] = paginate(
            items=listings_published_under(parent=self, category=category),
            number=kwargs.get("number", 1),
            per_page=LISTINGS_PER_PAGE,
            base_url=self.list_url(request, category),
        )
        if category:
            context["active_category"] = category
            context["active_category_label"] = DirectoryCategory(category).label
        return context

    def list_url(self, request, category: str | None) -> str:
        base = self.get_url(request)
        return base + self.reverse_subpage("category", args=[category]) if category else base

    def _render_list(self, request, category=None, number=1):
        legacy = legacy_page_redirect(request, self.list_url(request, category)) if number == 1 else None
        return legacy or self.render(request, category=category, number=number)

    @re_path(r"^$")
    def all_listings(self, request):
        return self._render_list(request)

    @re_path(r"^halaman/(?P<number>[2-9]|[1-9]\d+)/$", name="page")
    def all_listings_page(self, request, number):
        return self._render_list(request, number=int(number))

    # Only the category values route here; any other slug falls through to the listing child pages.
    @re_path(rf"^(?P<category>{CATEGORY_PATTERN})/$", name="category")
    def category(self, request, category):
        return self._render_list(request, category=category)

    @re_path(rf"^(?P<category>{CATEGORY_PATTERN})/halaman/(?P<number>[2-9]|[1-9]\d+)/$", name="category_page")
    def category_page(self, request, category, number):
        return self._render_list(request, category=category, number=int(number))


class DirectoryListingPage(RegionMixin, Page):
    category = models.CharField(_("category"), max_length=20, choices=DirectoryCategory.choices)
    subcategory = models.CharField(
        _("kind"),
        max_length=80,
        blank=True,
        help_text=_("For example: waterfall, community health centre (puskesmas), police station."),
    )
    description = models.TextField(_("description"))
    address = models.CharField(_("address"), max_length=255)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=[validate_latitude]
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=[validate_longitude]
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True, validators=[validate_whatsapp])
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    opening_hours = StreamField([("hours", OpeningHoursBlock())], verbose_name=_("opening hours"), blank=True)
    agency = models.ForeignKey(
        "cms.Agency",
        verbose_name=_("responsible agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="listings",
        help_text=_("Required for public services: the agency that provides it."),
    )
    last_verified = models.DateField(
        _("last verified"),
        default=timezone.localdate,
        help_text=_("The date someone last checked these details on the spot or by phone. Shown to the public."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("category"), FieldPanel("subcategory")], heading=_("Category")),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("district"),
                FieldPanel("village"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
            heading=_("Location"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("phone"),
                FieldPanel("whatsapp"),
                FieldPanel("email"),
                FieldPanel("website"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("opening_hours"),
        FieldPanel("agency"),
        InlinePanel("photos", heading=_("Photos"), label=_("photo"), max_num=12),
        FieldPanel("last_verified"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.SearchField("address"),
        index.SearchField("subcategory"),
        index.FilterField("category"),
        index.FilterField("district"),
    ]
    parent_page_types = ["cms.DirectoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("directory listing")
        verbose_name_plural = _("directory listings")

    def clean(self) -> None:
        super().clean()
        errors = self.region_errors()
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Fill in both latitude and longitude, or neither."
            )
        if self.category == DirectoryCategory.SERVICE and not self.agency_id:
            errors["agency"] = _("A public service needs the agency that provides it.")
        if self.category == DirectoryCategory.CONTACT and not (self.phone or self.whatsapp):
            errors["phone"] = _("An important contact needs a phone or WhatsApp number.")
        if self.last_verified and self.last_verified > timezone.localdate():
            errors["last_verified"] = _("The verification date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
        self.whatsapp = normalise_whatsapp(self.whatsapp)

    @property
    def main_photo(self):
        photos = list(self.photos.all())  # .all() uses the prefetch that list selectors add
        return photos[0].image if photos else None

    @property
    def whatsapp_link(self) -> str:
        return f"https://wa.me/{self.whatsapp.lstrip('+')}" if self.whatsapp else ""


class ListingPhoto(Orderable):
    page = ParentalKey(DirectoryListingPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
