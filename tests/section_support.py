"""A small regency with something in every public section, and every case a section must leave out: a draft, a
verified item with a later unverified edit, a withdrawn item, an unpublished listing, an inactive KIM group.

Shared by tests/themes/test_sections.py (the dynamic site), tests/sitegen/test_sections_outputs.py (the built
files) and tests/e2e/test_sections.py (a phone), so all three look at the same content.
"""

import re
from types import SimpleNamespace

from cms.models import NewsPage, VerdictChoice
from cms.services.verification import news_withdraw
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

HOST = {"HTTP_HOST": "localhost"}
CARD_TITLE = re.compile(r'class="card__title"><a href="([^"]+)">([^<]+)</a>')


def card_titles(html: str) -> set[str]:
    return {title for _href, title in CARD_TITLE.findall(html)}


def news(title: str, *, tags=(), live=True, **fields) -> NewsPage:
    """A news item, verified and published unless live=False; tags go into the verified revision."""
    page = NewsPageFactory(title=title, live=False, **fields)
    for tag in tags:
        page.tags.add(tag)
    if live:
        verified_publish(page)
    else:
        page.save_revision()
    return page


def clarification(title: str, **fields) -> NewsPage:
    page = NewsPageFactory(title=f"[HOAKS] {title}", live=False, **fields)
    revision = page.save_revision()
    verify_revision(revision, verdict=VerdictChoice.FALSE)
    revision.publish()
    page.refresh_from_db()
    return page


def listing(title: str, *, live=True, **fields):
    page = DirectoryListingPageFactory(title=title, live=False, **fields)
    if live:
        verified_publish(page)
    return page


def section_content(moderator) -> SimpleNamespace:
    """Districts Lawang Kidul (villages Tanjung Enim, Pagar Agung) and Ujan Mas (Guci); Dinas Kesehatan; KIM Maju
    Bersama in Tanjung Enim; categories Kesehatan and Pendidikan; news, listings and the cases left out."""
    c = SimpleNamespace()
    c.lawang = DistrictFactory(code="16.03.05", name="Lawang Kidul")
    c.tanjung = VillageFactory(code="16.03.05.2001", name="Tanjung Enim", district=c.lawang)
    c.pagar = VillageFactory(code="16.03.05.2002", name="Pagar Agung", district=c.lawang)
    c.ujan = DistrictFactory(code="16.03.11", name="Ujan Mas")
    c.guci = VillageFactory(code="16.03.11.2001", name="Guci", district=c.ujan)
    c.dinkes = AgencyFactory(name="Dinas Kesehatan", abbreviation="Dinkes")
    c.disdik = AgencyFactory(name="Dinas Pendidikan", abbreviation="Disdik")
    c.kim = KimGroupFactory(name="KIM Maju Bersama", village=c.tanjung)
    c.kim_inactive = KimGroupFactory(name="KIM Lama Tidur", village=c.tanjung, is_active=False)
    c.health = NewsCategoryFactory(name="Kesehatan", slug="kesehatan")
    c.education = NewsCategoryFactory(name="Pendidikan", slug="pendidikan")
    photo = ImageFactory(title="Posyandu Tanjung Enim")

    c.posyandu = news(
        "Posyandu Tanjung Enim Layani Seratus Balita",
        lead="Kader posyandu menimbang balita dan membagikan vitamin A.",
        village=c.tanjung,
        categories=[c.health],
        tags=["posyandu", "balita"],
        source_kind=NewsPage.Source.KIM,
        source_kim_group=c.kim,
        related_agency=c.dinkes,
        hero_image=photo,
    )
    c.school = news(
        "Sekolah Dasar Baru Dibuka di Guci",
        village=c.guci,
        categories=[c.education],
        source_kind=NewsPage.Source.AGENCY,
        source_agency=c.disdik,
    )
    c.district_only = news("Jalan Kecamatan Lawang Kidul Diperbaiki", district=c.lawang, categories=[c.education])
    c.draft = news(
        "Draf Rahasia Posyandu Belum Diverifikasi",
        live=False,
        village=c.tanjung,
        categories=[c.health],
        tags=["posyandu", "rahasia-draf"],
        source_kind=NewsPage.Source.KIM,
        source_kim_group=c.kim,
        related_agency=c.dinkes,
    )
    c.vaccine = news("Jadwal Vaksinasi Campak", village=c.pagar, categories=[c.health], related_agency=c.dinkes)
    c.vaccine.title = "Jadwal Vaksinasi Diubah Tanpa Verifikasi"
    c.vaccine.save_revision()  # a later, unverified draft: its words must reach no section
    c.withdrawn = news(
        "Bantuan Beras Dibagikan Senin",
        village=c.tanjung,
        categories=[c.health],
        tags=["beras"],  # a tag that only a withdrawn item carries: it has no page
        related_agency=c.dinkes,
    )
    news_withdraw(page=c.withdrawn, actor=moderator, explanation="Jadwal keliru; yang benar hari Selasa.")
    c.hoax = clarification("Air Sumur Tanjung Enim Beracun", village=c.tanjung, categories=[c.health])

    c.puskesmas = listing(
        "Puskesmas Tanjung Enim",
        category="kesehatan",
        subcategory="puskesmas",
        description="Puskesmas rawat inap dengan layanan persalinan dan imunisasi.",
        village=c.tanjung,
        agency=c.dinkes,
        latitude="-3.745000",
        longitude="103.801000",
    )
    c.waterfall = listing("Air Terjun Bedegung", category="wisata", village=c.guci)
    c.unpublished_listing = listing("Klinik Yang Belum Terbit", category="kesehatan", village=c.tanjung, live=False)
    return c
