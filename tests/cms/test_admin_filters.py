"""Editors find news and listings by what they work with: source, district, category."""

import pytest

from django.urls import reverse

from cms.models import NewsPage
from tests.factories import (
    AgencyFactory,
    DirectoryListingPageFactory,
    DistrictFactory,
    KimGroupFactory,
    NewsPageFactory,
)

HOST = {"HTTP_HOST": "localhost"}


@pytest.mark.django_db
def test_news_listing_filters_by_source_and_district(client, editor):
    kim_group = KimGroupFactory()
    district = kim_group.village.district
    NewsPageFactory(
        title="Kabar dari KIM Maju",
        source_kind=NewsPage.Source.KIM,
        source_kim_group=kim_group,
        village=kim_group.village,
    )
    NewsPageFactory(title="Rilis Dinas Kesehatan", source_kind=NewsPage.Source.AGENCY, source_agency=AgencyFactory())
    NewsPageFactory(title="Rilis Media Center di kecamatan lain", district=DistrictFactory())
    client.force_login(editor)

    by_kim = client.get(reverse("berita:index"), {"source_kind": "kim"}, **HOST).content.decode()
    by_district = client.get(reverse("berita:index"), {"district": district.pk}, **HOST).content.decode()

    assert "Kabar dari KIM Maju" in by_kim and "Rilis Dinas Kesehatan" not in by_kim
    assert "Kabar dari KIM Maju" in by_district and "kecamatan lain" not in by_district


@pytest.mark.django_db
def test_directory_listing_filters_by_category(client, editor):
    DirectoryListingPageFactory(title="Puskesmas Gelumbang", category="kesehatan")
    DirectoryListingPageFactory(title="Air Terjun Bedegung", category="wisata")
    client.force_login(editor)

    html = client.get(reverse("direktori:index"), {"category": "kesehatan"}, **HOST).content.decode()

    assert "Puskesmas Gelumbang" in html and "Air Terjun Bedegung" not in html
