"""The built site: what a visitor finds in the files, and that an incremental build equals a full one.

Builds run through sitegen.build.site_build into a temporary SIAR_SITE_ROOT, exactly as `manage.py build_site`
and the Celery task do.
"""

import hashlib
import itertools
import re
from pathlib import Path

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.models import DirectoryListingPage, NewsCategory, NewsPage, SiteProfile, VerdictChoice
from cms.services.verification import news_withdraw
from sitegen.build import site_build
from sitegen.outputs import MANIFEST
from sitegen.store import PATHS
from tests.factories import DirectoryListingPageFactory, NewsPageFactory, verified_publish, verify_revision

# Addresses served by Django, not by the static tree.
DYNAMIC_PREFIXES = ("/kirim/", "/cari/", "/api/", "/admin/", "/media/", "/i18n/", "/en/")
HREF = re.compile(r'(?:href|src)="(/[^"#?]*)[^"]*"')


@pytest.fixture
def site_root(settings, tmp_path):
    settings.SIAR_SITE_ROOT = tmp_path / "site"
    return settings.SIAR_SITE_ROOT


def _live(root: Path) -> Path:
    return root / "current"


def _tree(root: Path) -> dict[str, str]:
    """Every output of the live release and the hash of its bytes (not the release's own list of its files)."""
    live = _live(root).resolve()
    return {
        path.relative_to(live).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(live.rglob("*"))
        if path.is_file() and path.relative_to(live).as_posix() != PATHS
    }


def _html(root: Path, address: str) -> str:
    inner = address.strip("/")
    return (_live(root) / (f"{inner}/index.html" if inner else "index.html")).read_text()


def _all_text(root: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in _live(root).resolve().rglob("*") if p.is_file())


@pytest.fixture
def content(home_page, news_index, directory_index, moderator):
    """A small site with every case a visitor could run into."""
    published = NewsPageFactory(title="Pasar Murah Digelar di Lapangan Merdeka")
    NewsPageFactory(title="Draf Yang Belum Diverifikasi", live=False)
    unverified_edit = NewsPageFactory(title="Jadwal Posyandu Bulan Ini")
    unverified_edit.title = "Jadwal Posyandu Berubah Tanpa Verifikasi"
    unverified_edit.save_revision()  # a later draft: its words must not reach the site
    withdrawn = NewsPageFactory(title="Bantuan Beras Dibagikan Senin")
    news_withdraw(page=withdrawn, actor=moderator, explanation="Jadwal pembagian keliru; yang benar hari Selasa.")
    listing = DirectoryListingPageFactory(title="Puskesmas Lawang Kidul", category="kesehatan")
    verified_publish(listing)
    return {"published": published, "unverified_edit": unverified_edit, "withdrawn": withdrawn, "listing": listing}


@pytest.mark.django_db
def test_a_full_build_holds_the_published_site_and_nothing_unverified(site_root, content):
    release = site_build(trigger="full")
    assert release.status == "live"
    published, listing = content["published"], content["listing"]

    assert "Pasar Murah Digelar di Lapangan Merdeka" in _html(site_root, published.url)
    assert "Pasar Murah Digelar di Lapangan Merdeka" in _html(site_root, "/berita/")
    assert "Pasar Murah Digelar di Lapangan Merdeka" in _html(site_root, "/")
    assert "Puskesmas Lawang Kidul" in _html(site_root, listing.url)
    assert "Puskesmas Lawang Kidul" in _html(site_root, "/direktori/kesehatan/")
    assert "Puskesmas Lawang Kidul" not in _html(site_root, "/direktori/wisata/")
    assert (_live(site_root) / "404.html").is_file()
    assert (_live(site_root) / "static/css/siar.css").is_file()

    everything = _all_text(site_root)
    assert "Draf Yang Belum Diverifikasi" not in everything
    assert "Jadwal Posyandu Berubah Tanpa Verifikasi" not in everything
    assert "Jadwal Posyandu Bulan Ini" in everything  # the verified live version stays

    notice = _html(site_root, content["withdrawn"].url)
    assert "Berita ini ditarik" in notice and "yang benar hari Selasa" in notice
    assert "Bantuan Beras Dibagikan Senin" not in _html(site_root, "/berita/")


@pytest.mark.django_db
def test_every_page_parses_and_every_internal_link_has_a_file(site_root, content):
    site_build(trigger="full")
    live = _live(site_root).resolve()
    parser = html5lib.HTMLParser(strict=True)
    broken = []
    for page in live.rglob("*.html"):
        markup = page.read_text()
        parser.parse(markup)  # raises on any parse error
        for address in HREF.findall(markup):
            if address.startswith(DYNAMIC_PREFIXES):
                continue
            target = live / address.lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append((page.relative_to(live).as_posix(), address))
    assert broken == []


@pytest.mark.django_db
def test_an_incremental_build_rewrites_only_what_a_publish_changed(site_root, content):
    site_build(trigger="full")
    before = _tree(site_root)
    new = NewsPageFactory(title="Festival Durian Kecamatan Ujan Mas")
    release = site_build(trigger="incremental")
    after = _tree(site_root)

    changed = {path for path in after if before.get(path) != after[path]}
    assert html_of(new) in changed and "index.html" in changed and "berita/index.html" in changed
    assert "direktori/kesehatan/index.html" not in changed
    assert content["published"].url.strip("/") + "/index.html" not in changed
    assert release.files_written == len(changed) and release.files_reused == len(after) - len(changed)


def html_of(page) -> str:
    return page.url.strip("/") + "/index.html"


# Incremental equals full, for any sequence of editorial changes ------------------------------------------------


UNIQUE = itertools.count(1)  # Hypothesis replays examples in one database: every new page needs its own slug


def _publish_news(state, number):
    state.append(NewsPageFactory(title=f"Berita Acak Nomor {number} {next(UNIQUE)}"))


def _edit_verified(state, number):
    live = [p for p in state if NewsPage.objects.filter(pk=p.pk, live=True).exists()]
    if live:
        page = NewsPage.objects.get(pk=live[number % len(live)].pk)
        page.lead = f"Ringkasan yang diperbarui {number}."
        verified_publish(page)


def _edit_unverified(state, number):
    live = [p for p in state if NewsPage.objects.filter(pk=p.pk, live=True).exists()]
    if live:
        page = NewsPage.objects.get(pk=live[number % len(live)].pk)
        page.title = f"Suntingan Belum Diverifikasi {number}"
        page.save_revision()


def _withdraw(state, number):
    from django.contrib.auth import get_user_model

    live = [p for p in state if NewsPage.objects.filter(pk=p.pk, live=True).exists()]
    if live:
        moderator = get_user_model().objects.get(username="moderator")
        news_withdraw(page=NewsPage.objects.get(pk=live[number % len(live)].pk), actor=moderator, explanation="Keliru.")


def _rename_category(state, number):
    category = NewsCategory.objects.order_by("pk").first()
    if category:
        category.name = f"Kategori Diganti {number} {next(UNIQUE)}"
        category.save()


def _edit_profile(state, number):
    profile = SiteProfile.objects.first()
    profile.tagline = f"Kabar resmi, versi {number}"
    profile.save()


def _publish_clarification(state, number):
    page = NewsPageFactory(title=f"[HOAKS] Kabar Bohong Nomor {number} {next(UNIQUE)}", live=False)
    revision = page.save_revision()
    verify_revision(revision, verdict=VerdictChoice.FALSE)
    revision.publish()
    state.append(page)


def _unpublish_listing(state, number):
    listing = DirectoryListingPage.objects.live().order_by("pk").first()
    if listing:
        listing.unpublish()


OPERATIONS = [
    _publish_news,
    _edit_verified,
    _edit_unverified,
    _withdraw,
    _rename_category,
    _edit_profile,
    _publish_clarification,
    _unpublish_listing,
]


@pytest.mark.django_db
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 50)), min_size=3, max_size=6))
def test_incremental_builds_equal_full_builds_byte_for_byte(settings, tmp_path_factory, content, steps):
    incremental_root = tmp_path_factory.mktemp("incremental")
    full_root = tmp_path_factory.mktemp("full")
    settings.SIAR_SITE_ROOT = incremental_root
    site_build(trigger="full")
    state = [content["published"], content["unverified_edit"]]
    for operation, number in steps:
        operation(state, number)
        settings.SIAR_SITE_ROOT = incremental_root
        site_build(trigger="incremental")
        settings.SIAR_SITE_ROOT = full_root
        site_build(trigger="full")
        incremental, full = _tree(incremental_root), _tree(full_root)
        assert MANIFEST in full
        assert incremental == full, f"after {operation.__name__}({number})"


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.__name__.strip("_"))
def test_each_kind_of_change_builds_incrementally_to_the_bytes_of_a_full_build(settings, tmp_path, content, operation):
    settings.SIAR_SITE_ROOT = tmp_path / "incremental"
    site_build(trigger="full")
    before = _tree(tmp_path / "incremental")
    operation([content["published"], content["unverified_edit"]], 7)
    site_build(trigger="incremental")
    settings.SIAR_SITE_ROOT = tmp_path / "full"
    site_build(trigger="full")
    incremental = _tree(tmp_path / "incremental")
    assert incremental == _tree(tmp_path / "full")
    if operation is not _edit_unverified:  # an unverified edit must change nothing public
        assert incremental != before
    else:
        assert incremental == before
