"""A build rendered in several processes is the release one process makes, byte for byte; a render process that
fails or is killed fails the build and leaves the live site as it was.

The processes must read the committed database, so these run on PostgreSQL with transactional tests (in a test
transaction, or on SQLite's in-memory test database, the build renders in one process: checked below too).
"""

import hashlib
import os
import random
import signal
from pathlib import Path

import pytest

import sitegen.outputs
import sitegen.parallel
from sitegen.build import site_build
from sitegen.models import SiteRelease
from sitegen.releases import ReleaseError
from sitegen.render import PageRenderer
from sitegen.store import PATHS
from tests.section_support import section_content

ARTICLE = "/berita/posyandu-tanjung-enim-layani-seratus-balita/"


@pytest.fixture
def content(home_page, news_index, directory_index, moderator):
    return section_content(moderator)


@pytest.fixture
def site_root(settings, tmp_path) -> Path:
    settings.SIAR_SITE_ROOT = tmp_path / "site"
    return settings.SIAR_SITE_ROOT


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """Every build renders in processes (the content is small), and this list records with how many."""
    monkeypatch.setattr(sitegen.parallel, "MIN_PARALLEL", 1)
    counts = []
    original = sitegen.outputs.render_in_processes

    def recording(renders, deliver, count, **options):
        counts.append(count)
        return original(renders, deliver, count, **options)

    monkeypatch.setattr(sitegen.outputs, "render_in_processes", recording)
    return counts


def tree(root: Path) -> dict[str, str]:
    live = (root / "current").resolve()
    return {
        path.relative_to(live).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(live.rglob("*"))
        if path.is_file() and path.relative_to(live).as_posix() != PATHS
    }


def failing_on(monkeypatch, path: str, act) -> None:
    """Rendering the page at ``path`` calls ``act()``: the forked processes inherit the patch."""
    render = PageRenderer.page

    def page(self, page, **kwargs):
        if kwargs.get("path") == path:
            act()
        return render(self, page, **kwargs)

    monkeypatch.setattr(PageRenderer, "page", page)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_build_in_two_processes_is_byte_for_byte_the_build_in_one(settings, site_root, content, forks):
    settings.SIAR_SITE_BUILD_PROCESSES = 1
    site_build(trigger="full")
    alone = tree(site_root)
    settings.SIAR_SITE_BUILD_PROCESSES = 2
    release = site_build(trigger="full")
    assert forks == [2]
    assert release.status == SiteRelease.Status.LIVE
    assert release.files_written == len(alone) and release.files_reused == 0
    assert tree(site_root) == alone
    assert f"{ARTICLE.strip('/')}/index.html" in alone


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "act, message",
    [
        (lambda: (_ for _ in ()).throw(RuntimeError("template rusak di proses anak")), "template rusak di proses anak"),
        (lambda: os.kill(os.getpid(), signal.SIGKILL), "status -9"),
    ],
    ids=["fails", "is-killed"],
)
def test_a_render_process_that_fails_or_dies_leaves_the_live_site(
    settings, site_root, content, forks, monkeypatch, act, message
):
    settings.SIAR_SITE_BUILD_PROCESSES = 2
    first = site_build(trigger="full")
    before = tree(site_root)
    failing_on(monkeypatch, ARTICLE, act)
    with pytest.raises(ReleaseError, match=message):
        site_build(trigger="full")
    assert forks == [2, 2]
    assert tree(site_root) == before
    assert (site_root / "current").resolve().name == first.name
    failed = SiteRelease.objects.exclude(pk=first.pk).get()
    assert failed.status == SiteRelease.Status.FAILED and message in failed.error
    assert sorted(p.name for p in (site_root / "releases").iterdir()) == [first.name]


@pytest.mark.django_db
def test_inside_a_transaction_the_build_renders_in_this_process(settings, site_root, content, forks):
    """New connections could not see the test's uncommitted rows (nor an in-memory SQLite database)."""
    settings.SIAR_SITE_BUILD_PROCESSES = 2
    release = site_build(trigger="full")
    assert release.status == SiteRelease.Status.LIVE
    assert forks == []
    assert sitegen.parallel.processes_for(10_000) == 1


@pytest.mark.parametrize("count", [1, 2, 3, 4])
@pytest.mark.parametrize("cards, others", [(0, 500), (40, 500), (300, 100), (5, 0)])
def test_every_output_is_rendered_once_and_the_lists_of_cards_together(count, cards, others):
    """A card is rendered once per process: lists of cards spread over processes rendered each card twice."""
    card_pages = [True] * cards + [False] * others
    random.Random(count * 1000 + cards).shuffle(card_pages)
    shares = sitegen.parallel.shares_split(card_pages, count)
    assert len(shares) == count
    assert sorted(index for share in shares for index in share) == list(range(cards + others))
    assert {index for index, is_list in enumerate(card_pages) if is_list} <= set(shares[0])
    weight = sitegen.parallel.CARD_PAGE_WEIGHT
    weights = [sum(weight if card_pages[i] else 1 for i in share) for share in shares]
    if count > 1 and weight * cards < sum(weights) / count:  # room to balance: no process does much more than its share
        assert max(weights) <= sum(weights) / count + sitegen.parallel.BLOCK
