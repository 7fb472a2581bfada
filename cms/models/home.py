"""The home page of a regency/city site: the root of its news and directory."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.models.sections import HomeSectionsMixin
from cms.selectors import news_published_under

HOME_LATEST_COUNT = 6


class HomePage(HomeSectionsMixin, Page):
    """Also routes the sections that live at the site's root: /cek-fakta/, /wilayah/, /opd/, /kim/ (sections.py)."""

    intro = models.TextField(_("introduction"), blank=True)
    highlights = StreamField(
        [("item", blocks.PageChooserBlock(page_type=["cms.NewsPage", "cms.DirectoryListingPage"], label=_("page")))],
        verbose_name=_("highlights"),
        blank=True,
        max_num=6,
        help_text=_("Up to six news items or listings shown first on the home page."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("highlights")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.NewsIndexPage", "cms.DirectoryIndexPage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = news_published_under(parent=self)[:HOME_LATEST_COUNT]
        context["highlight_pages"] = [
            block.value.specific for block in self.highlights if block.value and block.value.live
        ]
        return context
