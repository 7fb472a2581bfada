"""Model rules an editor runs into: where pages may live, what must be filled in, and what is refused.

Every check goes through the same door the admin uses (``full_clean``, ``Page.can_create_at``) on a
real database; messages are checked in English (the msgid) and in Bahasa Indonesia (what editors see).
"""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import (
    DirectoryCategory,
    DirectoryIndexPage,
    DirectoryListingPage,
    District,
    HomePage,
    NewsIndexPage,
    NewsPage,
    Village,
)
from cms.validators import validate_phone
from tests.factories import (
    AgencyFactory,
    DirectoryListingPageFactory,
    DistrictFactory,
    KimGroupFactory,
    NewsCategoryFactory,
    NewsPageFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

# An unsaved page has no place in the tree yet; the tree fields are treebeard's business, not the editor's.
TREE_FIELDS = ["path", "depth"]


def errors_of(instance) -> dict[str, list[str]]:
    """The per-field messages ``full_clean`` raises; fails the test if it raises nothing."""
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean(exclude=TREE_FIELDS)
    return excinfo.value.message_dict


def clean_ok(instance) -> None:
    instance.full_clean(exclude=TREE_FIELDS)


# --------------------------------------------------------------------------------------------------
# The page tree: Beranda › Berita › news items, Beranda › Direktori › listings.


def test_news_item_can_only_be_created_under_the_news_index(root_page, home_page, news_index, directory_index):
    assert NewsPage.can_create_at(news_index)
    for parent in (root_page, home_page, directory_index):
        assert not NewsPage.can_create_at(parent), parent
        assert not NewsPage.can_exist_under(parent), parent


def test_news_item_cannot_be_created_under_another_news_item(news_index):
    item = NewsPageFactory()
    assert not NewsPage.can_create_at(item)
    assert NewsPage.allowed_subpage_models() == []


def test_listing_can_only_be_created_under_the_directory_index(root_page, home_page, news_index, directory_index):
    assert DirectoryListingPage.can_create_at(directory_index)
    for parent in (root_page, home_page, news_index):
        assert not DirectoryListingPage.can_create_at(parent), parent
        assert not DirectoryListingPage.can_exist_under(parent), parent
    assert DirectoryListingPage.allowed_subpage_models() == []


def test_indexes_live_only_under_a_home_page(root_page, home_page, news_index, directory_index):
    for index_model in (NewsIndexPage, DirectoryIndexPage):
        assert index_model.can_exist_under(home_page)
        for parent in (root_page, news_index, directory_index):
            assert not index_model.can_exist_under(parent), (index_model, parent)
    assert NewsIndexPage.allowed_subpage_models() == [NewsPage]
    assert DirectoryIndexPage.allowed_subpage_models() == [DirectoryListingPage]


def test_a_home_page_has_at_most_one_news_index_and_one_directory_index(root_page, home_page):
    # The migration already gave Beranda its Berita and Direktori: no second one.
    assert not NewsIndexPage.can_create_at(home_page)
    assert not DirectoryIndexPage.can_create_at(home_page)
    # A second regency on the same installation gets its own pair.
    second_home = root_page.add_child(instance=HomePage(title="Beranda Kota", slug="beranda-kota"))
    assert NewsIndexPage.can_create_at(second_home)
    assert DirectoryIndexPage.can_create_at(second_home)
    second_home.add_child(instance=NewsIndexPage(title="Berita", slug="berita"))
    assert not NewsIndexPage.can_create_at(second_home)
    assert DirectoryIndexPage.can_create_at(second_home)


def test_home_page_lives_only_under_the_root(root_page, home_page, news_index, directory_index):
    assert HomePage.can_create_at(root_page)
    for parent in (home_page, news_index, directory_index):
        assert not HomePage.can_exist_under(parent), parent
    assert set(HomePage.allowed_subpage_models()) == {NewsIndexPage, DirectoryIndexPage}
    # Nothing else of Siar's may sit directly under the root.
    root_children = set(root_page.specific_class.allowed_subpage_models())
    assert HomePage in root_children
    assert not root_children & {NewsIndexPage, NewsPage, DirectoryIndexPage, DirectoryListingPage}


def test_migration_built_the_expected_tree(root_page, home_page, news_index, directory_index):
    assert home_page.get_parent().specific_class is Page
    assert home_page.get_parent().pk == root_page.pk
    assert [p.specific_class for p in home_page.get_children()] == [NewsIndexPage, DirectoryIndexPage]
    assert (news_index.slug, directory_index.slug) == ("berita", "direktori")


# --------------------------------------------------------------------------------------------------
# Required fields.


def test_news_item_without_lead_is_refused_on_lead(news_index):
    item = NewsPageFactory.build(lead="")
    with translation.override("en"):
        errors = errors_of(item)
    assert set(errors) == {"lead"}
    assert errors["lead"] == ["This field cannot be blank."]


def test_news_item_without_categories_is_refused_by_the_editing_form(news_index, editor):
    """Categories are a many-to-many: Django's full_clean cannot see them, the admin form must."""
    form_class = NewsPage.get_edit_handler().get_form_class()
    item = NewsPage()
    data = nested_form_data(
        {
            "title": "Tanpa kategori",
            "slug": "tanpa-kategori",
            "lead": "Ringkasan.",
            "body": streamfield([("paragraph", rich_text("<p>Isi berita.</p>"))]),
            "source_kind": "media_center",
            "comments": inline_formset([]),
        }
    )
    with translation.override("en"):
        form = form_class(data, instance=item, parent_page=news_index, for_user=editor)
        assert not form.is_valid()
        assert set(form.errors) == {"categories"}
        assert form.errors["categories"] == ["This field is required."]
    data["categories"] = [NewsCategoryFactory().pk]
    form = form_class(data, instance=NewsPage(), parent_page=news_index, for_user=editor)
    assert form.is_valid(), form.errors


def test_listing_without_address_description_and_category_is_refused_on_those_fields(directory_index):
    listing = DirectoryListingPageFactory.build(address="", description="", category="")
    with translation.override("en"):
        errors = errors_of(listing)
    assert set(errors) == {"address", "description", "category"}
    assert all(messages == ["This field cannot be blank."] for messages in errors.values())


def test_required_field_message_is_indonesian_by_default(directory_index):
    listing = DirectoryListingPageFactory.build(address="")
    with translation.override("id"):
        errors = errors_of(listing)
    assert errors == {"address": ["Field ini tidak boleh kosong."]}


def test_a_complete_news_item_and_listing_pass(news_index, directory_index):
    clean_ok(NewsPageFactory.build())
    clean_ok(DirectoryListingPageFactory.build())


# --------------------------------------------------------------------------------------------------
# Messages in Bahasa Indonesia: the English msgid exactly, then the Indonesian translation.

PHONE_MESSAGE_EN = "Enter an Indonesian phone number, for example 0734 421234, 0812-3456-7890 or 112."


def _phone_errors(language):
    agency = AgencyFactory.build(phone="abc")
    with translation.override(language):
        return errors_of(agency)["phone"]


def test_phone_message_in_english_is_the_msgid():
    assert _phone_errors("en") == [PHONE_MESSAGE_EN]


def test_phone_message_is_translated_into_indonesian():
    [message] = _phone_errors("id")
    assert message != PHONE_MESSAGE_EN
    assert "nomor telepon" in message.lower()
    assert "misalnya" in message.lower() or "contoh" in message.lower()
    assert "0734 421234" in message  # the examples survive translation


def test_village_mismatch_message_is_translated_into_indonesian(news_index):
    district = DistrictFactory(code="16.03.01", name="Lawang Kidul")
    other_village = VillageFactory(district=DistrictFactory(code="16.03.02", name="Tanjung Agung"))
    item = NewsPageFactory.build(district=district, village=other_village)
    with translation.override("en"):
        english = errors_of(item)["village"]
    with translation.override("id"):
        indonesian = errors_of(item)["village"]
    assert english == ["This village is not in the chosen district. Choose a village of Lawang Kidul."]
    assert indonesian != english
    assert "desa" in indonesian[0].lower() and "Lawang Kidul" in indonesian[0]


def test_district_code_message_is_translated_into_indonesian():
    district = District(code="16.3.1", name="Salah Format")
    with translation.override("en"):
        english = errors_of(district)["code"]
    with translation.override("id"):
        indonesian = errors_of(district)["code"]
    assert english == ["A district code has the form 16.03.01 (province.regency.district)."]
    assert indonesian != english
    assert "kecamatan" in indonesian[0].lower() and "16.03.01" in indonesian[0]


# --------------------------------------------------------------------------------------------------
# Regions: a village belongs to a district; codes follow Kemendagri's form.


@pytest.mark.parametrize("factory", [NewsPageFactory, DirectoryListingPageFactory], ids=["news", "listing"])
def test_village_must_belong_to_the_chosen_district(factory, news_index, directory_index):
    district = DistrictFactory(code="16.03.01")
    foreign_village = VillageFactory(district=DistrictFactory(code="16.03.02"))
    errors = errors_of(factory.build(district=district, village=foreign_village))
    assert set(errors) == {"village"}
    clean_ok(factory.build(district=district, village=VillageFactory(district=district)))


@pytest.mark.parametrize("factory", [NewsPageFactory, DirectoryListingPageFactory], ids=["news", "listing"])
def test_a_village_alone_fills_in_its_district(factory, news_index, directory_index):
    village = VillageFactory(district=DistrictFactory(code="16.03.05", name="Gunung Megang"))
    page = factory(village=village)
    stored = type(page).objects.get(pk=page.pk)
    assert stored.district_id == village.district_id
    assert stored.region_label == f"{village.name}, Gunung Megang"


def test_village_code_must_start_with_its_district_code():
    district = DistrictFactory(code="16.03.01", name="Lawang Kidul")
    village = Village(code="16.03.02.2001", name="Desa Salah", district=district)
    with translation.override("en"):
        errors = errors_of(village)
    assert errors == {"code": ["This village code does not start with the code of district Lawang Kidul (16.03.01)."]}
    village.code = "16.03.01.2001"
    clean_ok(village)


@pytest.mark.parametrize("code", ["16.03.01", "11.01.12", "94.71.99"])
def test_district_code_valid_forms(code):
    clean_ok(District(code=code, name="Kecamatan"))


@pytest.mark.parametrize("code", ["16.3.1", "1603.01", "16.03.001", "16-03-01", "ab.cd.ef", "16.03", ""])
def test_district_code_invalid_forms(code):
    assert "code" in errors_of(District(code=code, name="Kecamatan"))


@pytest.mark.parametrize("suffix", ["2001", "1001", "0001"])
def test_village_code_valid_forms(suffix):
    district = DistrictFactory(code="16.03.01")
    clean_ok(Village(code=f"16.03.01.{suffix}", name="Desa", district=district))


@pytest.mark.parametrize("code", ["16.03.01.201", "16.03.01", "16.03.01.20011", "16.03.01-2001", "16.03.01.20a1"])
def test_village_code_invalid_forms(code):
    district = DistrictFactory(code="16.03.01")
    assert "code" in errors_of(Village(code=code, name="Desa", district=district))


def test_district_code_is_unique():
    DistrictFactory(code="16.03.01")
    errors = errors_of(District(code="16.03.01", name="Kembar"))
    assert "code" in errors


# --------------------------------------------------------------------------------------------------
# Where a news item came from.

SOURCE_MISSING_EN = "Choose which one this news came from."
SOURCE_MISMATCH_EN = "Leave this empty, or change the source to match it."


def _source_errors(**fields):
    with translation.override("en"):
        return errors_of(NewsPageFactory.build(**fields))


def test_agency_source_needs_the_agency(news_index):
    assert _source_errors(source_kind=NewsPage.Source.AGENCY) == {"source_agency": [SOURCE_MISSING_EN]}


def test_kim_source_needs_the_kim_group(news_index):
    assert _source_errors(source_kind=NewsPage.Source.KIM) == {"source_kim_group": [SOURCE_MISSING_EN]}


def test_media_centre_source_refuses_a_named_agency_or_group(news_index):
    errors = _source_errors(
        source_kind=NewsPage.Source.MEDIA_CENTER, source_agency=AgencyFactory(), source_kim_group=KimGroupFactory()
    )
    assert errors == {"source_agency": [SOURCE_MISMATCH_EN], "source_kim_group": [SOURCE_MISMATCH_EN]}


def test_agency_source_refuses_a_kim_group_as_well(news_index):
    errors = _source_errors(
        source_kind=NewsPage.Source.AGENCY, source_agency=AgencyFactory(), source_kim_group=KimGroupFactory()
    )
    assert errors == {"source_kim_group": [SOURCE_MISMATCH_EN]}


def test_kim_source_refuses_an_agency(news_index):
    errors = _source_errors(
        source_kind=NewsPage.Source.KIM, source_kim_group=KimGroupFactory(), source_agency=AgencyFactory()
    )
    assert errors == {"source_agency": [SOURCE_MISMATCH_EN]}


def test_matching_sources_pass_and_label_the_news(news_index):
    agency = AgencyFactory(name="Dinas Kesehatan", abbreviation="Dinkes")
    group = KimGroupFactory(name="KIM Maju Bersama")
    by_agency = NewsPageFactory(source_kind=NewsPage.Source.AGENCY, source_agency=agency)
    by_kim = NewsPageFactory(source_kind=NewsPage.Source.KIM, source_kim_group=group)
    assert by_agency.source_label == "Dinas Kesehatan (Dinkes)"
    assert by_kim.source_label == "KIM Maju Bersama"


# --------------------------------------------------------------------------------------------------
# Directory listings.


def test_latitude_without_longitude_is_refused_on_longitude(directory_index):
    with translation.override("en"):
        errors = errors_of(DirectoryListingPageFactory.build(latitude=Decimal("-3.655600")))
    assert errors == {"longitude": ["Fill in both latitude and longitude, or neither."]}


def test_longitude_without_latitude_is_refused_on_latitude(directory_index):
    errors = errors_of(DirectoryListingPageFactory.build(longitude=Decimal("103.770600")))
    assert set(errors) == {"latitude"}


def test_coordinates_inside_indonesia_pass(directory_index):
    # Muara Enim, Sabang (far north-west) and Merauke (far south-east).
    for lat, lon in [("-3.655600", "103.770600"), ("5.894000", "95.316000"), ("-8.499000", "140.404000")]:
        clean_ok(DirectoryListingPageFactory.build(latitude=Decimal(lat), longitude=Decimal(lon)))


def test_coordinates_outside_indonesia_are_refused(directory_index):
    # Paris: both out of range; a swapped pair (lon typed as lat) is caught as well.
    with translation.override("en"):
        paris = errors_of(DirectoryListingPageFactory.build(latitude=Decimal("48.8566"), longitude=Decimal("2.3522")))
    assert paris["latitude"] == ["Latitude must lie within Indonesia (between -11.5 and 6.5), for example -3.6556."]
    assert paris["longitude"] == ["Longitude must lie within Indonesia (between 94.5 and 141.5), for example 103.7706."]
    swapped = errors_of(DirectoryListingPageFactory.build(latitude=Decimal("103.7706"), longitude=Decimal("-3.6556")))
    assert set(swapped) == {"latitude", "longitude"}


def test_public_service_needs_its_agency(directory_index):
    with translation.override("en"):
        errors = errors_of(DirectoryListingPageFactory.build(category=DirectoryCategory.SERVICE))
    assert errors == {"agency": ["A public service needs the agency that provides it."]}
    clean_ok(DirectoryListingPageFactory.build(category=DirectoryCategory.SERVICE, agency=AgencyFactory()))


def test_important_contact_needs_phone_or_whatsapp(directory_index):
    with translation.override("en"):
        errors = errors_of(DirectoryListingPageFactory.build(category=DirectoryCategory.CONTACT, phone="", whatsapp=""))
    assert errors == {"phone": ["An important contact needs a phone or WhatsApp number."]}
    clean_ok(DirectoryListingPageFactory.build(category=DirectoryCategory.CONTACT, phone="112", whatsapp=""))
    clean_ok(DirectoryListingPageFactory.build(category=DirectoryCategory.CONTACT, phone="", whatsapp="0812 3456 7890"))


def test_last_verified_cannot_be_in_the_future(directory_index):
    today = timezone.localdate()
    with translation.override("en"):
        errors = errors_of(DirectoryListingPageFactory.build(last_verified=today + datetime.timedelta(days=1)))
    assert errors == {"last_verified": ["The verification date cannot be in the future."]}
    clean_ok(DirectoryListingPageFactory.build(last_verified=today))
    clean_ok(DirectoryListingPageFactory.build(last_verified=today - datetime.timedelta(days=400)))


def test_last_verified_defaults_to_today(directory_index):
    assert DirectoryListingPageFactory().last_verified == timezone.localdate()


@pytest.mark.parametrize(
    "typed", ["0812-3456-7890", "0812 3456 7890", "62 812 3456 7890", "+62 812-3456-7890", "(0812) 3456.7890"]
)
def test_whatsapp_is_stored_as_plus_62(typed, directory_index):
    listing = DirectoryListingPageFactory(whatsapp=typed)
    stored = DirectoryListingPage.objects.get(pk=listing.pk)
    assert stored.whatsapp == "+6281234567890"
    assert stored.whatsapp_link == "https://wa.me/6281234567890"


@pytest.mark.parametrize("typed", ["0734 421234", "112", "abc", "0812"])
def test_whatsapp_must_be_an_indonesian_mobile_number(typed, directory_index):
    with translation.override("en"):
        errors = errors_of(DirectoryListingPageFactory.build(whatsapp=typed))
    assert errors == {"whatsapp": ["Enter an Indonesian mobile number for WhatsApp, for example 0812 3456 7890."]}


# --------------------------------------------------------------------------------------------------
# Channel limits: an override a provider would reject is caught while editing.


def test_youtube_title_is_limited_to_100_characters(news_index):
    clean_ok(NewsPageFactory.build(youtube_title="J" * 100))
    errors = errors_of(NewsPageFactory.build(youtube_title="J" * 101))
    assert set(errors) == {"youtube_title"}


def test_kiosk_text_is_limited_to_280_characters(news_index):
    clean_ok(NewsPageFactory.build(kiosk_text="K" * 280))
    assert set(errors_of(NewsPageFactory.build(kiosk_text="K" * 281))) == {"kiosk_text"}


@pytest.mark.parametrize(
    ("field", "limit"), [("caption_instagram", 2200), ("youtube_description", 5000), ("lead", 400)]
)
def test_text_limits_are_enforced_by_full_clean(field, limit, news_index):
    clean_ok(NewsPageFactory.build(**{field: "I" * limit}))
    errors = errors_of(NewsPageFactory.build(**{field: "I" * (limit + 1)}))
    assert set(errors) == {field}


def test_instagram_caption_limit_is_enforced_by_the_editing_form(news_index, editor):
    """What the admin does today: the form field built from max_length refuses the 2,201st character."""
    form_class = NewsPage.get_edit_handler().get_form_class()
    field = form_class(instance=NewsPage(), parent_page=news_index, for_user=editor).fields["caption_instagram"]
    field.clean("I" * 2200)
    with pytest.raises(ValidationError):
        field.clean("I" * 2201)


# --------------------------------------------------------------------------------------------------
# Phone numbers.


@pytest.mark.parametrize(
    "number",
    [
        "0734 421234",
        "0812-3456-7890",
        "+62 812 3456 7890",
        "112",
        "(0711) 352-002",
        "6281234567890",
        "14045",
        "1500 888",
    ],
)
def test_phone_validator_accepts_indonesian_numbers(number):
    validate_phone(number)


@pytest.mark.parametrize(
    "number",
    ["abc", "", "0812", "+1 415 555 0100", "0812-3456-7890-1234-5", "12345"],
)
def test_phone_validator_rejects_other_input(number):
    with pytest.raises(ValidationError) as excinfo:
        validate_phone(number)
    assert excinfo.value.code == "invalid_phone"


def test_phone_is_validated_on_every_model_that_stores_one(news_index, directory_index):
    assert "phone" in errors_of(AgencyFactory.build(phone="abc"))
    assert "contact_phone" in errors_of(AgencyFactory.build(contact_phone="0812"))
    assert "contact_phone" in errors_of(KimGroupFactory.build(contact_phone="abc"))
    assert "phone" in errors_of(DirectoryListingPageFactory.build(phone="0812"))
