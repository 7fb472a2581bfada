"""Social accounts, shared in shape by agencies and KIM groups (and watched later for freshness)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class SocialPlatform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    X = "x", "X (Twitter)"
    WHATSAPP = "whatsapp", _("WhatsApp channel")
    WEBSITE = "website", _("Website or blog")


class SocialAccountBase(Orderable):
    platform = models.CharField(_("platform"), max_length=20, choices=SocialPlatform.choices)
    url = models.URLField(
        _("address (URL)"), help_text=_("The full address, for example https://facebook.com/kimmajubersama.")
    )
    feed_url = models.URLField(
        _("feed address"),
        blank=True,
        help_text=_("RSS/Atom feed of this account, if it has one; used to watch whether it stays active."),
    )

    panels = [FieldPanel("platform"), FieldPanel("url"), FieldPanel("feed_url")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.url}"
