"""The admin as the office's staff meet it: every screen opens, forms save, and doors stay shut to others.

Requests go through Django's test client against the real URL configuration and database, logged in as
members of Wagtail's Editors and Moderators groups (permissions from cms/migrations/0003).
"""

import html

import pytest

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import Agency, KimGroup, KimMember, NewsPage, SiteProfile, Village
from cms.models.regions import village_code_validator
from tests.factories import (
    AgencyFactory,
    DirectoryListingPageFactory,
    DistrictFactory,
    KimGroupWithMembersFactory,
    NewsCategoryFactory,
    NewsPageFactory,
    VillageFactory,
    verify_revision,
)

pytestmark = pytest.mark.django_db

SNIPPET_MODELS = ["newscategory", "kimgroup", "agency", "district", "village"]
SNIPPET_FACTORIES = {
    "newscategory": NewsCategoryFactory,
    "kimgroup": KimGroupWithMembersFactory,
    "agency": AgencyFactory,
    "district": DistrictFactory,
    "village": VillageFactory,
}


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


def news_add_url(news_index):
    return reverse("wagtailadmin_pages:add", args=("cms", "newspage", news_index.pk))


def listing_add_url(directory_index):
    return reverse("wagtailadmin_pages:add", args=("cms", "directorylistingpage", directory_index.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def denial_message() -> str:
    """Wagtail's own words when it turns someone away, in the language the admin speaks (Indonesian)."""
    with translation.override("id"):
        return gettext("Sorry, you do not have permission to access this area.")


def assert_turned_away(client, response, url):
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard and an error message.

    (Generic views raise PermissionDenied; wagtail.admin.auth.permission_denied turns it into this.)
    The editing form must not be in what the user gets, whichever of the two answers Wagtail chooses.
    """
    assert response.status_code in (302, 403), (url, response.status_code)
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode(), url
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home"), url
        dashboard = client.get(response["Location"])
        assert dashboard.status_code == 200
        assert denial_message() in page_text(dashboard), url


# --------------------------------------------------------------------------------------------------
# An editor opens every screen.


def test_editor_sees_the_news_listing_with_its_items(editor_client, news_index):
    item = NewsPageFactory(title="Pasar Murah di Kecamatan Lawang Kidul")
    response = editor_client.get(reverse("berita:index"))
    assert response.status_code == 200
    assert item.title in page_text(response)
    assert reverse("berita:index") == "/admin/berita/"


def test_editor_sees_the_directory_listing_with_its_items(editor_client, directory_index):
    listing = DirectoryListingPageFactory(title="Air Terjun Bedegung")
    response = editor_client.get(reverse("direktori:index"))
    assert response.status_code == 200
    assert listing.title in page_text(response)
    assert reverse("direktori:index") == "/admin/direktori/"


def test_editor_opens_the_news_add_form(editor_client, news_index):
    NewsCategoryFactory(name="Kesehatan")
    response = editor_client.get(news_add_url(news_index))
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("title", "lead", "categories", "source_kind", "caption_instagram", "youtube_title"):
        assert f'name="{name}"' in content, name
    assert "Kesehatan" in page_text(response)  # the categories are offered as checkboxes


def test_editor_opens_the_listing_add_form(editor_client, directory_index):
    response = editor_client.get(listing_add_url(directory_index))
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("title", "category", "description", "address", "latitude", "whatsapp", "last_verified"):
        assert f'name="{name}"' in content, name


def test_editor_opens_the_edit_form_of_a_news_item(editor_client, news_index):
    item = NewsPageFactory(title="Musrenbang Desa Tanjung Agung", lead="Warga menyusun rencana pembangunan.")
    response = editor_client.get(edit_url(item))
    assert response.status_code == 200
    assert "Musrenbang Desa Tanjung Agung" in page_text(response)
    assert "Warga menyusun rencana pembangunan." in page_text(response)


def test_editor_opens_the_edit_form_of_a_listing(editor_client, directory_index):
    listing = DirectoryListingPageFactory(title="Puskesmas Muara Enim", address="Jl. Jenderal Sudirman 1")
    response = editor_client.get(edit_url(listing))
    assert response.status_code == 200
    assert "Jl. Jenderal Sudirman 1" in page_text(response)


@pytest.mark.parametrize("model", SNIPPET_MODELS)
def test_editor_opens_snippet_list_add_and_edit(model, editor_client):
    obj = SNIPPET_FACTORIES[model]()
    listing = editor_client.get(reverse(f"wagtailsnippets_cms_{model}:list"))
    assert listing.status_code == 200
    assert str(obj.name) in page_text(listing)

    assert editor_client.get(reverse(f"wagtailsnippets_cms_{model}:add")).status_code == 200

    edit = editor_client.get(reverse(f"wagtailsnippets_cms_{model}:edit", args=(obj.pk,)))
    assert edit.status_code == 200
    assert f'value="{obj.name}"' in edit.content.decode()


def test_moderator_edits_the_site_profile(client, moderator):
    client.force_login(moderator)
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=("cms", "siteprofile", site.pk))
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="office_name"' in response.content.decode()

    form = {"name": "Kabupaten Muara Enim", "office_name": "Diskominfo Muara Enim", "time_zone": "Asia/Jakarta"}
    response = client.post(url, form)
    assert response.status_code == 302
    profile = SiteProfile.for_site(site)
    assert (profile.name, profile.office_name) == ("Kabupaten Muara Enim", "Diskominfo Muara Enim")


def test_editor_cannot_edit_the_site_profile(editor_client):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=("cms", "siteprofile", site.pk))
    assert_turned_away(editor_client, editor_client.get(url), url)


# --------------------------------------------------------------------------------------------------
# Forms save what the editor typed.


def test_posting_a_new_agency_creates_it(editor_client):
    data = nested_form_data(
        {
            "name": "Dinas Pariwisata",
            "abbreviation": "Dispar",
            "website": "https://dispar.muaraenimkab.go.id/",
            "phone": "0734 421234",
            "contact_name": "Ahmad Fauzi",
            "contact_phone": "0812-3456-7890",
            "social_accounts": inline_formset(
                [{"platform": "instagram", "url": "https://instagram.com/disparmuaraenim", "feed_url": ""}]
            ),
        }
    )
    response = editor_client.post(reverse("wagtailsnippets_cms_agency:add"), data)
    assert response.status_code == 302, page_text(response)[:3000]
    agency = Agency.objects.get(name="Dinas Pariwisata")
    assert agency.abbreviation == "Dispar"
    assert [(a.platform, a.url) for a in agency.social_accounts.all()] == [
        ("instagram", "https://instagram.com/disparmuaraenim")
    ]


def test_posting_a_new_kim_group_with_members_creates_it(editor_client):
    village = VillageFactory(name="Tanjung Raja")
    data = nested_form_data(
        {
            "name": "KIM Tanjung Raja Bersatu",
            "village": village.pk,
            "decree_number": "140/12/SK/2022",
            "decree_date": "2022-03-01",
            "contact_name": "Siti Aminah",
            "contact_phone": "0812 3456 7890",
            "is_active": "on",
            "members": inline_formset(
                [
                    {"name": "Siti Aminah", "role": "ketua", "phone": "0812 3456 7890"},
                    {"name": "Joko Purnomo", "role": "sekretaris", "phone": ""},
                ]
            ),
            "social_accounts": inline_formset([]),
        }
    )
    response = editor_client.post(reverse("wagtailsnippets_cms_kimgroup:add"), data)
    assert response.status_code == 302, page_text(response)[:3000]
    group = KimGroup.objects.get(name="KIM Tanjung Raja Bersatu")
    assert group.village == village
    assert group.is_active
    assert [(m.name, m.role) for m in group.members.order_by("sort_order")] == [
        ("Siti Aminah", KimMember.Role.CHAIR),
        ("Joko Purnomo", KimMember.Role.SECRETARY),
    ]


def test_posting_a_bad_village_code_shows_the_indonesian_error_and_saves_nothing(editor_client):
    district = DistrictFactory(code="16.03.01")
    data = {"code": "16.3.1.21", "name": "Desa Salah Kode", "kind": "desa", "district": district.pk}
    response = editor_client.post(reverse("wagtailsnippets_cms_village:add"), data)
    assert response.status_code == 200  # the form comes back with its errors
    with translation.override("en"):
        english = str(village_code_validator.message)
    with translation.override("id"):
        indonesian = str(village_code_validator.message)
    assert indonesian != english, "the Indonesian catalogue has no translation for the village code message"
    text = page_text(response)
    assert indonesian in text
    assert english not in text
    assert not Village.objects.filter(name="Desa Salah Kode").exists()


def test_posting_a_village_code_of_another_district_saves_nothing(editor_client):
    district = DistrictFactory(code="16.03.01", name="Lawang Kidul")
    data = {"code": "16.03.02.2001", "name": "Desa Salah Kecamatan", "kind": "desa", "district": district.pk}
    response = editor_client.post(reverse("wagtailsnippets_cms_village:add"), data)
    assert response.status_code == 200
    assert "16.03.01" in page_text(response)
    assert not Village.objects.filter(name="Desa Salah Kecamatan").exists()


def _news_post_data(category, **overrides):
    data = {
        "title": "Vaksinasi Anak di Puskesmas Gunung Megang",
        "slug": "vaksinasi-anak-gunung-megang",
        "lead": "Dinas Kesehatan membuka layanan vaksinasi anak setiap Sabtu pagi.",
        "body": streamfield([("paragraph", rich_text("<p>Orang tua cukup membawa kartu keluarga.</p>"))]),
        "tags": "",
        "source_kind": "media_center",
        "comments": inline_formset([]),
    }
    data.update(overrides)
    form = nested_form_data(data)
    form["categories"] = [category.pk]  # a multi-value field, not a nested list
    return form


def test_saving_a_news_draft_through_the_admin_creates_an_unpublished_page(editor_client, news_index):
    category = NewsCategoryFactory(name="Kesehatan", slug="kesehatan")
    response = editor_client.post(news_add_url(news_index), _news_post_data(category))
    item = NewsPage.objects.get(slug="vaksinasi-anak-gunung-megang")
    assert response.status_code == 302
    assert response["Location"] == edit_url(item)
    assert item.get_parent().pk == news_index.pk
    assert not item.live
    assert item.first_published_at is None
    assert item.has_unpublished_changes
    draft = item.get_latest_revision_as_object()
    assert draft.lead == "Dinas Kesehatan membuka layanan vaksinasi anak setiap Sabtu pagi."
    assert list(draft.categories.all()) == [category]
    assert draft.body[0].block_type == "paragraph"
    assert "kartu keluarga" in draft.body[0].value.source
    # The public does not see a draft.
    assert item not in NewsPage.objects.live()


def test_a_news_draft_without_a_category_is_sent_back_with_an_error(editor_client, news_index):
    category = NewsCategoryFactory()
    data = _news_post_data(category)
    del data["categories"]
    response = editor_client.post(news_add_url(news_index), data)
    assert response.status_code == 200
    assert response.context["form"].errors["categories"]
    assert not NewsPage.objects.filter(slug="vaksinasi-anak-gunung-megang").exists()


def test_an_editor_cannot_publish_only_save_drafts(editor_client, news_index):
    """Editors write, moderators verify and publish (MyMeln's rule: only verified news goes out)."""
    data = _news_post_data(NewsCategoryFactory(), **{"action-publish": "1"})
    response = editor_client.post(news_add_url(news_index), data)
    assert response.status_code == 302
    item = NewsPage.objects.get(slug="vaksinasi-anak-gunung-megang")
    assert not item.live
    assert not NewsPage.objects.live().exists()


def test_moderator_publishes_a_complete_news_item_and_the_public_sees_it(client, moderator, news_index):
    """Publishing unverified news is refused (saved as a draft); once the version is verified it publishes."""
    client.force_login(moderator)
    data = _news_post_data(NewsCategoryFactory(), **{"action-publish": "1"})
    response = client.post(news_add_url(news_index), data, follow=True)
    item = NewsPage.objects.get(slug="vaksinasi-anak-gunung-megang")
    assert not item.live
    assert "Berita ini belum diverifikasi, sehingga tidak dapat diterbitkan" in html.unescape(response.content.decode())

    verify_revision(item.latest_revision)  # another moderator records Benar on the saved version
    response = client.post(reverse("wagtailadmin_pages:edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.live and item.first_published_at is not None
    client.logout()
    public = client.get(item.url)
    assert public.status_code == 200
    assert "Vaksinasi Anak di Puskesmas Gunung Megang" in page_text(public)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"lead": ""}, "lead"), ({"body-count": "0"}, "body")],
    ids=["no-lead", "empty-body"],
)
def test_publishing_without_lead_or_body_is_refused(client, moderator, news_index, overrides, field):
    """Wagtail lets a draft be incomplete; publishing it is where the required fields are enforced."""
    client.force_login(moderator)
    data = _news_post_data(NewsCategoryFactory(), **{"action-publish": "1"})
    data.update(overrides)
    response = client.post(news_add_url(news_index), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not NewsPage.objects.exists()


def test_a_news_item_cannot_be_added_under_the_directory(editor_client, directory_index):
    url = reverse("wagtailadmin_pages:add", args=("cms", "newspage", directory_index.pk))
    assert_turned_away(editor_client, editor_client.get(url), url)
    category = NewsCategoryFactory()
    assert_turned_away(editor_client, editor_client.post(url, _news_post_data(category)), url)
    assert not NewsPage.objects.exists()


# --------------------------------------------------------------------------------------------------
# Doors shut to those without permission.


@pytest.mark.parametrize("model", SNIPPET_MODELS)
def test_outsider_is_turned_away_from_snippet_views(model, outsider_client):
    obj = SNIPPET_FACTORIES[model]()
    for url in (
        reverse(f"wagtailsnippets_cms_{model}:list"),
        reverse(f"wagtailsnippets_cms_{model}:add"),
        reverse(f"wagtailsnippets_cms_{model}:edit", args=(obj.pk,)),
    ):
        assert_turned_away(outsider_client, outsider_client.get(url), url)
    url = reverse(f"wagtailsnippets_cms_{model}:add")
    assert_turned_away(outsider_client, outsider_client.post(url, {"name": "Penyusup", "code": "16.03.09"}), url)
    assert type(obj).objects.count() == 1


@pytest.mark.parametrize("model", SNIPPET_MODELS)
def test_snippet_views_raise_permission_denied_for_script_requests(model, outsider_client):
    """Without the admin's friendly redirect (an XMLHttpRequest), the generic views answer a bare 403."""
    url = reverse(f"wagtailsnippets_cms_{model}:list")
    assert outsider_client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403


def test_outsider_cannot_reach_page_add_or_edit(outsider_client, news_index, directory_index):
    item = NewsPageFactory()
    listing = DirectoryListingPageFactory()
    for url in (news_add_url(news_index), listing_add_url(directory_index), edit_url(item), edit_url(listing)):
        assert_turned_away(outsider_client, outsider_client.get(url), url)
    url = news_add_url(news_index)
    assert_turned_away(outsider_client, outsider_client.post(url, _news_post_data(NewsCategoryFactory())), url)
    assert NewsPage.objects.count() == 1


def test_outsider_cannot_edit_the_site_profile(outsider_client):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=("cms", "siteprofile", site.pk))
    assert_turned_away(outsider_client, outsider_client.get(url), url)


@pytest.mark.parametrize(
    "url_name",
    ["berita:index", "direktori:index", "wagtailsnippets_cms_agency:list", "wagtailsnippets_cms_kimgroup:add"],
)
def test_anonymous_user_is_sent_to_the_login_page(client, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert f"next={url}" in response["Location"]


def test_anonymous_user_cannot_open_a_page_editor(client, news_index):
    item = NewsPageFactory()
    for url in (edit_url(item), news_add_url(news_index)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert Page.objects.type(NewsPage).count() == 1
