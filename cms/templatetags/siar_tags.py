"""Template helpers for Siar's themes: dates in the site's zone, navigation, small label lookups.

Everything here either formats a value it is given or, for navigation, reads what the page context
provides before falling back to one cached look-up, so the static-site renderer can use the same
templates.
"""

import re
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language

from cms.blocks import OpeningHoursBlock
from cms.fragments import fragment
from cms.models.site_settings import ZONE_ABBREVIATIONS
from cms.validators import normalise_whatsapp

register = template.Library()

# Indonesian writes times with a full stop (14.05); English readers expect a colon (14:05).
_TIME_FORMATS = {"id": "H.i"}
_DEFAULT_TIME_FORMAT = "H:i"
_PHONE_SEPARATORS = re.compile(r"[^\d+]")
_DAY_LABELS = dict(OpeningHoursBlock.DAYS)
_VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "mov": "video/quicktime"}


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def zone_abbreviation(value=None) -> str:
    """WIB/WITA/WIT of the zone the value is shown in; the active zone, so label and clock always agree."""
    name = timezone.get_current_timezone_name()
    if name in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[name]
    return value.tzname() if value is not None and value.tzname() else name


@register.filter(expects_localtime=True)
def siar_datetime(value) -> str:
    """'24 November 2026, 14.05 WIB' (month names come from Django's own Indonesian catalogue)."""
    if not value:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    value = timezone.localtime(value)
    time_format = _TIME_FORMATS.get(_language(), _DEFAULT_TIME_FORMAT)
    return f"{date_format(value, 'j F Y')}, {date_format(value, time_format)} {zone_abbreviation(value)}"


@register.filter(expects_localtime=True)
def siar_date(value) -> str:
    """'24 November 2026' for a date or a datetime."""
    if not value:
        return ""
    return date_format(value, "j F Y")


@register.filter
def siar_time(value) -> str:
    """A wall-clock time such as opening hours: 08.00 in Indonesian, 08:00 in English."""
    if value is None or value == "":
        return ""
    return date_format(value, _TIME_FORMATS.get(_language(), _DEFAULT_TIME_FORMAT))


@register.filter
def tel_href(number: str) -> str:
    """A tel: address from a number as the editor typed it (0734 421234 → tel:0734421234)."""
    compact = _PHONE_SEPARATORS.sub("", number or "")
    return f"tel:{compact}" if compact else ""


@register.filter
def whatsapp_href(number: str) -> str:
    """A wa.me address from a number as typed (0812 3456 7890 → https://wa.me/6281234567890)."""
    normalised = normalise_whatsapp(number or "")
    return f"https://wa.me/{normalised.lstrip('+')}" if normalised else ""


@register.filter
def in_section(page, section) -> bool:
    """Whether page is section or lies below it, for aria-current in the navigation."""
    # A page previewed before its first save has no tree path yet.
    return bool(section is not None and (getattr(page, "path", None) or "").startswith(section.path))


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """Full address for Open Graph tags, which WhatsApp and Facebook need absolute."""
    request = context.get("request")
    if not url or "://" in url or request is None:
        return url or ""
    return request.build_absolute_uri(url)


@register.filter
def opening_days(value: str) -> str:
    return str(_DAY_LABELS.get(value, value))


@register.filter
def hostname(url: str) -> str:
    return urlsplit(url or "").hostname or ""


@register.filter
def display_url(url: str) -> str:
    """An address as people read it aloud: https://www.facebook.com/kim/ → facebook.com/kim."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path}".rstrip("/") if host else url or ""


@register.filter
def model_name(page) -> str:
    return page._meta.model_name if page is not None else ""


@register.filter
def video_type(document) -> str:
    return _VIDEO_TYPES.get(getattr(document, "file_extension", "").lower(), "")


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current address in each language (Indonesian at the root, English under /en/)."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = _language()
    return [
        {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def siar_navigation(context) -> dict:
    """Home, news index, directory index and its category addresses for the header and footer.

    Uses `navigation` from the context when a view (or the static renderer) provides it; otherwise
    looks the site's sections up once per request.
    """
    if context.get("navigation"):
        return context["navigation"]
    request = context.get("request")
    cached = getattr(request, "_siar_navigation", None)
    if cached is not None:
        return cached
    navigation = _build_navigation(request)
    if request is not None:
        request._siar_navigation = navigation
    return navigation


def _build_navigation(request) -> dict:
    from wagtail.models import Site

    from cms.models import DirectoryCategory, DirectoryIndexPage, NewsIndexPage

    navigation = {"home": None, "news": None, "directory": None, "categories": []}
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return navigation
    home = site.root_page.localized
    navigation["home"] = home
    navigation["news"] = NewsIndexPage.objects.live().child_of(home).first()
    directory = DirectoryIndexPage.objects.live().child_of(home).first()
    navigation["directory"] = directory
    if directory is not None:
        base = directory.get_url(request)
        if base:
            navigation["categories"] = [
                {"value": value, "label": label, "url": base + directory.reverse_subpage("category", args=[value])}
                for value, label in DirectoryCategory.choices
            ]
    return navigation


CARD_TEMPLATES = {"directorylistingpage": "includes/listing_card.html"}
DEFAULT_CARD_TEMPLATE = "includes/news_card.html"


@register.simple_tag(takes_context=True)
def card(context, item, heading_level=None):
    """The card of a news item or a listing in a list: ``{% card item heading_level=2 %}``.

    A card shows only its item (and the site's addresses), never the page around it, so it is rendered with
    just those and, during a static build, once per build however many lists show it (cms.fragments). The
    verdict annotated on a cek fakta list item is part of the key: that list labels its cards.
    """
    name = CARD_TEMPLATES.get(item._meta.model_name, DEFAULT_CARD_TEMPLATE)
    verdict = getattr(item, "clarification_verdict", None)

    def render():
        values = {"item": item, "heading_level": heading_level, "request": context.get("request")}
        return context.template.engine.get_template(name).render(context.new(values))

    return fragment((name, item.pk, heading_level, verdict), render)
