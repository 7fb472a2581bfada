"""Feeds, sitemap and robots.txt of the built site, as aggregators, other regencies' sites, kiosks and search
engines read them: parsed by feedparser, validated against the formats' published schemas, holding only live news.

Validators (tests/sitegen/schemas/README.md says where each file comes from):
- JSON Feed 1.1: the JSON Schema of the npm package jsonfeed-schema 0.5.0, with jsonschema and its uri and
  date-time format checks (rfc3986-validator, rfc3339-validator).
- Atom 1.0: the RELAX NG grammar of RFC 4287 (Appendix B) with lxml; the grammar's two Schematron rules, which
  RELAX NG validators do not run, are checked here.
- Sitemap: the sitemaps.org XML Schema (from the npm package sitemap 9.0.1) with lxml; a sitemap index against
  siteindex.xsd, written from the protocol.
- RSS 2.0 has no official schema and the W3C feed validator is not on PyPI: the specification's required
  elements are checked here, besides feedparser's well-formedness (bozo == 0).
"""

import datetime
import hashlib
import json
import re
import zoneinfo
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema
import pytest
from lxml import etree

from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Site

from cms.models import District, NewsCategory, NewsIndexPage, NewsPage, SiteProfile, VerdictChoice
from cms.services.verification import news_withdraw
from sitegen import sitemap as sitemap_module
from sitegen.build import site_build
from sitegen.feeds import EPOCH, clean_html
from sitegen.store import PATHS
from tests.factories import (
    DistrictFactory,
    ImageFactory,
    NewsCategoryFactory,
    NewsPageFactory,
    VillageFactory,
    verified_publish,
    verify_revision,
)

SCHEMAS = Path(__file__).parent / "schemas"
JSON_FEED = jsonschema.Draft7Validator(
    json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text()),
    format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER,
)
ATOM_GRAMMAR = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
SITEMAP_SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd")))
SITEINDEX_SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMAS / "siteindex.xsd")))
NS = {
    "a": "http://www.w3.org/2005/Atom",
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "schema": "https://schema.org/",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
ROOT_URL = "http://localhost"
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
URL = re.compile(r"http://localhost(/[^\"'<>\s&\\]*)?")  # ends at a quote, also JSON's \"
DYNAMIC_PREFIXES = ("/kirim/", "/api/", "/admin/", "/documents/", "/i18n/", "/en/")
EXTENSIONS = ("xml", "atom", "json")
HIDDEN_SLUGS = ("draf-belum-diverifikasi", "bantuan-beras-dibagikan-senin", "lomba-kebersihan-desa")
HIDDEN_WORDS = ("Draf Belum Diverifikasi", "Bantuan Beras", "Lomba Kebersihan", "Berubah Tanpa Verifikasi")


def test_the_format_checks_the_json_feed_schema_relies_on_are_installed():
    """Without rfc3986-validator and rfc3339-validator jsonschema skips "uri" and "date-time" silently."""
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    assert not checker.conforms("/berita/relatif/", "uri")
    assert not checker.conforms("24 November 2026", "date-time")


# The site ---------------------------------------------------------------------------------------------------


@pytest.fixture
def site_root(settings, tmp_path):
    settings.SIAR_SITE_ROOT = tmp_path / "site"
    return settings.SIAR_SITE_ROOT


def _live(root: Path) -> Path:
    return (root / "current").resolve()


def _tree(root: Path) -> dict[str, str]:
    """Every output of the live release and the hash of its bytes (not the release's own list of its files)."""
    live = _live(root)
    return {
        path.relative_to(live).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(live.rglob("*"))
        if path.is_file() and path.relative_to(live).as_posix() != PATHS
    }


def _clarification(title: str, **kwargs) -> NewsPage:
    page = NewsPageFactory(title=title, live=False, **kwargs)
    revision = page.save_revision()
    verify_revision(revision, verdict=VerdictChoice.FALSE)
    revision.publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def content(home_page, news_index, directory_index, moderator):
    """Three categories (one without news), two districts and a village, and every state an item can be in."""
    health = NewsCategoryFactory(name="Kesehatan", slug="kesehatan")
    roads = NewsCategoryFactory(name="Jalan dan Jembatan", slug="jalan")
    NewsCategoryFactory(name="Pariwisata", slug="pariwisata")
    lawang = DistrictFactory(code="16.03.01", name="Lawang Kidul")
    tanjung = DistrictFactory(code="16.03.02", name="Tanjung Agung")
    village = VillageFactory(district=lawang, code="16.03.01.2001", name="Tegal Rejo")
    published = NewsPageFactory(
        title="Posyandu Balita Dibuka Lagi",
        lead="Posyandu melayani penimbangan & imunisasi <gratis> setiap Senin.",
        body=[
            ("paragraph", '<p>Lihat <a href="/berita/">daftar berita</a> dan <b>jadwal</b>.</p>'),
            ("image", {"image": ImageFactory(), "caption": "Kader posyandu", "credit": "Diskominfo"}),
            ("quote", {"text": "Datanglah tepat waktu.", "attribution": "Kepala Puskesmas"}),
        ],
        hero_image=ImageFactory(),
        categories=[health],
        district=lawang,
        village=village,
    )
    road = NewsPageFactory(title="Jembatan Gantung Diperbaiki", categories=[roads], district=tanjung)
    NewsPageFactory(title="Draf Belum Diverifikasi", live=False, categories=[health], district=lawang)
    unverified_edit = NewsPageFactory(title="Jadwal Vaksinasi Sekolah", categories=[health], district=lawang)
    unverified_edit.title = "Jadwal Vaksinasi Berubah Tanpa Verifikasi"
    unverified_edit.save_revision()  # a later draft: its words must reach no feed
    withdrawn = NewsPageFactory(title="Bantuan Beras Dibagikan Senin", categories=[roads], district=tanjung)
    news_withdraw(page=withdrawn, actor=moderator, explanation="Jadwal keliru; yang benar hari Selasa.")
    expired = NewsPageFactory(title="Lomba Kebersihan Desa", categories=[health], district=lawang, village=village)
    NewsPage.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("publish_scheduled")
    clarification = _clarification("[HOAKS] Air Rebusan Daun Sirsak Sembuhkan Kanker", categories=[health])
    return {
        "published": published,
        "road": road,
        "unverified_edit": unverified_edit,
        "withdrawn": withdrawn,
        "clarification": clarification,
    }


def _profile_update(**fields) -> None:
    profile = SiteProfile.for_site(Site.objects.get(is_default_site=True))  # made on first use
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()


def _url(page) -> str:
    return NewsPage.objects.get(pk=page.pk).full_url


def _newest_first(*pages) -> list[str]:
    pages = NewsPage.objects.filter(pk__in=[p.pk for p in pages]).order_by("-first_published_at", "-pk")
    return [page.full_url for page in pages]


def _feed(root: Path, name: str, extension: str) -> bytes:
    return (_live(root) / "feeds" / f"{name}.{extension}").read_bytes()


def _feed_files(root: Path) -> list[Path]:
    return sorted(path for path in (_live(root) / "feeds").rglob("*") if path.is_file())


def _sitemap_files(root: Path) -> list[Path]:
    return sorted(_live(root).glob("sitemap*.xml"))


# Validation -------------------------------------------------------------------------------------------------


def _json_feed_problems(data: bytes) -> list[str]:
    errors = JSON_FEED.iter_errors(json.loads(data))
    return sorted(f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors)


def _atom_problems(data: bytes, feed_url: str) -> list[str]:
    document = etree.fromstring(data)
    if not ATOM_GRAMMAR.validate(document):
        return [str(error) for error in ATOM_GRAMMAR.error_log]
    problems = []
    # The Schematron rules of RFC 4287's grammar.
    if not document.xpath("a:author", namespaces=NS) and document.xpath("a:entry[not(a:author)]", namespaces=NS):
        problems.append("an atom:feed must have an atom:author unless all of its entries have one")
    if document.xpath("a:entry[not(a:link[@rel='alternate'] or a:link[not(@rel)] or a:content)]", namespaces=NS):
        problems.append("an atom:entry must have an alternate link or content")
    # RFC 4287 §4.1.1: ids are absolute IRIs; a feed should say where it lives.
    for atom_id in document.xpath("//a:id/text()", namespaces=NS):
        if not urlsplit(atom_id).scheme:
            problems.append(f"relative atom:id {atom_id}")
    if document.xpath("a:link[@rel='self']/@href", namespaces=NS) != [feed_url]:
        problems.append("no self link to the feed's own address")
    return problems


def _rss_problems(data: bytes, feed_url: str) -> list[str]:
    """The RSS 2.0 specification (rssboard.org/rss-specification) and the RSS Advisory Board's self link."""
    document = etree.fromstring(data)
    problems = []
    if document.tag != "rss" or document.get("version") != "2.0":
        problems.append("root is not <rss version=2.0>")
    channels = document.findall("channel")
    if len(channels) != 1:
        return [*problems, "not exactly one channel"]
    channel = channels[0]
    for required in ("title", "link", "description"):
        if not (channel.findtext(required) or "").strip():
            problems.append(f"channel without {required}")
    if channel.xpath("a:link[@rel='self']/@href", namespaces=NS) != [feed_url]:
        problems.append("no atom:link rel=self to the feed's own address")
    dates = [channel.findtext("lastBuildDate")] + [item.findtext("pubDate") for item in channel.findall("item")]
    for value in filter(None, dates):
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            problems.append(f"not an RFC 822 date with a zone: {value}")
    for item in channel.findall("item"):
        if not (item.findtext("title") or item.findtext("description")):
            problems.append("item with neither title nor description")
        if not urlsplit(item.findtext("link") or "").scheme:
            problems.append("item link is not absolute")
        guid = item.find("guid")
        if guid is None or not guid.text or guid.get("isPermaLink") not in ("false", None):
            problems.append("item without a guid")
        for enclosure in item.findall("enclosure"):
            if not (enclosure.get("url") and (enclosure.get("length") or "").isdigit() and enclosure.get("type")):
                problems.append("enclosure needs url, length (bytes) and type")
    return problems


def _parsed(data: bytes):
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def _check_feed(root: Path, name: str, extension: str) -> list[dict]:
    """Parse and validate one feed file; returns its entries as feedparser sees them."""
    data = _feed(root, name, extension)
    feed_url = f"{ROOT_URL}/feeds/{name}.{extension}"
    if extension == "json":
        assert _json_feed_problems(data) == []
        document = json.loads(data)
        assert document["feed_url"] == feed_url and document["language"] == "id"
        return [{"link": item["url"], "id": item["id"], "title": item["title"]} for item in document["items"]]
    problems = _rss_problems(data, feed_url) if extension == "xml" else _atom_problems(data, feed_url)
    assert problems == [], f"{name}.{extension}: {problems}"
    parsed = _parsed(data)
    assert parsed.version == ("rss20" if extension == "xml" else "atom10")
    assert parsed.feed.get("language", "id") == "id"
    return parsed.entries


# What the feeds hold ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_feed_validates_and_holds_exactly_the_live_items_newest_first(site_root, content):
    site_build(trigger="full")
    published, road, edited, clarification = (
        content[key] for key in ("published", "road", "unverified_edit", "clarification")
    )
    expected = {
        "berita": _newest_first(published, road, edited, clarification),
        "cek-fakta": _newest_first(clarification),
        "kategori/kesehatan": _newest_first(published, edited, clarification),
        "kategori/jalan": _newest_first(road),
        "kategori/pariwisata": [],  # exists while empty, so a subscription never breaks
        "wilayah/16.03.01": _newest_first(published, edited),
        "wilayah/16.03.02": _newest_first(road),
        "wilayah/16.03.01.2001": _newest_first(published),
    }
    files = {p.relative_to(_live(site_root) / "feeds").as_posix() for p in _feed_files(site_root)}
    assert files == {f"{name}.{extension}" for name in expected for extension in EXTENSIONS}
    for name, links in expected.items():
        for extension in EXTENSIONS:
            entries = _check_feed(site_root, name, extension)
            assert [entry["link"] for entry in entries] == links, f"{name}.{extension}"
            if name == "berita":
                assert "Jadwal Vaksinasi Sekolah" in [entry["title"] for entry in entries]  # the verified words

    everything = b"".join(path.read_bytes() for path in _feed_files(site_root) + _sitemap_files(site_root))
    for hidden in HIDDEN_SLUGS + HIDDEN_WORDS:
        assert hidden.encode() not in everything, hidden


@pytest.mark.django_db
def test_an_item_carries_what_aggregators_and_kiosks_show(site_root, content):
    _profile_update(time_zone="Asia/Makassar", office_name="Dinas Kominfo Kabupaten Uji")  # WITA
    site_build(trigger="full")
    page = NewsPage.objects.get(pk=content["published"].pk)
    url = page.full_url
    rendition = page.hero_image.get_rendition("fill-1200x630|format-jpeg")
    image_url, image_size = ROOT_URL + rendition.url, str(rendition.file.size)
    published = page.first_published_at.astimezone(zoneinfo.ZoneInfo("Asia/Makassar"))

    feed = json.loads(_feed(site_root, "berita", "json"))
    item = next(item for item in feed["items"] if item["url"] == url)
    assert item["id"].startswith("urn:uuid:") and item["title"] == "Posyandu Balita Dibuka Lagi"
    assert item["summary"] == page.lead
    assert item["date_published"] == published.isoformat(timespec="seconds") and item["date_published"][-6:] == "+08:00"
    assert item["image"] == image_url
    assert item["tags"] == ["Kesehatan"]
    assert item["authors"] == [{"name": "Dinas Kominfo Kabupaten Uji", "url": ROOT_URL + "/"}]
    assert '<a href="http://localhost/berita/">daftar berita</a>' in item["content_html"]
    assert re.search(r'<img alt="Kader posyandu" src="http://localhost/media/images/[^"]+\.jpg"', item["content_html"])
    assert "<blockquote><p>Datanglah tepat waktu.</p></blockquote>" in item["content_html"]
    assert not re.search(r"srcset|class=|loading=|<picture|<source", item["content_html"])

    rss = next(e for e in _parsed(_feed(site_root, "berita", "xml")).entries if e.link == url)
    assert rss.id == item["id"]
    assert rss.enclosures == [{"href": image_url, "length": image_size, "type": "image/jpeg"}]
    assert rss.published.endswith("+0800") and rss.author == "Dinas Kominfo Kabupaten Uji"
    assert "daftar berita" in rss.content[0].value and image_url.rsplit("/", 1)[0] in rss.content[0].value
    assert [tag.term for tag in rss.tags] == ["Kesehatan"]

    atom = next(e for e in _parsed(_feed(site_root, "berita", "atom")).entries if e.link == url)
    assert atom.id == item["id"] and atom.summary == page.lead
    assert atom.published == item["date_published"] and atom.updated == item["date_modified"]
    assert [(tag.term, tag.label) for tag in atom.tags] == [("kesehatan", "Kesehatan")]
    assert [(link.rel, link.href, link.length) for link in atom.links if link.rel == "enclosure"] == [
        ("enclosure", image_url, image_size)
    ]
    assert "Datanglah tepat waktu." in atom.content[0].value


@pytest.mark.django_db
def test_a_clarification_carries_the_claim_review_its_page_publishes(site_root, content):
    site_build(trigger="full")
    page = content["clarification"]
    html = (_live(site_root) / page.url.strip("/") / "index.html").read_text()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    on_page = next(data for data in json.loads(scripts[0]) if data["@type"] == "ClaimReview")

    for name in ("berita", "cek-fakta", "kategori/kesehatan"):
        item = next(i for i in json.loads(_feed(site_root, name, "json"))["items"] if i["url"] == page.full_url)
        assert item["_claim_review"] == on_page
        assert item["content_html"].startswith("<h2>")  # the verdict comes first, as on the page
        for extension, item_path in (("xml", "channel/item"), ("atom", "a:entry")):
            document = etree.fromstring(_feed(site_root, name, extension))
            review = document.xpath(f"{item_path}/schema:ClaimReview", namespaces=NS)
            assert len(review) == 1
            assert review[0].findtext("schema:claimReviewed", namespaces=NS) == on_page["claimReviewed"]
            rating = review[0].find("schema:reviewRating", namespaces=NS)
            assert rating.get("type") == "Rating" and rating.findtext("schema:ratingValue", namespaces=NS) == "1"
            assert rating.findtext("schema:alternateName", namespaces=NS) == on_page["reviewRating"]["alternateName"]
    plain = json.loads(_feed(site_root, "kategori/jalan", "json"))["items"][0]
    assert "_claim_review" not in plain


@pytest.mark.django_db
def test_an_item_keeps_its_id_when_its_address_changes(site_root, content):
    site_build(trigger="full")
    before = {e["link"]: e["id"] for e in _check_feed(site_root, "berita", "atom")}
    old_url = _url(content["published"])
    page = NewsPage.objects.get(pk=content["published"].pk)
    page.slug = "posyandu-balita-kembali-dibuka"
    verified_publish(page)
    site_build(trigger="incremental")
    for extension in EXTENSIONS:
        after = {e["link"]: e["id"] for e in _check_feed(site_root, "berita", extension)}
        assert after[_url(page)] == before[old_url]  # readers see the same item, not a second one
        assert old_url not in after


@pytest.mark.django_db
def test_an_empty_feed_is_valid_and_stays_the_same_until_an_item_arrives(site_root, content, news_index):
    site_build(trigger="full")
    for extension in EXTENSIONS:
        assert _check_feed(site_root, "kategori/pariwisata", extension) == []
    updated = etree.fromstring(_feed(site_root, "kategori/pariwisata", "atom")).findtext("a:updated", namespaces=NS)
    index = NewsIndexPage.objects.get(pk=news_index.pk)
    assert updated == (index.last_published_at or EPOCH).astimezone(WIB).isoformat("T", "seconds")
    before = _tree(site_root)
    NewsPageFactory(title="Pasar Malam Ramadan", categories=[NewsCategory.objects.get(slug="jalan")])
    site_build(trigger="incremental")
    assert _tree(site_root)["feeds/kategori/pariwisata.atom"] == before["feeds/kategori/pariwisata.atom"]


@pytest.mark.django_db
def test_region_feeds_are_those_of_the_sites_own_regency(site_root, content):
    """On an installation serving several regencies, one site's feeds list only its own districts and villages."""
    _profile_update(regency_code="16.03")
    VillageFactory(district=DistrictFactory(code="16.04.01", name="Kecamatan Tetangga"), code="16.04.01.2001")
    site_build(trigger="full")
    regions = {path.name for path in (_live(site_root) / "feeds" / "wilayah").iterdir()}
    assert {"16.03.01.json", "16.03.02.json", "16.03.01.2001.json"} <= regions
    assert not any(name.startswith("16.04") for name in regions)


# The sitemap ----------------------------------------------------------------------------------------------


def _published_pages(root: Path, content) -> set[str]:
    """Addresses of the release's HTML pages, but for withdrawal notices (noindex) and the 404 page."""
    live = _live(root)
    notices = {_url(content["withdrawn"])}
    pages = set()
    for path in live.rglob("index.html"):
        folder = path.parent.relative_to(live).as_posix()
        pages.add(ROOT_URL + ("/" if folder == "." else f"/{folder}/"))
    return pages - notices


def _locs(path: Path) -> list[str]:
    return etree.parse(str(path)).xpath("//s:loc/text()", namespaces=NS)


@pytest.mark.django_db
def test_the_sitemap_lists_every_published_page_with_its_last_change(site_root, content):
    site_build(trigger="full")
    live = _live(site_root)
    sitemap = etree.parse(str(live / "sitemap.xml"))
    assert SITEMAP_SCHEMA.validate(sitemap), SITEMAP_SCHEMA.error_log
    locs = _locs(live / "sitemap.xml")
    assert len(locs) == len(set(locs))
    assert set(locs) == _published_pages(site_root, content)
    assert _url(content["withdrawn"]) not in locs and (live / content["withdrawn"].url.strip("/")).is_dir()

    page = NewsPage.objects.get(pk=content["published"].pk)
    lastmod = sitemap.xpath(f"//s:url[s:loc='{page.full_url}']/s:lastmod/text()", namespaces=NS)
    assert lastmod == [page.last_published_at.astimezone(WIB).isoformat("T", "seconds")]
    home = sitemap.xpath(f"//s:url[s:loc='{ROOT_URL}/']/s:lastmod/text()", namespaces=NS)
    assert home and home[0] >= lastmod[0]  # a withdrawal or publish moves the lists that show news

    robots = (live / "robots.txt").read_text()
    assert "User-agent: *" in robots and f"Sitemap: {ROOT_URL}/sitemap.xml" in robots


@pytest.mark.django_db
def test_a_site_past_one_sitemap_file_gets_a_sitemap_index(site_root, content, monkeypatch):
    monkeypatch.setattr(sitemap_module, "URLS_PER_FILE", 3)
    site_build(trigger="full")
    live = _live(site_root)
    index = etree.parse(str(live / "sitemap.xml"))
    assert SITEINDEX_SCHEMA.validate(index), SITEINDEX_SCHEMA.error_log
    parts = index.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    assert len(parts) >= 4 and all(re.fullmatch(rf"{ROOT_URL}/sitemap-[a-z]+-\d+\.xml", part) for part in parts)
    listed = []
    for part in parts:
        path = live / urlsplit(part).path.lstrip("/")  # at the root: a sitemap lists only addresses below itself
        assert SITEMAP_SCHEMA.validate(etree.parse(str(path))), SITEMAP_SCHEMA.error_log
        assert len(_locs(path)) <= 3
        listed += _locs(path)
    assert sorted(listed) == sorted(_published_pages(site_root, content))
    names = sorted(["sitemap.xml", *(part.rsplit("/", 1)[1] for part in parts)])
    assert sorted(path.name for path in _sitemap_files(site_root)) == names


# Links ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_address_in_the_feeds_and_the_sitemap_has_a_file(site_root, content):
    site_build(trigger="full")
    live = _live(site_root)
    broken, checked = [], 0
    for path in _feed_files(site_root) + _sitemap_files(site_root):
        for match in URL.finditer(path.read_text()):
            address = match.group(1) or "/"
            if address.startswith(DYNAMIC_PREFIXES):
                continue
            if address.startswith(django_settings.MEDIA_URL):
                target = Path(django_settings.MEDIA_ROOT) / address[len(django_settings.MEDIA_URL) :]
            else:
                target = live / address.lstrip("/")
                target = target / "index.html" if address.endswith("/") else target
            checked += 1
            if not target.is_file():
                broken.append((path.relative_to(live).as_posix(), address))
    assert broken == [] and checked > 100


@pytest.mark.django_db
def test_every_page_announces_the_site_feeds(site_root, content):
    site_build(trigger="full")
    live = _live(site_root)
    for page in ("index.html", "berita/index.html", content["published"].url.strip("/") + "/index.html"):
        html = (live / page).read_text()
        for media_type, extension in (("rss+xml", "xml"), ("atom+xml", "atom"), ("feed+json", "json")):
            assert f'<link rel="alternate" type="application/{media_type}"' in html
            assert f'href="/feeds/berita.{extension}"' in html
            assert (live / "feeds" / f"berita.{extension}").is_file()


# Incremental builds -------------------------------------------------------------------------------------------


def _changed(before: dict, after: dict) -> set[str]:
    return {path for path in after if before.get(path) != after[path]} | (before.keys() - after.keys())


@pytest.mark.django_db
def test_a_publish_rewrites_its_feeds_and_the_sitemap_and_no_other_feed(site_root, content):
    site_build(trigger="full")
    before = _tree(site_root)
    NewsPageFactory(
        title="Festival Durian Lawang Kidul",
        categories=[NewsCategory.objects.get(slug="kesehatan")],
        district=District.objects.get(code="16.03.01"),
    )
    release = site_build(trigger="incremental")
    changed = {path for path in _changed(before, _tree(site_root)) if path.startswith(("feeds/", "sitemap"))}
    expected = {"sitemap.xml"} | {
        f"feeds/{name}.{extension}"
        for name in ("berita", "kategori/kesehatan", "wilayah/16.03.01")
        for extension in EXTENSIONS
    }
    assert changed == expected  # not jalan, pariwisata, 16.03.02, the village, cek-fakta
    assert "robots.txt" not in _changed(before, _tree(site_root))
    assert release.files_written == len(_changed(before, _tree(site_root)))

    before = _tree(site_root)
    District.objects.filter(code="16.03.01").update(name="Lawang Kidul Raya")  # a snippet edit
    site_build(trigger="incremental")
    changed = {path for path in _changed(before, _tree(site_root)) if path.startswith(("feeds/", "sitemap"))}
    assert changed == {f"feeds/wilayah/{code}.{ext}" for code in ("16.03.01", "16.03.01.2001") for ext in EXTENSIONS}


def _publish(content):
    NewsPageFactory(
        title="Festival Durian Tanjung Agung",
        categories=[NewsCategory.objects.get(slug="jalan")],
        district=District.objects.get(code="16.03.02"),
        hero_image=ImageFactory(),
    )


def _withdraw(content):
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.get(username="moderator")
    news_withdraw(page=NewsPage.objects.get(pk=content["published"].pk), actor=moderator, explanation="Keliru.")


def _expire(content):
    NewsPage.objects.filter(pk=content["road"].pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("publish_scheduled")


def _rename_category(content):
    category = NewsCategory.objects.get(slug="kesehatan")
    category.name, category.slug = "Kesehatan Masyarakat", "kesehatan-masyarakat"
    category.save()


def _rename_district(content):
    District.objects.filter(code="16.03.01").update(name="Lawang Kidul Baru")


def _edit_verified(content):
    page = NewsPage.objects.get(pk=content["road"].pk)
    page.lead = "Jembatan gantung kembali bisa dilalui sepeda motor."
    verified_publish(page)


def _edit_unverified(content):
    page = NewsPage.objects.get(pk=content["road"].pk)
    page.title = "Jembatan Belum Diverifikasi"
    page.save_revision()


def _edit_profile(content):
    _profile_update(office_name="Dinas Komunikasi dan Informatika", time_zone="Asia/Jayapura")


def _publish_clarification(content):
    _clarification("[HOAKS] Jembatan Ambruk Diterjang Banjir", categories=[NewsCategory.objects.get(slug="jalan")])


OPERATIONS = [
    _publish,
    _withdraw,
    _expire,
    _rename_category,
    _rename_district,
    _edit_verified,
    _edit_unverified,
    _edit_profile,
    _publish_clarification,
]


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.__name__.strip("_"))
def test_each_change_builds_incrementally_to_the_bytes_of_a_full_build(settings, tmp_path, content, operation):
    settings.SIAR_SITE_ROOT = tmp_path / "incremental"
    site_build(trigger="full")
    before = _tree(tmp_path / "incremental")
    operation(content)
    site_build(trigger="incremental")
    settings.SIAR_SITE_ROOT = tmp_path / "full"
    site_build(trigger="full")
    incremental = _tree(tmp_path / "incremental")
    assert incremental == _tree(tmp_path / "full")
    feeds_changed = {path for path in _changed(before, incremental) if path.startswith(("feeds/", "sitemap"))}
    if operation is _edit_unverified:
        assert feeds_changed == set()  # an unverified edit changes nothing public
    else:
        assert feeds_changed


# Validators and cleaning, on their own ----------------------------------------------------------------------


def _once(pattern: str, replacement: str, text: str) -> str:
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.S)
    assert count == 1, pattern
    return changed


@pytest.mark.django_db
def test_the_validators_reject_what_readers_would_reject(site_root, content):
    """Each check fails on a broken copy of a real feed, so a passing check means something."""
    site_build(trigger="full")
    feed_json = json.loads(_feed(site_root, "berita", "json"))
    del feed_json["items"][0]["id"]
    feed_json["items"][1]["date_published"] = "24 November 2026"
    feed_json["items"][2]["url"] = "/berita/relatif/"
    assert len(_json_feed_problems(json.dumps(feed_json).encode())) == 3

    atom = _feed(site_root, "berita", "atom").decode()
    url = f"{ROOT_URL}/feeds/berita.atom"
    assert _atom_problems(atom.replace(f"<id>{url}</id>", "", 1).encode(), url)
    assert _atom_problems(_once(r"<updated>[^<]+</updated>", "<updated>kemarin</updated>", atom).encode(), url)
    no_link = _once(r'<link href="[^"]+" rel="alternate" type="text/html"/><published>', "<published>", atom)
    no_link = _once(r'<content type="html">.*?</content>', "", no_link)
    assert _atom_problems(no_link.encode(), url) == ["an atom:entry must have an alternate link or content"]

    rss = _feed(site_root, "berita", "xml").decode()
    url = f"{ROOT_URL}/feeds/berita.xml"
    assert _rss_problems(_once(r"<description>[^<]*</description>", "", rss).encode(), url)
    assert _rss_problems(_once(r"<pubDate>[^<]+</pubDate>", "<pubDate>Senin pagi</pubDate>", rss).encode(), url)

    sitemap = (_live(site_root) / "sitemap.xml").read_text()
    assert not SITEMAP_SCHEMA.validate(etree.fromstring(sitemap.replace("<lastmod>", "<lastmod>x", 1).encode()))


def test_feed_html_keeps_only_what_a_reader_shows_safely_with_absolute_addresses():
    markup = (
        '<p class="lead" onclick="steal()">Jadwal <script>alert(1)</script><a href="javascript:alert(1)">x</a>'
        '<!-- x --><a href="/berita/pasar/">pasar</a><iframe src="https://evil.example/"></iframe><span>!</span></p>'
        '<figure class="figure"><picture><source srcset="/media/a.webp 400w" type="image/webp">'
        '<img alt="Foto" src="/media/a-400.jpg" srcset="/media/a-400.jpg 400w, /media/a-800.jpg 800w" width="400"'
        ' height="300" loading="lazy"></picture></figure>'
    )
    assert clean_html(markup, base="https://kab.example.go.id/") == (
        '<p>Jadwal <a>x</a><a href="https://kab.example.go.id/berita/pasar/">pasar</a>!</p>'
        '<figure><img alt="Foto" src="https://kab.example.go.id/media/a-800.jpg"></figure>'
    )
