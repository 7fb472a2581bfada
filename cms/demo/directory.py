"""Demo directory: 120 listings across the six categories, placed inside Muara Enim regency."""

import datetime
import uuid
from collections.abc import Callable
from decimal import Decimal
from itertools import zip_longest
from random import Random

from django.utils import timezone

from wagtail.images.models import AbstractImage

from cms.demo import directory_data as data
from cms.demo.pages import existing_child_slugs, publish_new_page, unique_slug
from cms.demo.people import landline_number, mobile_number
from cms.demo.regions import DISTRICTS, district_data
from cms.demo.seeds import seeded
from cms.models import Agency, DirectoryCategory, DirectoryIndexPage, DirectoryListingPage, ListingPhoto, Village

LAT_RANGE, LON_RANGE = (-4.4, -3.5), (103.4, 104.4)  # the regency's rough bounding box
IMAGE_THEME = {
    "wisata": "pariwisata",
    "kesehatan": "kesehatan",
    "kuliner": "kuliner",
    "hotel": "hotel",
    "kontak": "kontak",
    "layanan": "layanan",
}
HOURS_24 = "24 jam"


def puskesmas_rows() -> list[data.Row]:
    """One puskesmas per district, at its first village."""
    return [
        (f"Puskesmas {d.name}", "Puskesmas", d.number, (d.kelurahan + d.desa)[0], "", "dinkes", "") for d in DISTRICTS
    ]


def rows_by_category() -> dict[str, list[data.Row]]:
    return {
        DirectoryCategory.TOURISM: list(data.WISATA),
        DirectoryCategory.HEALTH: puskesmas_rows() + list(data.KESEHATAN_EXTRA),
        DirectoryCategory.CULINARY: list(data.KULINER),
        DirectoryCategory.HOTEL: list(data.HOTEL),
        DirectoryCategory.CONTACT: list(data.KONTAK),
        DirectoryCategory.SERVICE: list(data.LAYANAN),
    }


def ordered_rows() -> list[tuple[str, data.Row]]:
    """Categories interleaved, so any prefix (--listings 12) still covers all six."""
    columns = [[(category, row) for row in rows] for category, rows in rows_by_category().items()]
    return [item for group in zip_longest(*columns) for item in group if item]


def _hours(rng: Random, category: str, subcategory: str) -> list[tuple[str, str | None, str | None, str]]:
    """(days, opens, closes, note) rows typical for the kind of place."""
    if category == DirectoryCategory.CONTACT or subcategory in ("Rumah sakit", "Gawat darurat"):
        return [("daily", None, None, HOURS_24)]
    if category == DirectoryCategory.HOTEL:
        return [("daily", None, None, "Resepsionis 24 jam")]
    if category in (DirectoryCategory.SERVICE, DirectoryCategory.HEALTH):
        return [("weekdays", "08:00:00", "15:30:00", ""), ("sat", "08:00:00", "12:00:00", "Hanya layanan umum")]
    if category == DirectoryCategory.TOURISM:
        return [("daily", "07:00:00", rng.choice(("17:00:00", "18:00:00")), "Tutup bila cuaca buruk")]
    opens = rng.choice(("07:00:00", "09:00:00", "10:00:00"))
    return [("daily", opens, rng.choice(("21:00:00", "22:00:00")), "Jumat buka setelah salat Jumat")]


def _hours_blocks(rng: Random, rows: list[tuple]) -> list[dict]:
    return [
        {
            "type": "hours",
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "value": {"days": days, "opens": opens, "closes": closes, "note": note},
        }
        for days, opens, closes, note in rows
    ]


def _coordinates(rng: Random, district_number: int) -> tuple[Decimal, Decimal]:
    lat, lon = district_data(f"16.03.{district_number:02d}").centre
    lat = min(max(lat + rng.uniform(-0.03, 0.03), LAT_RANGE[0]), LAT_RANGE[1])
    lon = min(max(lon + rng.uniform(-0.03, 0.03), LON_RANGE[0]), LON_RANGE[1])
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _description(rng: Random, category: str, row: data.Row, kec: str) -> str:
    title, subcategory, _, _, description, _, _ = row
    if description:
        return description
    key = "puskesmas" if subcategory == "Puskesmas" else "hotel" if category == DirectoryCategory.HOTEL else subcategory
    return rng.choice(data.TEMPLATES[key]).format(kec=kec, title=title)


def _contacts(rng: Random, category: str, fixed_phone: str, slug: str) -> dict:
    """Phones for everyone who would have one; WhatsApp and Instagram for businesses."""
    contacts = {"phone": fixed_phone or landline_number(rng)}
    if category in (DirectoryCategory.CULINARY, DirectoryCategory.HOTEL, DirectoryCategory.TOURISM):
        contacts["whatsapp"] = mobile_number(rng)
        contacts["instagram_url"] = f"https://www.instagram.com/{slug.replace('-', '')[:28]}"
        if category == DirectoryCategory.TOURISM:
            contacts["phone"] = ""  # nature sites have no landline; the pokdarwis answers on WhatsApp
    elif category == DirectoryCategory.CONTACT and not fixed_phone:
        contacts["whatsapp"] = mobile_number(rng)
    return contacts


def build_listing(
    *,
    category: str,
    row: data.Row,
    agencies: dict[str, Agency],
    villages: dict[str, Village],
    images: dict[str, list[AbstractImage]],
    slug: str,
    today: datetime.date,
) -> DirectoryListingPage:
    title, subcategory, district_number, village_name, _, agency_key, fixed_phone = row
    rng = seeded(f"listing-{title}")
    village = villages[f"{district_number}:{village_name}"]
    lat, lon = _coordinates(rng, district_number)
    agency = agencies.get(agency_key)
    page = DirectoryListingPage(
        title=title,
        slug=slug,
        category=category,
        subcategory=subcategory,
        description=_description(rng, category, row, village.district.name),
        address=f"{rng.choice(data.STREETS)} No. {rng.randint(1, 180)}, {village.name}, Kecamatan "
        f"{village.district.name}, Kabupaten Muara Enim",
        district=village.district,
        village=village,
        latitude=lat,
        longitude=lon,
        website=agency.website if agency and category == DirectoryCategory.SERVICE else "",
        email=agency.email if agency and category == DirectoryCategory.SERVICE else "",
        opening_hours=_hours_blocks(rng, _hours(rng, category, subcategory)),
        agency=agency,
        last_verified=today - datetime.timedelta(days=rng.randint(1, 360)),
        **_contacts(rng, category, fixed_phone, slug),
    )
    pool = images[IMAGE_THEME[category]]
    page.photos = [
        ListingPhoto(image=image, caption=f"{title}, {village.district.name}", sort_order=i)
        for i, image in enumerate(rng.sample(pool, rng.choice((1, 2))))
    ]
    return page


def load_listings(
    *, count: int, agencies: dict[str, Agency], images: dict[str, list[AbstractImage]], report: Callable[[str], None]
) -> list[DirectoryListingPage]:
    """Create the listings that do not exist yet (matched by title); returns the pages created."""
    parent = DirectoryIndexPage.objects.get()
    taken = existing_child_slugs(parent)
    existing_titles = set(parent.get_children().values_list("title", flat=True))
    villages = {f"{int(v.district.code[-2:])}:{v.name}": v for v in Village.objects.select_related("district")}
    today, now, created = timezone.localdate(), timezone.now(), []
    rows = ordered_rows()[:count]
    for index, (category, row) in enumerate(rows):
        if row[0] not in existing_titles:
            page = build_listing(
                category=category,
                row=row,
                agencies=agencies,
                villages=villages,
                images=images,
                slug=unique_slug(row[0], taken),
                today=today,
            )
            published = now - datetime.timedelta(days=seeded(row[0]).randint(30, 400))
            created.append(publish_new_page(parent=parent, page=page, published_at=published))
        if (index + 1) % 40 == 0 or index + 1 == len(rows):
            report(f"Direktori: {index + 1}/{len(rows)}")
    return created
