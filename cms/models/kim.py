"""KIM groups (Kelompok Informasi Masyarakat): the village information groups that send news."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from cms.models.regions import Village
from cms.models.slugs import AutoSlugMixin, slug_field
from cms.models.social import SocialAccountBase
from cms.validators import validate_phone


class KimGroup(AutoSlugMixin, index.Indexed, ClusterableModel):
    name = models.CharField(_("name"), max_length=150, unique=True, help_text=_("For example KIM Maju Bersama."))
    slug = slug_field()  # /kim/<slug>/
    village = models.ForeignKey(Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="kim_groups")
    decree_number = models.CharField(
        _("decree (SK) number"), max_length=100, blank=True, help_text=_("The number of the founding decree (SK).")
    )
    decree_date = models.DateField(_("decree (SK) date"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_phone = models.CharField(_("contact phone"), max_length=30, validators=[validate_phone])
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive groups stay on record but are hidden from the public.")
    )

    slug_drop_prefix = "kim"
    slug_fallback = "kim"

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("village"),
        MultiFieldPanel([FieldPanel("decree_number"), FieldPanel("decree_date")], heading=_("Decree (SK)")),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_phone"), FieldPanel("contact_email")],
            heading=_("Contact"),
        ),
        FieldPanel("is_active"),
        InlinePanel("members", heading=_("Members"), label=_("member")),
        InlinePanel("social_accounts", heading=_("Social accounts"), label=_("social account")),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("is_active"),
        index.RelatedFields("village", [index.SearchField("name")]),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("KIM group")
        verbose_name_plural = _("KIM groups")

    def __str__(self) -> str:
        return self.name


class KimMember(Orderable):
    class Role(models.TextChoices):
        CHAIR = "ketua", _("Chair")
        SECRETARY = "sekretaris", _("Secretary")
        TREASURER = "bendahara", _("Treasurer")
        MEMBER = "anggota", _("Member")

    group = ParentalKey(KimGroup, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("phone")]

    class Meta(Orderable.Meta):
        verbose_name = _("KIM member")
        verbose_name_plural = _("KIM members")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class KimSocialAccount(SocialAccountBase):
    group = ParentalKey(KimGroup, on_delete=models.CASCADE, related_name="social_accounts")
