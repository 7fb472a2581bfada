"""Lists cost the same number of queries for 3 items or 30: a weak server under a traffic spike (or the
static build rendering thousands of pages) must not pay one query per card."""

import io
import re

import pytest
from PIL import Image as PILImage

from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images.models import Image

from cms.models import DirectoryListingPage, District, ListingPhoto, NewsCategory, NewsPage, Village
from cms.models.directory import LISTINGS_PER_PAGE
from tests.factories import verified_publish

HOST = {"HTTP_HOST": "localhost"}


def _image() -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (600, 400), (200, 80, 40)).save(buffer, "JPEG")
    return Image.objects.create(title="Foto", file=ImageFile(buffer, name="foto.jpg"))


@pytest.fixture
def village(db):
    district = District.objects.create(code="16.03.01", name="Muara Enim")
    return Village.objects.create(code="16.03.01.2001", name="Karang Raja", district=district)


def _add_news(news_index, village, image, count):
    category = NewsCategory.objects.get_or_create(name="Pemerintahan", slug="pemerintahan")[0]
    for number in range(count):
        page = news_index.add_child(
            instance=NewsPage(
                title=f"Rapat koordinasi {number}",
                lead="Rapat digelar.",
                hero_image=image,
                village=village,
                body=[("paragraph", "<p>Isi.</p>")],
            )
        )
        page.categories.add(category)
        verified_publish(page)


def _add_listings(directory_index, village, image, count):
    for number in range(count):
        listing = DirectoryListingPage(
            title=f"Puskesmas {number}",
            category="kesehatan",
            description="Layanan dasar.",
            address="Jl. Merdeka",
            village=village,
            phone="0734 421234",
        )
        listing.photos.add(ListingPhoto(image=image))
        directory_index.add_child(instance=listing)
        listing.save_revision().publish()


def _queries_for(client, url) -> int:
    client.get(url, **HOST)  # warm renditions: the first view of an image creates them
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **HOST).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url_of", ["home", "news"])
def test_news_lists_do_not_query_per_card(client, home_page, news_index, village, url_of):
    image = _image()
    url = home_page.url if url_of == "home" else news_index.url
    _add_news(news_index, village, image, 2)
    few = _queries_for(client, url)
    _add_news(news_index, village, image, 8)
    many = _queries_for(client, url)
    assert many == few


@pytest.mark.django_db
def test_directory_list_does_not_query_per_card(client, directory_index, village):
    image = _image()
    _add_listings(directory_index, village, image, 2)
    few = _queries_for(client, directory_index.url)
    _add_listings(directory_index, village, image, 8)
    assert _queries_for(client, directory_index.url) == few


@pytest.mark.django_db
def test_directory_is_paginated_with_plain_links(client, directory_index, village):
    _add_listings(directory_index, village, _image(), LISTINGS_PER_PAGE + 1)

    first = client.get(directory_index.url, **HOST).content.decode()
    second = client.get(directory_index.url + "halaman/2/", **HOST).content.decode()

    titles = re.compile(r">(Puskesmas \d+)</a>")
    assert len(titles.findall(first)) == LISTINGS_PER_PAGE
    assert titles.findall(second) == ["Puskesmas 9"], "sorted by name, the 25th listing is alone on page 2"
    assert f'href="{directory_index.url}halaman/2/" rel="next"' in first
    health = client.get(directory_index.url + "kesehatan/halaman/2/", **HOST)
    assert health.status_code == 200 and titles.findall(health.content.decode()) == ["Puskesmas 9"]
