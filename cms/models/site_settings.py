"""Per-site settings: each regency or city on the installation has its own name, logo and time zone."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from cms.validators import normalise_whatsapp, validate_phone, validate_whatsapp


class IndonesianTimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7) — Western Indonesia")
    WITA = "Asia/Makassar", _("WITA (UTC+8) — Central Indonesia")
    WIT = "Asia/Jayapura", _("WIT (UTC+9) — Eastern Indonesia")


ZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@register_setting(icon="site")
class SiteProfile(BaseSiteSetting):
    name = models.CharField(_("name of the regency or city"), max_length=150, default="Kabupaten")
    office_name = models.CharField(
        _("office name"),
        max_length=200,
        blank=True,
        help_text=_("For example Dinas Komunikasi dan Informatika Kabupaten Muara Enim."),
    )
    regency_code = models.CharField(
        _("regency/city code"), max_length=5, blank=True, help_text=_("The Kemendagri code, for example 16.03.")
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    time_zone = models.CharField(
        _("time zone"), max_length=20, choices=IndonesianTimeZone.choices, default=IndonesianTimeZone.WIB
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True, validators=[validate_whatsapp])
    email = models.EmailField(_("email"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    tiktok_url = models.URLField(_("TikTok"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("office_name"),
                FieldPanel("regency_code"),
                FieldPanel("tagline"),
                FieldPanel("logo"),
            ],
            heading=_("Identity"),
        ),
        FieldPanel("time_zone"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("whatsapp"), FieldPanel("email")],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("x_url"),
                FieldPanel("tiktok_url"),
            ],
            heading=_("Social accounts"),
        ),
    ]

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profiles")

    def clean(self) -> None:
        super().clean()
        self.whatsapp = normalise_whatsapp(self.whatsapp)  # wa.me links need +62…, whatever was typed

    @property
    def zone_abbreviation(self) -> str:
        return ZONE_ABBREVIATIONS.get(self.time_zone, "")
