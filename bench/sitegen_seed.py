"""Seed a scratch Siar database with N published, verified news items and M directory listings, fast.

Run by bench/sitegen.py in a scratch SIAR_VAR_DIR (never on a real database). Creating 10,000 pages through
Wagtail's add_child + revision + verdict + publish takes many minutes, so one item of each kind is made the
normal way (so it passes the publish gate) and the rest are copies written in bulk: page rows with computed
tree paths, a revision each and a verdict on it — the same rows the normal path leaves behind.

Usage (from bench/sitegen.py): python bench/sitegen_seed.py NEWS LISTINGS
"""

import datetime
import io
import os
import random
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siar.settings.dev")

import django  # noqa: E402

django.setup()

from PIL import Image as PILImage  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from wagtail.images import get_image_model  # noqa: E402
from wagtail.models import Page, Revision  # noqa: E402

from cms.models import (  # noqa: E402
    DirectoryCategory,
    DirectoryIndexPage,
    DirectoryListingPage,
    District,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    Verdict,
    Village,
)

WORDS = [
    "warga",
    "desa",
    "kecamatan",
    "kabupaten",
    "gotong",
    "royong",
    "pembangunan",
    "jalan",
    "jembatan",
    "sekolah",
    "puskesmas",
    "posyandu",
    "pasar",
    "petani",
    "panen",
    "padi",
    "karet",
    "kopi",
    "bantuan",
    "sosial",
    "pelatihan",
    "pemuda",
    "festival",
    "budaya",
    "air",
    "bersih",
    "listrik",
]
IMAGES = 40
rng = random.Random(20261124)  # noqa: S311 - reproducible content, not secrets


def sentence(words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def body_json() -> list:
    paragraphs = ["<p>" + " ".join(sentence(14) for _ in range(7)) + "</p>" for _ in range(5)]
    return [{"type": "paragraph", "value": text, "id": f"p{i}"} for i, text in enumerate(paragraphs)]


def images() -> list:
    Image = get_image_model()
    made = []
    for number in range(IMAGES):
        buffer = io.BytesIO()
        color = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        PILImage.new("RGB", (1600, 1067), color).save(buffer, "JPEG", quality=80)
        made.append(Image.objects.create(title=f"Foto {number}", file=ImageFile(buffer, name=f"bench-{number}.jpg")))
    return made


def regions():
    districts = [District.objects.create(name=f"Kecamatan Uji {n}", code=f"16.03.{n:02d}") for n in range(1, 11)]
    villages = [
        Village.objects.create(name=f"Desa Uji {d.pk}-{n}", code=f"{d.code}.{2000 + n}", district=d)
        for d in districts
        for n in range(1, 6)
    ]
    return districts, villages


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(Page.alphabet))
        digits = Page.alphabet[rest] + digits
    return digits.rjust(Page.steplen, "0")


def bulk_pages(parent, model, rows: list[dict], verifier) -> None:
    """Insert child pages of ``parent`` in bulk, each live on a verified revision (as the publish gate wants)."""
    content_type = ContentType.objects.get_for_model(model)
    page_type = ContentType.objects.get_for_model(Page)
    parent = Page.objects.get(pk=parent.pk)
    start = parent.numchild
    now = timezone.now()
    child_fields = list(model._meta.local_concrete_fields)
    for offset in range(0, len(rows), 1000):
        chunk = rows[offset : offset + 1000]
        pages = []
        for index, row in enumerate(chunk, start=start + offset + 1):
            page = model(
                title=row["title"],
                slug=row["slug"],
                path=parent.path + _step(index),
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}{row['slug']}/",
                content_type=content_type,
                live=True,
                has_unpublished_changes=False,
                first_published_at=row["published"],
                last_published_at=row["published"],
                latest_revision_created_at=row["published"],
                locale_id=parent.locale_id,
                translation_key=row["key"],
                **row["fields"],
            )
            pages.append(page)
        # Multi-table inheritance: the base rows first, then the child rows pointing at them.
        Page.objects.bulk_create(pages, batch_size=500)  # sets pk on SQLite and PostgreSQL
        for page in pages:
            page.page_ptr_id = page.id  # the base row's id (page.pk is the child's pointer, not set yet)
        model.objects._insert(pages, fields=child_fields, using="default")
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type=content_type,
                    base_content_type=page_type,
                    object_id=str(page.pk),
                    created_at=now,
                    object_str=page.title,
                    content={"pk": page.pk, "title": page.title},
                )
                for page in pages
            ]
        )
        Verdict.objects.bulk_create(
            [Verdict(revision=revision, verdict="true", verifier=verifier) for revision in revisions]
        )
        for page, revision in zip(pages, revisions, strict=True):
            Page.objects.filter(pk=page.pk).update(live_revision=revision, latest_revision=revision)
    Page.objects.filter(pk=parent.pk).update(numchild=start + len(rows))


@transaction.atomic
def seed(news: int, listings: int) -> None:
    verifier = get_user_model().objects.create_user("verifikator-bench", password=None)
    verifier.groups.add(Group.objects.get(name="Moderators"))  # the verify permission, as a real verifier has
    pool = images()
    districts, villages = regions()
    categories = [NewsCategory.objects.create(name=f"Kategori {n}", slug=f"kategori-{n}") for n in range(1, 9)]
    news_index, directory = NewsIndexPage.objects.get(), DirectoryIndexPage.objects.get()
    start = timezone.now() - datetime.timedelta(days=365 * 3)
    news_rows = []
    for number in range(news):
        village = rng.choice(villages)
        title = f"{sentence(6)[:-1]} {number}"
        news_rows.append(
            {
                "title": title,
                "slug": f"berita-{number}",
                "key": uuid.uuid4(),
                "published": start + datetime.timedelta(minutes=150 * number),
                "fields": {
                    "lead": sentence(25),
                    "body": body_json(),
                    "hero_image": rng.choice(pool),
                    "district": village.district,
                    "village": village,
                    "source_kind": "media_center",
                },
            }
        )
    bulk_pages(news_index, NewsPage, news_rows, verifier)
    through = NewsPage.categories.through
    through.objects.bulk_create(
        [
            through(newspage_id=pk, newscategory_id=rng.choice(categories).pk)
            for pk in NewsPage.objects.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    listing_rows = []
    for number in range(listings):
        village = rng.choice(villages)
        listing_rows.append(
            {
                "title": f"Tempat Uji {number:05d}",
                "slug": f"tempat-{number}",
                "key": uuid.uuid4(),
                "published": start,
                "fields": {
                    "category": DirectoryCategory.values[number % len(DirectoryCategory.values)],
                    "description": sentence(30),
                    "address": f"Jl. Uji No. {number}",
                    "phone": "0734 421234",
                    "district": village.district,
                    "village": village,
                    "last_verified": datetime.date(2026, 10, 1),
                    "opening_hours": [],
                },
            }
        )
    bulk_pages(directory, DirectoryListingPage, listing_rows, verifier)
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            dangling = cursor.fetchall()
        assert not dangling, f"seeded rows point nowhere: {dangling[:5]}"


if __name__ == "__main__":
    seed(int(sys.argv[1]), int(sys.argv[2]))
