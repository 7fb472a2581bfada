"""The app's JSON API as the app developer meets it: files under /api/v1/ that match the OpenAPI document they come
with, hold only published and verified content, link only to things that exist, stay stable across builds, and a
changes feed that brings an app up to date by fetching only what changed. Plus the dynamic search endpoint.

Builds run through sitegen.build.site_build into a temporary SIAR_SITE_ROOT, as `manage.py build_site` does.
"""

import datetime
import hashlib
import json
import re
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as openapi_validate

from django.conf import settings as django_settings
from django.core.management import call_command
from django.db.models import F
from django.urls import Resolver404, resolve
from django.utils import timezone

from wagtail.models import Page, PageLogEntry, Site

from cms import jsonld
from cms.models import (
    AgencySocialAccount,
    DirectoryListingPage,
    ListingPhoto,
    NewsPage,
    SiteProfile,
    VerdictChoice,
    VerificationEvent,
)
from cms.services import ratelimit
from cms.services.ratelimit import SEARCH_PER_ADDRESS
from cms.services.verification import news_correct, news_withdraw
from sitegen import api
from sitegen.api import stable_pages
from sitegen.build import site_build
from tests.factories import (
    AgencyFactory,
    DirectoryListingPageFactory,
    DistrictFactory,
    ImageFactory,
    KimGroupFactory,
    NewsCategoryFactory,
    NewsPageFactory,
    VillageFactory,
    verified_publish,
    verify_revision,
)

ROOT_URL = "http://localhost"
API = "api/v1"
FORMATS = Draft202012Validator.FORMAT_CHECKER

# Words that must never reach the app: a draft, an unverified later edit, a withdrawn and an expired item.
SECRET_WORDS = (
    "Draf Yang Belum Diverifikasi",
    "Jadwal Posyandu Berubah Tanpa Verifikasi",
    "Bantuan Beras Dibagikan Senin",
    "Lomba Perahu Bidar Dibatalkan",
)


@pytest.fixture
def site_root(settings, tmp_path):
    settings.SIAR_SITE_ROOT = tmp_path / "site"
    return settings.SIAR_SITE_ROOT


def _api_root(root: Path) -> Path:
    return (root / "current").resolve() / API


def _api_files(root: Path) -> dict[str, bytes]:
    base = _api_root(root)
    return {path.relative_to(base).as_posix(): path.read_bytes() for path in sorted(base.rglob("*")) if path.is_file()}


def _api_tree(root: Path) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in _api_files(root).items()}


def _doc(root: Path, relative: str) -> dict:
    return json.loads((_api_root(root) / relative).read_text())


def _file_of(root: Path, url: str) -> Path:
    """The release file a /api/v1/ address is served from."""
    path = unquote(urlsplit(url).path)
    assert url.startswith(ROOT_URL + "/"), url
    return (root / "current").resolve() / path.lstrip("/")


def _get(root: Path, url: str) -> dict:
    return json.loads(_file_of(root, url).read_text())


@pytest.fixture
def content(home_page, news_index, directory_index, moderator):
    """A small regency: every case the app could meet, in two districts and two categories of each kind."""
    site = Site.objects.get(is_default_site=True)
    profile = SiteProfile.for_site(site)
    profile.name, profile.time_zone, profile.regency_code = "Kabupaten Balangan", "Asia/Makassar", "16.03"
    profile.whatsapp, profile.email = "+6281234567890", "kominfo@example.go.id"
    profile.save()

    d1 = DistrictFactory(code="16.03.01", name="Lawang Kidul")
    d2 = DistrictFactory(code="16.03.02", name="Tanjung Agung")
    DistrictFactory(code="17.01.01", name="Kecamatan Provinsi Lain")  # another regency: not this site's
    v1 = VillageFactory(district=d1, code="16.03.01.2001", name="Tanjung Enim")
    v2 = VillageFactory(district=d2, code="16.03.02.2001", name="Pagar Dewa")
    health = NewsCategoryFactory(name="Kesehatan", slug="kesehatan")
    farming = NewsCategoryFactory(name="Pertanian", slug="pertanian")
    agency = AgencyFactory(name="Dinas Kesehatan", abbreviation="Dinkes")
    AgencySocialAccount.objects.create(agency=agency, platform="instagram", url="https://instagram.com/dinkes")
    kim = KimGroupFactory(name="KIM Maju Bersama", village=v2)
    KimGroupFactory(name="KIM Tidak Aktif", village=v2, is_active=False)

    listing = DirectoryListingPageFactory(
        title="Puskesmas Lawang Kidul",
        category="kesehatan",
        district=d1,
        village=v1,
        latitude="-3.712345",
        longitude="103.801234",
        whatsapp="+6281300000000",
        opening_hours=[("hours", {"days": "weekdays", "opens": datetime.time(8), "closes": datetime.time(16)})],
        photos=[ListingPhoto(image=ImageFactory(title="Gedung puskesmas"), caption="Gedung utama")],
        agency=agency,
    )
    verified_publish(listing)
    waterfall = DirectoryListingPageFactory(title="Air Terjun Bedegung", category="wisata", district=d2)
    verified_publish(waterfall)

    body = [
        (
            "paragraph",
            f'<p>Lihat <a linktype="page" id="{listing.pk}">puskesmas</a> dan <a href="javascript:alert(1)">ini</a>'
            '<script>alert("skrip")</script><img src="x" onerror="alert(3)"> untuk jadwal.</p>',
        ),
        ("image", {"image": ImageFactory(title="Antrean"), "caption": "Antrean warga", "credit": "Humas"}),
        ("quote", {"text": "Gratis untuk semua warga.", "attribution": "Kepala Dinas"}),
        ("embed", "https://www.youtube.com/watch?v=abc123"),
    ]
    published = NewsPageFactory(
        title="Pasar Murah Digelar di Lapangan Merdeka",
        hero_image=ImageFactory(title="Pasar murah", width=1200, height=800),
        body=body,
        categories=[health],
        district=d1,
        village=v1,
        source_kind=NewsPage.Source.AGENCY,
        source_agency=agency,
        related_agency=agency,
    )
    news_correct(page=published, actor=moderator, explanation="Lokasi yang benar Lapangan Merdeka.")
    from_kim = NewsPageFactory(
        title="Panen Raya Padi Sawah",
        categories=[farming],
        district=d2,
        source_kind=NewsPage.Source.KIM,
        source_kim_group=kim,
    )
    NewsPageFactory(title="Draf Yang Belum Diverifikasi", live=False)
    unverified_edit = NewsPageFactory(title="Jadwal Posyandu Bulan Ini", categories=[health])
    unverified_edit.title = "Jadwal Posyandu Berubah Tanpa Verifikasi"
    unverified_edit.save_revision()  # a later draft: its words must not reach the app
    withdrawn = NewsPageFactory(title="Bantuan Beras Dibagikan Senin")
    news_withdraw(page=withdrawn, actor=moderator, explanation="Jadwal pembagian keliru; yang benar hari Selasa.")
    expired = NewsPageFactory(title="Lomba Perahu Bidar Dibatalkan")
    NewsPage.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("publish_scheduled", verbosity=0)
    clarification = NewsPageFactory(title="[HOAKS] Air Rebusan Daun Sirih Menyembuhkan Demam", live=False)
    revision = clarification.save_revision()
    verify_revision(revision, verdict=VerdictChoice.FALSE)
    revision.publish()
    return {
        "published": NewsPage.objects.get(pk=published.pk),
        "from_kim": from_kim,
        "unverified_edit": unverified_edit,
        "withdrawn": withdrawn,
        "expired": expired,
        "clarification": NewsPage.objects.get(pk=clarification.pk),
        "listing": listing,
        "waterfall": waterfall,
        "agency": agency,
        "health": health,
        "d1": d1,
        "v1": v1,
    }


# The OpenAPI document and the schema of every file ----------------------------------------------------------


def _routes(document: dict) -> list[tuple[re.Pattern, str | None]]:
    """Each GET path of the document as a pattern over addresses, with the component its 200 answer has."""
    routes = []
    for template, item in document["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        parameters = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "path"}
        pattern = ""
        for piece in re.split(r"(\{[^}]+\})", template):
            if piece.startswith("{"):
                schema = parameters[piece[1:-1]]
                pattern += r"\d+" if schema.get("type") == "integer" else r"[^/]+"
            else:
                pattern += re.escape(piece)
        schema = operation["responses"]["200"]["content"]["application/json"].get("schema")
        routes.append((re.compile(pattern), schema["$ref"] if schema else None))
    return routes


def _validator(document: dict, ref: str) -> Draft202012Validator:
    schema = {"$schema": document["jsonSchemaDialect"], "$ref": ref, "components": document["components"]}
    return Draft202012Validator(schema, format_checker=FORMATS)


def _validate(document: dict, ref: str, data) -> None:
    errors = sorted(_validator(document, ref).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_the_format_checks_the_schemas_rely_on_are_installed():
    # Without rfc3339-validator / rfc3986-validator jsonschema silently skips these formats.
    assert {"date-time", "uri", "date", "email"} <= set(FORMATS.checkers)


@pytest.mark.django_db
def test_the_openapi_document_is_valid_openapi_3_1(site_root, content):
    site_build(trigger="full")
    document = _doc(site_root, "openapi.json")
    assert document["openapi"].startswith("3.1")
    openapi_validate(document)  # openapi-spec-validator: the OpenAPI 3.1 meta-schema and its semantic checks
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    assert document["servers"] == [{"url": ROOT_URL}]
    assert {"/api/v1/search/", "/api/v1/submissions/", "/api/v1/submissions/{receipt}/"} <= set(document["paths"])


@pytest.mark.django_db
def test_every_file_under_api_v1_validates_against_its_schema(site_root, content):
    release = site_build(trigger="full")
    assert release.status == "live"
    document = _doc(site_root, "openapi.json")
    routes = _routes(document)
    files = _api_files(site_root)
    seen_schemas = set()
    for relative, data in files.items():
        address = f"/{API}/{relative}"
        matches = [ref for pattern, ref in routes if pattern.fullmatch(address)]
        assert len(matches) == 1, f"{address} is served by {len(matches)} documented paths"
        if relative == "openapi.json":
            continue  # validated as OpenAPI above
        _validate(document, matches[0], json.loads(data))
        seen_schemas.add(matches[0])
    # Every kind of file is there (and validated) in this small site.
    expected = {"Index", "NewsList", "NewsItem", "ListingList", "ListingItem", "Regions", "Agencies", "KimGroups"}
    assert {f"#/components/schemas/{name}" for name in expected | {"Changes"}} <= seen_schemas
    for relative in (
        "index.json",
        "news/index.json",
        "news/category/kesehatan/index.json",
        "news/region/16.03.01/index.json",
        "news/region/16.03.01.2001/index.json",
        "clarifications.json",
        "directory/index.json",
        "directory/category/kesehatan/index.json",
        "regions.json",
        "agencies.json",
        "kim-groups.json",
        "changes.json",
        f"news/{content['published'].pk}.json",
        f"directory/{content['listing'].pk}.json",
    ):
        assert relative in files, relative


@pytest.mark.django_db
def test_a_field_the_document_does_not_describe_fails_validation(site_root, content):
    """The schemas are closed: drift between the files and the document cannot pass unnoticed."""
    site_build(trigger="full")
    document = _doc(site_root, "openapi.json")
    item = _doc(site_root, f"news/{content['published'].pk}.json")
    item["surprise"] = 1
    assert not _validator(document, "#/components/schemas/NewsItem").is_valid(item)
    item.pop("surprise")
    item["thumbnail"]["renditions"][0]["jpeg"] = "/media/relative.jpg"  # addresses must be absolute
    assert not _validator(document, "#/components/schemas/NewsItem").is_valid(item)


# What the files hold ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unverified_withdrawn_and_expired_items_appear_nowhere_but_as_deletes(site_root, content):
    site_build(trigger="full")
    files = _api_files(site_root)
    everything = b"\n".join(files.values()).decode()
    for words in SECRET_WORDS:
        assert words not in everything, words
    assert "Jadwal Posyandu Bulan Ini" in everything  # the verified live version of the edited item stays
    withdrawn, expired = content["withdrawn"], content["expired"]
    for page in (withdrawn, expired):
        assert f"news/{page.pk}.json" not in files
    changes = _doc(site_root, "changes.json")
    by_id = {(c["type"], c["id"]): c for c in changes["changes"]}
    for page in (withdrawn, expired):
        assert by_id[("news", page.pk)]["action"] == "delete"
        assert by_id[("news", page.pk)]["api_url"] is None
    drafts = NewsPage.objects.filter(live=False, first_published_at__isnull=True)
    assert drafts.exists() and not any(("news", pk) in by_id for pk in drafts.values_list("pk", flat=True))
    for key in [("news", content["published"].pk), ("listing", content["listing"].pk)]:
        assert by_id[key]["action"] == "upsert"
    assert changes["latest"] == max(c["at"] for c in changes["changes"])
    assert changes["window_days"] == 90
    start = datetime.datetime.fromisoformat(changes["from"])
    assert datetime.datetime.fromisoformat(changes["latest"]) - start == datetime.timedelta(days=90)


@pytest.mark.django_db
def test_an_item_document_shows_what_its_page_shows_in_app_friendly_form(site_root, content):
    site_build(trigger="full")
    published = content["published"]
    item = _doc(site_root, f"news/{published.pk}.json")
    assert item["id"] == published.pk and item["url"] == f"{ROOT_URL}/berita/{published.slug}/"
    assert item["published"].endswith("+08:00")  # the site's own zone (WITA), not UTC
    first = published.first_published_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert item["published"] == first.isoformat(timespec="seconds")
    assert item["updated"] >= item["published"]  # the correction note counts as an update
    assert item["region"] == {
        "district": {"code": "16.03.01", "name": "Lawang Kidul"},
        "village": {"code": "16.03.01.2001", "name": "Tanjung Enim"},
    }
    assert item["categories"] == [{"id": content["health"].pk, "slug": "kesehatan", "name": "Kesehatan"}]
    assert item["source"]["kind"] == "agency" and item["source"]["agency"]["name"] == "Dinas Kesehatan"
    assert item["corrections"][0]["note"] == "Lokasi yang benar Lapangan Merdeka."
    assert item["verification"]["verdict"] == "true" and item["claim_review"] is None

    # Hero renditions for phones, JPEG and WebP, are real files generated through Wagtail.
    sizes = [(r["width"], r["height"]) for r in item["hero_image"]["renditions"]]
    assert sizes == [(400, 267), (800, 533)]
    media = Path(django_settings.MEDIA_ROOT)
    for rendition in item["hero_image"]["renditions"] + item["thumbnail"]["renditions"]:
        for fmt in ("jpeg", "webp"):
            path = unquote(urlsplit(rendition[fmt]).path).removeprefix(django_settings.MEDIA_URL)
            assert (media / path).is_file(), rendition[fmt]
    assert rendition["webp"].endswith(".webp")

    # The body: sanitised HTML with absolute links, and the other blocks as structured data.
    paragraph, image, quote, embed = item["body"]
    html = paragraph["html"]
    assert f'href="{ROOT_URL}/direktori/{content["listing"].slug}/"' in html
    for bad in ("<script", "javascript:", "onerror", "<img", "skrip"):
        assert bad not in html, bad
    assert "dan ini untuk jadwal" in html  # the refused link keeps its words
    assert image["type"] == "image" and image["image"]["alt"] == "Antrean warga" and image["credit"] == "Humas"
    assert quote == {"type": "quote", "text": "Gratis untuk semua warga.", "attribution": "Kepala Dinas"}
    assert embed == {"type": "embed", "url": "https://www.youtube.com/watch?v=abc123"}


@pytest.mark.django_db
def test_a_clarification_carries_its_claim_review_and_is_listed_as_one(site_root, content):
    site_build(trigger="full")
    clarification = content["clarification"]
    item = _doc(site_root, f"news/{clarification.pk}.json")
    assert item["clarification"] is True and item["verdict"] == "false"
    assert item["verification"]["category"] and item["verification"]["label"] == "Salah (Hoaks)"
    verdict = api.news_load([clarification.pk])[0].api_verdict
    expected = jsonld.claim_review(
        page=clarification, verdict=verdict, url=item["url"], publisher="Kabupaten Balangan", publisher_url=ROOT_URL
    )
    assert item["claim_review"] == json.loads(json.dumps(expected))
    assert item["claim_review"]["claimReviewed"] == "Air Rebusan Daun Sirih Menyembuhkan Demam"
    listed = _doc(site_root, "clarifications.json")
    assert [entry["id"] for entry in listed["items"]] == [clarification.pk]
    assert _doc(site_root, "index.json")["counts"]["clarifications"] == 1


@pytest.mark.django_db
def test_lists_regions_and_reference_files(site_root, content):
    site_build(trigger="full")
    published, from_kim = content["published"], content["from_kim"]
    everything = _doc(site_root, "news/index.json")
    assert everything["total"] == 4 and everything["next"] is None
    published_times = [entry["published"] for entry in everything["items"]]
    assert published_times == sorted(published_times, reverse=True)  # newest first
    district = _doc(site_root, "news/region/16.03.01/index.json")
    assert [entry["id"] for entry in district["items"]] == [published.pk]
    region = {"level": "district", "code": "16.03.01", "name": "Lawang Kidul"}
    assert district["filter"] == {"kind": "region", "region": region}
    assert [e["id"] for e in _doc(site_root, "news/region/16.03.01.2001/index.json")["items"]] == [published.pk]
    assert [e["id"] for e in _doc(site_root, "news/category/pertanian/index.json")["items"]] == [from_kim.pk]
    health = [e["id"] for e in _doc(site_root, "directory/category/kesehatan/index.json")["items"]]
    assert health == [content["listing"].pk]
    directory = _doc(site_root, "directory/index.json")
    assert [e["title"] for e in directory["items"]] == ["Air Terjun Bedegung", "Puskesmas Lawang Kidul"]

    listing = _doc(site_root, f"directory/{content['listing'].pk}.json")
    assert listing["location"] == {"latitude": -3.712345, "longitude": 103.801234}
    assert listing["whatsapp_url"] == "https://wa.me/6281300000000"
    assert listing["opening_hours"] == [
        {"days": "weekdays", "days_label": "Senin sampai Jumat", "opens": "08:00", "closes": "16:00", "note": ""}
    ]
    assert listing["photos"][0]["caption"] == "Gedung utama" and listing["agency"]["abbreviation"] == "Dinkes"

    regions = _doc(site_root, "regions.json")
    assert [d["code"] for d in regions["districts"]] == ["16.03.01", "16.03.02"]  # only this regency's
    assert regions["districts"][0]["villages"][0]["code"] == "16.03.01.2001"
    kim = _doc(site_root, "kim-groups.json")["kim_groups"]
    assert [group["name"] for group in kim] == ["KIM Maju Bersama"]  # inactive groups stay private
    assert "Siti Aminah" not in json.dumps(kim)  # the contact person is not public
    agencies = _doc(site_root, "agencies.json")["agencies"]
    assert agencies[0]["social"] == [{"platform": "instagram", "url": "https://instagram.com/dinkes"}]
    index = _doc(site_root, "index.json")
    assert index["emergency"] is None and index["site"]["zone_abbreviation"] == "WITA"
    assert index["counts"] == {"news": 4, "clarifications": 1, "listings": 2}


@pytest.mark.django_db
def test_every_address_in_the_files_leads_somewhere(site_root, content):
    site_build(trigger="full")
    live = (site_root / "current").resolve()
    media = Path(django_settings.MEDIA_ROOT)
    broken = []

    def visit(value, where):
        if isinstance(value, dict):
            for item in value.values():
                visit(item, where)
        elif isinstance(value, list):
            for item in value:
                visit(item, where)
        elif isinstance(value, str) and value.startswith(ROOT_URL + "/"):
            path = unquote(urlsplit(value).path)
            if path.startswith(django_settings.MEDIA_URL):
                ok = (media / path.removeprefix(django_settings.MEDIA_URL)).is_file()
            elif path.endswith(".json"):
                ok = (live / path.lstrip("/")).is_file()
            elif (live / path.lstrip("/") / "index.html").is_file():
                ok = True
            else:
                try:
                    ok = resolve(path).url_name in {"api_search", "api_submission_create"}
                except Resolver404:
                    ok = False
            if not ok:
                broken.append((where, value))

    for relative, data in _api_files(site_root).items():
        visit(json.loads(data), relative)
    assert broken == []


@pytest.mark.django_db
def test_ids_and_addresses_stay_stable_across_builds(site_root, content):
    site_build(trigger="full")
    first = _api_files(site_root)
    site_build(trigger="full")
    assert _api_files(site_root) == first  # deterministic bytes: no build time inside
    NewsPageFactory(title="Festival Durian Kecamatan Ujan Mas")
    site_build(trigger="incremental")
    after = _api_files(site_root)
    published = content["published"]
    assert after[f"news/{published.pk}.json"] == first[f"news/{published.pk}.json"]
    assert _doc(site_root, f"news/{published.pk}.json")["id"] == published.pk


def test_news_pages_are_numbered_from_the_oldest_so_a_publication_changes_only_the_head():
    items = list(range(45, 0, -1))  # newest first
    head, pages, after_head = stable_pages(items, 20)
    assert head == list(range(45, 20, -1)) and pages == {1: list(range(20, 0, -1))} and after_head == 1
    head2, pages2, _ = stable_pages([46, *items], 20)
    assert pages2 == pages and head2[0] == 46
    assert stable_pages(list(range(19, 0, -1)), 20) == (list(range(19, 0, -1)), {}, None)
    head3, pages3, after3 = stable_pages(list(range(60, 0, -1)), 20)
    assert len(head3) == 20 and set(pages3) == {1, 2} and after3 == 2


@pytest.mark.django_db
def test_a_publication_rewrites_the_head_of_a_long_list_and_reuses_its_older_pages(site_root, content, monkeypatch):
    monkeypatch.setattr(api, "NEWS_PER_PAGE", 2)
    site_build(trigger="full")
    before = _api_tree(site_root)
    head = _doc(site_root, "news/index.json")
    older = _get(site_root, head["next"])
    assert older["page"] == 1 and older["next"] is None and len(head["items"]) + len(older["items"]) == 4
    new = NewsPageFactory(title="Festival Durian Kecamatan Ujan Mas")
    site_build(trigger="incremental")
    after = _api_tree(site_root)
    assert after["news/page/1.json"] == before["news/page/1.json"]
    assert after["news/index.json"] != before["news/index.json"]
    assert _doc(site_root, "news/index.json")["items"][0]["id"] == new.pk
    assert after[f"news/{content['published'].pk}.json"] == before[f"news/{content['published'].pk}.json"]


# Incremental equals full ------------------------------------------------------------------------------------


def _publish(content):
    NewsPageFactory(title="Festival Durian Kecamatan Ujan Mas", categories=[content["health"]], district=content["d1"])


def _edit(content):
    page = NewsPage.objects.get(pk=content["published"].pk)
    page.lead = "Ringkasan yang diperbarui dan diverifikasi ulang."
    verified_publish(page)


def _edit_unverified(content):
    page = NewsPage.objects.get(pk=content["published"].pk)
    page.title = "Suntingan Belum Diverifikasi"
    page.save_revision()


def _withdraw(content):
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.get(username="moderator")
    news_withdraw(page=NewsPage.objects.get(pk=content["published"].pk), actor=moderator, explanation="Keliru.")


def _correct(content):
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.get(username="moderator")
    news_correct(page=content["from_kim"], actor=moderator, explanation="Luas panen 40 hektare, bukan 400.")


def _rename_category(content):
    content["health"].name = "Kesehatan Masyarakat"
    content["health"].save()


def _rename_agency(content):
    content["agency"].name = "Dinas Kesehatan dan KB"
    content["agency"].save()


def _rename_district(content):
    content["d1"].name = "Lawang Kidul Baru"
    content["d1"].save()


def _retitle_image(content):
    image = content["published"].hero_image
    image.description = "Warga antre membeli beras murah"
    image.save()


def _unpublish_listing(content):
    DirectoryListingPage.objects.get(pk=content["waterfall"].pk).unpublish()


def _delete_news(content):
    Page.objects.get(pk=content["from_kim"].pk).delete()


def _edit_profile(content):
    profile = SiteProfile.objects.first()
    profile.tagline = "Kabar resmi Kabupaten Balangan"
    profile.save()


OPERATIONS = [
    _publish,
    _edit,
    _edit_unverified,
    _withdraw,
    _correct,
    _rename_category,
    _rename_agency,
    _rename_district,
    _retitle_image,
    _unpublish_listing,
    _delete_news,
    _edit_profile,
]


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.__name__.strip("_"))
def test_each_kind_of_change_builds_the_api_incrementally_to_the_bytes_of_a_full_build(
    settings, tmp_path, content, operation
):
    settings.SIAR_SITE_ROOT = tmp_path / "incremental"
    site_build(trigger="full")
    before = _api_tree(tmp_path / "incremental")
    operation(content)
    site_build(trigger="incremental")
    settings.SIAR_SITE_ROOT = tmp_path / "full"
    site_build(trigger="full")
    incremental = _api_tree(tmp_path / "incremental")
    assert incremental == _api_tree(tmp_path / "full")
    if operation is _edit_unverified:
        assert incremental == before  # an unverified edit changes nothing the app can see
    else:
        assert incremental != before


# The changes feed, used the way the OpenAPI description tells an app to --------------------------------------


class App:
    """A minimal client that follows the sync rules of the OpenAPI description, counting what it downloads."""

    def __init__(self, root: Path):
        self.root = root
        self.items: dict[tuple[str, int], dict] = {}
        self.since = None
        self.fetched: list[str] = []

    def _get(self, url: str) -> dict:
        self.fetched.append(url)
        return _get(self.root, url)

    def load(self) -> None:
        self.items = {}
        for start in ("news/index.json", "directory/index.json"):
            url = f"{ROOT_URL}/{API}/{start}"
            while url:
                page = self._get(url)
                for summary in page["items"]:
                    self.items[(summary["type"], summary["id"])] = self._get(summary["api_url"])
                url = page["next"]
        self.since = _get(self.root, f"{ROOT_URL}/{API}/changes.json")["latest"]

    def sync(self) -> None:
        changes = self._get(f"{ROOT_URL}/{API}/changes.json")
        if self.since is None or (changes["from"] and self.since < changes["from"]):
            self.load()
            return
        threshold = (datetime.datetime.fromisoformat(self.since) - datetime.timedelta(minutes=10)).isoformat()
        for entry in changes["changes"]:
            if entry["at"] < threshold:
                continue
            key = (entry["type"], entry["id"])
            if entry["action"] == "delete":
                self.items.pop(key, None)
            elif self.items.get(key, {}).get("version") != entry["version"]:
                self.items[key] = self._get(entry["api_url"])
        self.since = changes["latest"]


def _age_everything(hours: int) -> None:
    """Make all that exists an hour old, as if the app's last sync were long past the overlap margin."""
    shift = datetime.timedelta(hours=hours)
    Page.objects.filter(first_published_at__isnull=False).update(
        first_published_at=F("first_published_at") - shift, last_published_at=F("last_published_at") - shift
    )
    PageLogEntry.objects.update(timestamp=F("timestamp") - shift)
    VerificationEvent.objects.update(at=F("at") - shift)


@pytest.mark.django_db
def test_an_app_that_applies_the_changes_feed_ends_up_with_a_fresh_copy_downloading_only_what_changed(
    site_root, content
):
    _age_everything(hours=1)
    site_build(trigger="full")
    app = App(site_root)
    app.load()

    new = NewsPageFactory(title="Festival Durian Kecamatan Ujan Mas")
    _edit(content)
    _withdraw_listing = DirectoryListingPage.objects.get(pk=content["waterfall"].pk)
    _withdraw_listing.unpublish()
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.get(username="moderator")
    news_withdraw(page=content["from_kim"], actor=moderator, explanation="Keliru.")
    site_build(trigger="incremental")

    app.fetched = []
    app.sync()
    fetched_items = {url for url in app.fetched if not url.endswith("changes.json")}
    assert fetched_items == {
        f"{ROOT_URL}/{API}/news/{new.pk}.json",
        f"{ROOT_URL}/{API}/news/{content['published'].pk}.json",
    }
    fresh = App(site_root)
    fresh.load()
    assert app.items == fresh.items
    assert ("news", content["from_kim"].pk) not in app.items and ("listing", content["waterfall"].pk) not in app.items


@pytest.mark.django_db
def test_an_app_whose_last_sync_is_older_than_the_window_reloads_its_lists(site_root, content):
    site_build(trigger="full")
    app = App(site_root)
    app.load()
    app.since = "2000-01-01T00:00:00+08:00"
    app.items[("news", 999999)] = {"stale": True}
    app.sync()
    assert ("news", 999999) not in app.items  # reloaded, not patched


# Search -----------------------------------------------------------------------------------------------------

SEARCH = "/api/v1/search/"


@pytest.fixture
def openapi(site_root, content):
    site_build(trigger="full")
    return _doc(site_root, "openapi.json")


@pytest.mark.django_db
def test_search_answers_in_the_summary_shape_of_the_lists(client, openapi, content, site_root):
    response = client.get(SEARCH, {"q": "Pasar Murah"}, HTTP_HOST="localhost")
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    _validate(openapi, "#/components/schemas/SearchResults", body)
    published = content["published"]
    assert [item["id"] for item in body["items"]] == [published.pk]
    listed = _doc(site_root, "news/category/kesehatan/index.json")["items"]
    assert body["items"][0] == next(item for item in listed if item["id"] == published.pk)  # the very same summary

    listings = client.get(SEARCH, {"q": "Puskesmas", "type": "listing"}).json()
    _validate(openapi, "#/components/schemas/SearchResults", listings)
    assert [(item["type"], item["id"]) for item in listings["items"]] == [("listing", content["listing"].pk)]


@pytest.mark.django_db
def test_search_finds_nothing_unverified_or_withdrawn(client, openapi, content):
    for words in (*SECRET_WORDS, "Berubah Tanpa Verifikasi", "Bantuan Beras", "Lomba Perahu"):
        body = client.get(SEARCH, {"q": words}).json()
        _validate(openapi, "#/components/schemas/SearchResults", body)
        assert body["total"] == 0 and body["items"] == [], words


@pytest.mark.django_db
def test_search_pages_through_results(client, openapi, content, monkeypatch):
    import sitegen.views

    monkeypatch.setattr(sitegen.views, "SEARCH_PER_PAGE", 1)
    first = client.get(SEARCH, {"q": "Kesehatan"})
    assert first.status_code == 200
    body = first.json()
    assert body["pages"] >= 2 and body["next"] and body["previous"] is None
    second = client.get(body["next"].removeprefix("http://localhost"))
    assert second.status_code == 200 and second.json()["page"] == 2
    assert second.json()["items"][0]["id"] != body["items"][0]["id"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status", "english"),
    [
        ({}, 400, "Type what to search for in q"),
        ({"q": "   "}, 400, "Type what to search for in q"),
        ({"q": "x" * 101}, 400, "at most 100 characters"),
        ({"q": "pasar", "page": "0"}, 400, "whole number of 1 or more"),
        ({"q": "pasar", "page": "dua"}, 400, "whole number of 1 or more"),
        ({"q": "pasar", "type": "video"}, 400, "news or listing"),
        ({"q": "pasar", "page": "9"}, 404, "There is no page 9"),
    ],
)
def test_bad_searches_get_a_message_saying_what_to_do(client, openapi, content, query, status, english):
    indonesian = client.get(SEARCH, query)
    assert indonesian.status_code == status
    assert indonesian["Content-Language"] == "id" and indonesian["Vary"] == "Accept-Language"
    _validate(openapi, "#/components/schemas/Error", indonesian.json())
    answer = client.get(SEARCH, query, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == status and english in answer.json()["error"]
    assert answer["Content-Language"] == "en"


@pytest.mark.django_db
def test_odd_search_text_is_searched_not_parsed(client, content):
    for query in ('"', "AND", "*", "pasar OR", "(", "'; DROP TABLE", "ñandú ☕"):
        response = client.get(SEARCH, {"q": query})
        assert response.status_code == 200, query


@pytest.mark.django_db
def test_search_is_rate_limited_per_address(client, openapi, content, monkeypatch):
    # The limit counts in fixed windows: 121 searches must not straddle a window's end (a flaky failure on a slow
    # run), so the clock stands still in the middle of one.
    middle = (time.time() // SEARCH_PER_ADDRESS.window_seconds + 0.5) * SEARCH_PER_ADDRESS.window_seconds
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: middle))
    for _ in range(SEARCH_PER_ADDRESS.count):
        assert client.get(SEARCH, {"q": "pasar"}, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(SEARCH, {"q": "pasar"}, REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused["Cache-Control"] == "no-store" and "Too many searches" in refused.json()["error"]
    _validate(openapi, "#/components/schemas/Error", refused.json())
    assert client.get(SEARCH, {"q": "pasar"}, REMOTE_ADDR="203.0.113.8").status_code == 200  # others still served


# The submission endpoints the document also describes --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_quarantine")
def test_the_submission_endpoints_answer_as_the_document_says(client, openapi, intake):
    from cms.services.submissions import api_key_issue
    from tests.submission_support import API_URL, api_data

    _key, raw_key = api_key_issue(group=intake["group"], label="HP sekretaris")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"}
    created = client.post(API_URL, json.dumps(api_data(intake)), content_type="application/json", **auth)
    assert created.status_code == 201
    _validate(openapi, "#/components/schemas/SubmissionReceipt", created.json())
    status = client.get(f"{API_URL}{created.json()['receipt']}/")
    _validate(openapi, "#/components/schemas/SubmissionStatus", status.json())
    invalid = client.post(API_URL, json.dumps(api_data(intake, title="")), content_type="application/json", **auth)
    assert invalid.status_code == 400
    _validate(openapi, "#/components/schemas/FieldErrors", invalid.json())
    refused = client.post(API_URL, json.dumps(api_data(intake)), content_type="application/json")
    assert refused.status_code == 401
    _validate(openapi, "#/components/schemas/Error", refused.json())
    missing = client.get(f"{API_URL}SIAR-2222-2222/")
    assert missing.status_code == 404
    _validate(openapi, "#/components/schemas/Error", missing.json())
