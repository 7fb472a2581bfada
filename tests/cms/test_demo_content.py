"""manage.py load_demo_content: a realistic Muara Enim regency, valid page by page, and safe to run again."""

import datetime
from collections import Counter
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageLogEntry, Revision, Site

from cms.demo.agencies import load_agencies
from cms.demo.images import load_theme_images
from cms.demo.kim import load_kim_groups
from cms.demo.loader import build_world
from cms.demo.news import build_news_specs, load_categories
from cms.demo.regions import demo_village_codes
from cms.models import (
    Agency,
    AgencySocialAccount,
    DirectoryCategory,
    DirectoryListingPage,
    District,
    KimGroup,
    KimMember,
    KimSocialAccount,
    ListingPhoto,
    NewsCategory,
    NewsPage,
    SiteProfile,
    Village,
)
from cms.validators import validate_phone

HOST = {"HTTP_HOST": "localhost"}


def load(**options) -> str:
    out = StringIO()
    call_command("load_demo_content", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (
        District,
        Village,
        Agency,
        AgencySocialAccount,
        KimGroup,
        KimMember,
        KimSocialAccount,
        NewsCategory,
        NewsPage,
        DirectoryListingPage,
        ListingPhoto,
        Revision,
        PageLogEntry,
        get_image_model(),
        Collection,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_full_default_load(db, client, admin_client):
    """One full load (about ten seconds), checked part by part; the checks share it to keep the suite fast."""
    output = load()
    assert "Berita: 150/300" in output and "Berita: 300/300" in output and "Direktori: 120/120" in output
    check_regions_agencies_and_kim()
    check_news_spread_over_a_year_from_every_source()
    check_every_page_is_valid_and_published()
    check_directory_covers_all_categories()
    check_site_profile()
    check_pages_answer_and_search_finds_them(client)
    check_admin_edits_them(admin_client)


def check_regions_agencies_and_kim():
    assert District.objects.filter(code__startswith="16.03.").count() >= 10
    assert Village.objects.filter(code__regex=r"^16\.03\.\d{2}\.[12]\d{3}$").count() >= 60
    assert Village.objects.filter(kind=Village.Kind.KELURAHAN, code__regex=r"\.1\d{3}$").exists()
    assert Agency.objects.count() >= 20
    assert Agency.objects.get(abbreviation="Dinkes").website == "https://dinkes.muaraenimkab.go.id"
    assert Agency.objects.exclude(feed_url="").exists()
    assert all(agency.social_accounts.exists() and agency.contact_name for agency in Agency.objects.all())
    groups = KimGroup.objects.prefetch_related("members", "social_accounts")
    assert groups.count() == 12
    assert all(
        3 <= g.members.count() <= 6 and g.decree_number and g.decree_date and g.social_accounts.exists() for g in groups
    )


def check_news_spread_over_a_year_from_every_source():
    news = NewsPage.objects.live()
    assert news.count() == 300
    assert NewsCategory.objects.count() >= 8
    assert all(category.news.exists() for category in NewsCategory.objects.all())
    assert set(news.values_list("source_kind", flat=True)) == set(NewsPage.Source.values)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    newest, oldest = news.order_by("-first_published_at")[0], news.order_by("first_published_at")[0]
    assert timezone.localtime(newest.first_published_at).date() == yesterday
    assert (yesterday - timezone.localtime(oldest.first_published_at).date()).days >= 360
    assert len(set(news.values_list("title", flat=True))) == 300
    assert len({str(body) for body in news.values_list("body", flat=True)}) == 300
    assert news.filter(hero_image__isnull=True).count() == 0
    assert news.filter(district__isnull=True).count() == 0


def check_every_page_is_valid_and_published():
    for page in NewsPage.objects.all():
        page.full_clean()
        assert page.live and page.live_revision_id == page.latest_revision_id and not page.has_unpublished_changes
        assert len(page.body) >= 3 and page.tags.exists() and page.categories.exists()
    for listing in DirectoryListingPage.objects.all():
        listing.full_clean()
        assert listing.live and listing.live_revision_id and listing.photos.count() in (1, 2)
        assert -4.4 <= float(listing.latitude) <= -3.5 and 103.4 <= float(listing.longitude) <= 104.4
        assert listing.last_verified <= timezone.localdate()
        assert listing.opening_hours
    assert (
        Revision.objects.filter(object_id__in=[str(pk) for pk in NewsPage.objects.values_list("pk", flat=True)]).count()
        == 300
    )


def check_directory_covers_all_categories():
    listings = DirectoryListingPage.objects.live()
    assert listings.count() == 120
    per_category = Counter(listings.values_list("category", flat=True))
    assert set(per_category) == set(DirectoryCategory.values)
    assert not listings.filter(category=DirectoryCategory.SERVICE, agency__isnull=True).exists()
    contacts = listings.filter(category=DirectoryCategory.CONTACT)
    assert all(c.phone or c.whatsapp for c in contacts)
    assert {"112", "110", "113", "119"} <= set(contacts.values_list("phone", flat=True))
    for phone in listings.exclude(phone="").values_list("phone", flat=True):
        validate_phone(phone)


def check_site_profile():
    profile = SiteProfile.for_site(Site.objects.get(is_default_site=True))
    assert profile.name == "Kabupaten Muara Enim"
    assert profile.regency_code == "16.03" and profile.zone_abbreviation == "WIB"
    assert profile.logo and profile.logo.collection.name == "Demo"
    assert 24 <= get_image_model().objects.filter(collection__name="Demo").count() <= 41


def check_pages_answer_and_search_finds_them(client):
    news = NewsPage.objects.live().order_by("-first_published_at")[0]
    listing = DirectoryListingPage.objects.live().get(title="Layanan Panggilan Darurat 112")
    for page in (news.get_parent(), news, listing.get_parent(), listing, Page.objects.get(slug="beranda")):
        assert page.url
        response = client.get(page.url, **HOST)
        assert response.status_code == 200, page.url
    assert news.title in client.get(news.get_parent().url, **HOST).content.decode()
    assert NewsPage.objects.live().search("stunting").count() > 0
    assert DirectoryListingPage.objects.live().search("Puskesmas").count() >= 10


def check_admin_edits_them(admin_client):
    for page in (NewsPage.objects.first(), DirectoryListingPage.objects.first()):
        assert admin_client.get(f"/admin/pages/{page.pk}/edit/", **HOST).status_code == 200
        assert admin_client.get(f"/admin/pages/{page.pk}/history/", **HOST).status_code == 200


def test_rerun_is_idempotent_and_grows_without_duplicates(db):
    load(news=12, listings=12)
    first = counts()
    titles = set(NewsPage.objects.values_list("title", flat=True))
    assert first["NewsPage"] == 12 and first["DirectoryListingPage"] == 12
    assert DirectoryListingPage.objects.values("category").distinct().count() == 6  # any prefix covers all six

    assert "0 berita dan 0 listing baru" in load(news=12, listings=12)
    assert counts() == first

    load(news=20, listings=18)  # a larger load keeps the first twelve and adds only the rest
    assert NewsPage.objects.count() == 20 and DirectoryListingPage.objects.count() == 18
    assert titles <= set(NewsPage.objects.values_list("title", flat=True))
    grown = counts()
    load(news=20, listings=18)
    assert counts() == grown


def test_generation_is_deterministic(db):
    """Item i depends only on i: the same text every run, and a shorter run is a prefix of a longer one."""
    load(news=0, listings=0)
    world = build_world(load_agencies(), load_kim_groups(), load_categories(), load_theme_images())
    assert {v.code for v in world.villages} == demo_village_codes()

    def generated(count):
        return [(s.title, s.lead, s.body, s.village, s.source_kind) for s in build_news_specs(count=count, world=world)]

    first = generated(40)
    assert first == generated(40)
    assert first[:10] == generated(10)
