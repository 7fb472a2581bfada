"""News: the index of news and the news items editors write once for every channel."""

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from cms.blocks import NewsBodyBlock
from cms.models.region_mixin import RegionMixin
from cms.models.sections import PAGE_NUMBER, SLUG, SectionRenderMixin
from cms.selectors import legacy_page_redirect, news_list_page, news_published_under

logger = logging.getLogger(__name__)

NEWS_PER_PAGE = 12
SHARE_IMAGE_SPEC = "fill-1200x630|format-jpeg"  # og:image and the JSON-LD image: the size social networks show

# TextField max_length only limits the admin widget: the validators make full_clean enforce it too.
# Provider limits, so an override that a channel would reject is caught at editing time.
LEAD_MAX = 400
INSTAGRAM_CAPTION_MAX = 2200
YOUTUBE_DESCRIPTION_MAX = 5000
KIOSK_TEXT_MAX = 280
VIDEO_EXTENSIONS = {"mp4", "webm", "mov"}
RESERVED_SLUGS = {"kategori"}  # /berita/kategori/ lists the categories (NewsIndexPage.categories)


def _publisher_name(profile) -> str:
    return profile.office_name or profile.name


class NewsIndexPage(SectionRenderMixin, RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news_page"] = news_list_page(
            items=news_published_under(parent=self),
            number=kwargs.get("number"),  # None: the head, the newest items (cms.selectors.StableSlice)
            per_page=NEWS_PER_PAGE,
            base_url=self.get_url(request),
        )
        return context

    @path("")
    def first_page(self, request):
        return legacy_page_redirect(request, self.get_url(request)) or self.render(request)

    @re_path(rf"^halaman/{PAGE_NUMBER}/$", name="page")
    def numbered_page(self, request, number):
        return self.render(request, number=int(number))

    # Categories and tags: /berita/kategori/<slug>/ and /berita/tag/<slug>/, paged like the index -------------

    @re_path(r"^kategori/$", name="categories")
    def categories(self, request):
        from cms.models import NewsCategory

        context = {"section": "categories", "categories": NewsCategory.objects.order_by("name", "pk")}
        return self.render_section(request, "cms/sections/categories.html", context)

    @re_path(rf"^kategori/(?P<slug>{SLUG})/$", name="category")
    def category(self, request, slug, number=None):
        from cms.models import NewsCategory

        category = get_object_or_404(NewsCategory, slug=slug)
        news = news_published_under(parent=self).filter(categories=category)
        context = {
            "section": "categories",
            "category": category,
            "news_page": self.section_news(request, news, number, "category", category.slug),
        }
        return self.render_section(request, "cms/sections/category.html", context)

    @re_path(rf"^kategori/(?P<slug>{SLUG})/halaman/{PAGE_NUMBER}/$")
    def category_page(self, request, slug, number):
        return self.category(request, slug, number)

    # Taggit's slugs may hold any letter (allow_unicode), hence \w rather than SLUG.
    @re_path(r"^tag/(?P<slug>[-\w]+)/$", name="tag")
    def tag(self, request, slug, number=None):
        from taggit.models import Tag

        tag = get_object_or_404(Tag, slug=slug)
        news = self.section_news(
            request, news_published_under(parent=self).filter(tagged_items__tag=tag), number, "tag", tag.slug
        )
        if news.is_head and not news.object_list:  # a tag only drafts carry has no page (nor a static file)
            raise Http404("no published news with this tag")
        return self.render_section(request, "cms/sections/tag.html", {"section": "tags", "tag": tag, "news_page": news})

    @re_path(rf"^tag/(?P<slug>[-\w]+)/halaman/{PAGE_NUMBER}/$")
    def tag_page(self, request, slug, number):
        return self.tag(request, slug, number)


class NewsPage(RegionMixin, Page):
    class Source(models.TextChoices):
        MEDIA_CENTER = "media_center", _("Media centre of the communication office")
        AGENCY = "agency", _("An agency (OPD)")
        KIM = "kim", _("A KIM group")

    lead = models.TextField(
        _("lead"),
        max_length=LEAD_MAX,
        validators=[MaxLengthValidator(LEAD_MAX)],
        help_text=_("One or two sentences that say what happened; shown in lists and feeds."),
    )
    body = StreamField(NewsBodyBlock(), verbose_name=_("body"))
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional video file (MP4, WebM or MOV) for YouTube and the kiosks."),
    )
    categories = ParentalManyToManyField("cms.NewsCategory", verbose_name=_("categories"), related_name="news")
    tags = ClusterTaggableManager(through="cms.NewsPageTag", verbose_name=_("tags"), blank=True)
    source_kind = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MEDIA_CENTER)
    source_agency = models.ForeignKey(
        "cms.Agency", verbose_name=_("source agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_kim_group = models.ForeignKey(
        "cms.KimGroup",
        verbose_name=_("source KIM group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="news",
    )
    related_agency = models.ForeignKey(
        "cms.Agency",
        verbose_name=_("related agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="related_news",
        help_text=_("The agency this news concerns, if any."),
    )
    caption_facebook = models.TextField(
        _("Facebook caption"), blank=True, help_text=_("Leave empty to use the title and lead.")
    )
    caption_instagram = models.TextField(
        _("Instagram caption"),
        blank=True,
        max_length=INSTAGRAM_CAPTION_MAX,
        validators=[MaxLengthValidator(INSTAGRAM_CAPTION_MAX)],
        help_text=_("At most 2,200 characters. Leave empty to use the title and lead."),
    )
    youtube_title = models.CharField(
        _("YouTube title"),
        max_length=100,
        blank=True,
        help_text=_("At most 100 characters. Leave empty to use the title."),
    )
    youtube_description = models.TextField(
        _("YouTube description"),
        blank=True,
        max_length=YOUTUBE_DESCRIPTION_MAX,
        validators=[MaxLengthValidator(YOUTUBE_DESCRIPTION_MAX)],
        help_text=_("At most 5,000 characters. Leave empty to use the lead."),
    )
    kiosk_text = models.CharField(
        _("kiosk text"),
        max_length=KIOSK_TEXT_MAX,
        blank=True,
        help_text=_("Short text for kiosks and TV walls, readable from a distance. Leave empty to use the lead."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("video"),
    ]
    classification_panels = [
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        MultiFieldPanel([FieldPanel("district"), FieldPanel("village")], heading=_("Region")),
        MultiFieldPanel(
            [FieldPanel("source_kind"), FieldPanel("source_agency"), FieldPanel("source_kim_group")],
            heading=_("Source"),
        ),
        FieldPanel("related_agency"),
    ]
    channel_panels = [
        FieldPanel("caption_facebook"),
        FieldPanel("caption_instagram"),
        FieldPanel("youtube_title"),
        FieldPanel("youtube_description"),
        FieldPanel("kiosk_text"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(classification_panels, heading=_("Classification")),
            ObjectList(channel_panels, heading=_("Channels")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("district"),
        index.FilterField("village"),
        index.FilterField("source_kind"),
        index.RelatedFields("categories", [index.SearchField("name")]),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def get_context(self, request, *args, **kwargs):
        from cms import jsonld
        from cms.models.site_settings import SiteProfile
        from cms.selectors import news_public_verification

        context = super().get_context(request, *args, **kwargs)
        verification = news_public_verification(page=self)
        context.update(verification)
        url = self.get_full_url(request) or request.build_absolute_uri()
        site = Site.find_for_request(request) or self.get_site()
        publisher = {
            "publisher": _publisher_name(SiteProfile.for_request(request)) if site else "Siar",
            "publisher_url": site.root_url if site else request.build_absolute_uri("/"),
        }
        image_url = None
        if self.hero_image_id:
            # get_renditions, not get_rendition: the latter writes a prefetched rendition back to the cache each
            # time (pickling it and its image), which was a tenth of an article's render in a static build.
            context["share_image"] = self.hero_image.get_renditions(SHARE_IMAGE_SPEC)[SHARE_IMAGE_SPEC]
            image_url = request.build_absolute_uri(context["share_image"].url)
        data = [jsonld.news_article(page=self, url=url, image_url=image_url, **publisher)]
        review = jsonld.claim_review(page=self, verdict=verification["verdict"], url=url, **publisher)
        if review:
            data.append(review)
        context["structured_data"] = jsonld.script_tag(data)
        return context

    def save(self, *args, **kwargs):
        from cms.models.verification import news_live_save_check

        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"live", "live_revision", "alias_of"} & set(update_fields):
            news_live_save_check(self)
        return super().save(*args, **kwargs)

    def publish(self, revision, user=None, changed=True, log_action=True, previous_revision=None, **kwargs):
        """Refuse (PublishRefused) unless the revision is verified; a due scheduled go-live that is refused is
        unscheduled and logged instead, so one unverified page cannot stop publish_scheduled for the others."""
        from cms.models.verification import (
            PublishRefused,
            VerificationEvent,
            revision_carry_verdict,
            revision_publishable,
        )

        revision_carry_verdict(revision)
        if not revision_publishable(revision):
            if log_action == "wagtail.publish.scheduled":
                revision.approved_go_live_at = None
                revision.save(update_fields=["approved_go_live_at"])
                VerificationEvent.objects.create(
                    page=self, from_state="scheduled", to_state="refused", note=f"revision {revision.pk} unverified"
                )
                logger.error("Scheduled go-live of page %s refused: revision %s is not verified", self.pk, revision.pk)
                return None
            raise PublishRefused()
        return super().publish(
            revision, user=user, changed=changed, log_action=log_action, previous_revision=previous_revision, **kwargs
        )

    def clean(self) -> None:
        super().clean()
        errors = self.region_errors()
        errors.update(self.source_errors())
        errors.update(self.reserved_slug_errors())
        if self.video_id and self.video.file_extension.lower() not in VIDEO_EXTENSIONS:
            errors["video"] = _("Choose a video file (MP4, WebM or MOV); other documents cannot be played or uploaded.")
        if errors:
            raise ValidationError(errors)

    def minimal_clean(self) -> None:
        super().minimal_clean()  # what Wagtail checks on a draft's save: title and slug
        errors = self.reserved_slug_errors()
        if errors:
            raise ValidationError(errors)

    def reserved_slug_errors(self) -> dict:
        """The index routes these addresses itself (/berita/kategori/): a page there would be unreachable."""
        if self.slug in RESERVED_SLUGS:
            return {"slug": _("This address is used by the news section itself. Choose another slug.")}
        return {}

    def source_errors(self) -> dict:
        """The source must name who it came from, and only that."""
        required = {self.Source.AGENCY: "source_agency", self.Source.KIM: "source_kim_group"}
        errors = {}
        for kind, field in required.items():
            value = getattr(self, f"{field}_id")
            if self.source_kind == kind and not value:
                errors[field] = _("Choose which one this news came from.")
            elif self.source_kind != kind and value:
                errors[field] = _("Leave this empty, or change the source to match it.")
        return errors

    @property
    def source_label(self) -> str:
        if self.source_kind == self.Source.AGENCY and self.source_agency:
            return str(self.source_agency)
        if self.source_kind == self.Source.KIM and self.source_kim_group:
            return str(self.source_kim_group)
        return str(self.Source.MEDIA_CENTER.label)
