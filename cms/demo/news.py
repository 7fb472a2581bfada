"""Demo news: 300 items composed from story templates × real places × agencies × KIM groups.

Item i is generated from its own seeded Random, so it is identical whatever the total count; titles
(and therefore slugs) are the identity that makes reruns skip what already exists.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random

from django.utils import timezone
from django.utils.html import escape

from wagtail.images.models import AbstractImage

from cms.demo.news_stories import CATEGORIES, CATEGORY_CONTEXT, CLOSINGS, STORIES, Story
from cms.demo.pages import existing_child_slugs, publish_new_page, unique_slug
from cms.demo.people import person_name
from cms.demo.seeds import seeded
from cms.models import Agency, District, KimGroup, NewsCategory, NewsIndexPage, NewsPage, Village

SMALL_WORDS = {"dan", "di", "ke", "dari", "untuk", "yang", "bagi", "dengan", "dalam", "tak"}
RURAL_ONLY = {"dana-desa", "bumdes", "desa-wisata"}  # kelurahan get no village fund, BUMDes or desa wisata
URBAN_WORDING = (
    ("Kepala Desa", "Lurah"),
    ("Balai Desa", "Kantor Lurah"),
    ("Pemerintah Desa", "Pemerintah Kelurahan"),
    ("pemerintah desa", "pemerintah kelurahan"),
    ("Desa ", "Kelurahan "),
)
IMAGE_CAPTIONS = (
    "Suasana kegiatan di {tempat}.",
    "Warga dan petugas di lokasi kegiatan, {tempat}.",
    "Kegiatan berlangsung sejak pagi di {tempat}.",
)


@dataclass
class World:
    """Everything a news item may refer to, loaded once."""

    villages: list[Village]
    agencies: dict[str, Agency]
    kim_groups: list[KimGroup]
    categories: dict[str, NewsCategory]
    images: dict[str, list[AbstractImage]]


@dataclass
class NewsSpec:
    title: str
    lead: str
    body: list[dict]
    category: str
    tags: list[str]
    district: District
    village: Village | None
    source_kind: str
    source_agency: Agency | None = None
    source_kim_group: KimGroup | None = None
    related_agency: Agency | None = None
    hero_image: AbstractImage | None = None
    extra: dict = field(default_factory=dict)


def load_categories() -> dict[str, NewsCategory]:
    categories = {}
    for slug, name, description in CATEGORIES:
        categories[slug], _ = NewsCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
    return categories


def headline_case(text: str) -> str:
    """Capitalise words the way Indonesian headlines do, keeping acronyms (UMKM) and small words."""
    words = text.split()
    return " ".join(
        w if w.isupper() or (i and w in SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def _block(rng: Random, kind: str, value) -> dict:
    # Stable block ids keep revisions identical between runs.
    return {"type": kind, "value": value, "id": str(uuid.UUID(int=rng.getrandbits(128), version=4))}


def _people(village: Village, agency: Agency | None, kim_group: KimGroup | None, rng: Random) -> dict[str, str]:
    """Speakers for quotes: the same village head or camat is always the same (seeded by code)."""
    head_title = "Lurah" if village.kind == Village.Kind.KELURAHAN else "Kepala Desa"
    people = {
        "kades": f"{person_name(seeded(f'kades-{village.code}'))}, {head_title} {village.name}",
        "camat": f"{person_name(seeded(f'camat-{village.district.code}'))}, Camat {village.district.name}",
        "warga": f"{person_name(rng)}, warga {village.name}",
    }
    people["kepala"] = people["kades"]
    if agency:
        role = "Direktur" if agency.abbreviation == "RSUD" else "Kepala"
        people["kepala"] = f"{person_name(seeded(f'head-{agency.name}'))}, {role} {agency.name}"
    people["ketua_kim"] = people["kades"]
    if kim_group:
        chair = kim_group.members.first()
        people["ketua_kim"] = f"{chair.name if chair else person_name(rng)}, Ketua {kim_group.name}"
    return people


def _slots(rng: Random, story: Story, village: Village, agency: Agency | None, kim_group: KimGroup | None) -> dict:
    slots = {
        "desa": village.name,
        "kec": village.district.name,
        "opd": agency.name if agency else "Pemerintah Kabupaten Muara Enim",
        "opd_singkat": agency.abbreviation if agency else "Pemkab",
        "kim": kim_group.name if kim_group else "KIM setempat",
        "n1": rng.randint(12, 95),
        "n2": rng.randint(120, 950),
        "n3": f"{rng.randint(12, 95) * 100:,}".replace(",", "."),
        "persen": rng.randint(5, 25),
        "anggaran": f"Rp{rng.choice((150, 240, 350, 480, 600, 750, 920))} juta",
    }
    for name, choices in story.extras.items():
        slots[name] = rng.choice(choices)
        slots[f"{name}_judul"] = headline_case(slots[name])
    people = _people(village, agency, kim_group, rng)
    slots.update({key: value.split(",")[0] for key, value in people.items()})
    return slots | {"_people": people, "_kelurahan": village.kind == Village.Kind.KELURAHAN}


def _body(rng: Random, story: Story, slots: dict, images: list[AbstractImage], credit: str) -> list[dict]:
    """Two or three story paragraphs, maybe a quote and a photo, maybe context, then a closing line."""
    picked = sorted(rng.sample(range(len(story.details)), rng.choice((2, 3))))
    blocks = [_block(rng, "paragraph", f"<p>{escape(_render(story.details[i], slots))}</p>") for i in picked]
    if rng.random() < 0.6:
        text, speaker = rng.choice(story.quotes)
        blocks.insert(1, _block(rng, "quote", {"text": text, "attribution": slots["_people"][speaker]}))
    if rng.random() < 0.35:
        tempat = _render("Desa {desa}, Kecamatan {kec}", slots)
        caption = rng.choice(IMAGE_CAPTIONS).format(tempat=tempat)
        image = {"image": rng.choice(images).pk, "caption": caption, "credit": credit}
        blocks.insert(2, _block(rng, "image", image))
    if rng.random() < 0.5:
        blocks.append(_block(rng, "paragraph", f"<p>{escape(rng.choice(CATEGORY_CONTEXT[story.category]))}</p>"))
    closings = CLOSINGS["umum"] + CLOSINGS["kebencanaan" if story.category == "kebencanaan" else "kegiatan"]
    blocks.append(_block(rng, "paragraph", f"<p>{escape(rng.choice(closings))}</p>"))
    return blocks


def _pick_source(rng: Random, world: World) -> tuple[str, Story, KimGroup | None]:
    """Half from the media centre, three in ten from an agency, two in ten from a KIM group."""
    roll = rng.random()
    if roll < 0.2:
        story = rng.choice([s for s in STORIES if s.kim_ok])
        groups = [g for g in world.kim_groups if _fits(story, g.village)]
        if groups:
            return NewsPage.Source.KIM, story, rng.choice(groups)
    if roll < 0.5:
        return NewsPage.Source.AGENCY, rng.choice([s for s in STORIES if s.agencies]), None
    return NewsPage.Source.MEDIA_CENTER, rng.choice(STORIES), None


def _district_number(district: District) -> int:
    return int(district.code.rsplit(".", 1)[1])


def _fits(story: Story, village: Village) -> bool:
    if story.districts and _district_number(village.district) not in story.districts:
        return False
    return village.kind == Village.Kind.DESA or story.key not in RURAL_ONLY


def _render(template: str, slots: dict) -> str:
    """Fill a template; in a kelurahan the head is a lurah and the office a kantor lurah."""
    text = template.format(**slots)
    if slots["_kelurahan"]:
        for rural, urban in URBAN_WORDING:
            text = text.replace(rural, urban)
    return text


def _pick_village(rng: Random, story: Story, world: World, kim_group: KimGroup | None) -> Village:
    if kim_group:
        return kim_group.village
    return rng.choice([v for v in world.villages if _fits(story, v)])


def _nearby_kim(rng: Random, world: World, village: Village) -> KimGroup | None:
    groups = [g for g in world.kim_groups if g.village.district_id == village.district_id]
    return rng.choice(groups) if groups else None


def build_news_spec(*, seed: str, world: World) -> NewsSpec:
    """One news item, from its own seeded random stream."""
    rng = seeded(seed)
    source_kind, story, kim_group = _pick_source(rng, world)
    village = _pick_village(rng, story, world, kim_group)
    agency = world.agencies[rng.choice(story.agencies)] if story.agencies else None
    slots = _slots(rng, story, village, agency, kim_group or _nearby_kim(rng, world, village))
    credit = {NewsPage.Source.KIM: f"Dok. {slots['kim']}", NewsPage.Source.AGENCY: f"Dok. {slots['opd_singkat']}"}
    images = world.images[story.category]
    return NewsSpec(
        title=_render(rng.choice(story.titles), slots),
        lead=_render(rng.choice(story.leads), slots),
        body=_body(rng, story, slots, images, credit.get(source_kind, "Dok. Diskominfo Muara Enim")),
        category=story.category,
        tags=sorted({*rng.sample(story.tags, 2), village.district.name}),
        district=village.district,
        village=village if story.scope == "desa" else None,
        source_kind=source_kind,
        source_agency=agency if source_kind == NewsPage.Source.AGENCY else None,
        source_kim_group=kim_group,
        related_agency=agency,
        hero_image=rng.choice(images),
        extra={"published_minute": rng.randint(7 * 60, 20 * 60)},  # between 07:00 and 20:00 local time
    )


def published_at(*, index: int, count: int, minute_of_day: int, today: datetime.date) -> datetime.datetime:
    """Item 0 is yesterday, the last item a year ago; evenly spread in between."""
    days_back = 1 + round(index * 364 / max(count - 1, 1))
    day = today - datetime.timedelta(days=days_back)
    naive = datetime.datetime.combine(day, datetime.time(minute_of_day // 60, minute_of_day % 60))
    return timezone.make_aware(naive)


def _body_text(spec: NewsSpec) -> tuple:
    return tuple(str(block["value"]) for block in spec.body if block["type"] != "image")


def build_news_specs(*, count: int, world: World) -> list[NewsSpec]:
    """Specs with unique titles and bodies; a clash is redrawn from a derived stream, still deterministic."""
    specs, titles, bodies = [], set(), set()
    for index in range(count):
        spec, attempt = build_news_spec(seed=f"news-{index}", world=world), 0
        while spec.title in titles or _body_text(spec) in bodies:
            attempt += 1
            spec = build_news_spec(seed=f"news-{index}-retry-{attempt}", world=world)  # independent of count
        titles.add(spec.title)
        bodies.add(_body_text(spec))
        specs.append(spec)
    return specs


def news_page(spec: NewsSpec, *, slug: str, world: World) -> NewsPage:
    page = NewsPage(
        title=spec.title,
        slug=slug,
        lead=spec.lead,
        body=spec.body,
        hero_image=spec.hero_image,
        district=spec.district,
        village=spec.village,
        source_kind=spec.source_kind,
        source_agency=spec.source_agency,
        source_kim_group=spec.source_kim_group,
        related_agency=spec.related_agency,
        search_description=spec.lead[:255],
    )
    page.categories = [world.categories[spec.category]]
    page.tags.add(*spec.tags)
    return page


def load_news(*, count: int, world: World, report: Callable[[str], None]) -> list[NewsPage]:
    """Create the news items that do not exist yet; returns the pages created."""
    parent = NewsIndexPage.objects.get()
    taken = existing_child_slugs(parent)
    existing_titles = set(parent.get_children().values_list("title", flat=True))
    today, created = timezone.localdate(), []
    for index, spec in enumerate(build_news_specs(count=count, world=world)):
        if spec.title not in existing_titles:
            page = news_page(spec, slug=unique_slug(spec.title, taken), world=world)
            when = published_at(index=index, count=count, minute_of_day=spec.extra["published_minute"], today=today)
            created.append(publish_new_page(parent=parent, page=page, published_at=when))
        if (index + 1) % 50 == 0 or index + 1 == count:
            report(f"Berita: {index + 1}/{count}")
    return created
