"""Every file of the public site, with the fingerprint of what it is made from, and the build that writes them.

``site_outputs`` lists the outputs (path, fingerprint, how to render) without rendering anything; ``build_all``
renders the ones whose fingerprint differs from the live release's manifest and reuses (hard-links) the rest.
A full build is the same walk with an empty manifest, so incremental and full builds cannot drift apart.
"""

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.db.models import TextField
from django.db.models.functions import Cast

from wagtail.models import Site

from cms.models import DirectoryCategory, DirectoryIndexPage, DirectoryListingPage, NewsIndexPage, NewsPage
from cms.models.directory import LISTINGS_PER_PAGE
from cms.models.home import HOME_LATEST_COUNT
from cms.models.news import NEWS_PER_PAGE
from cms.selectors import list_page_url, stable_page_url, stable_slices
from sitegen.parallel import processes_for, render_in_processes
from sitegen.render import PageRenderer
from sitegen.versions import Versions, digest, versions_read

MANIFEST = "_build/manifest.json"


@dataclass(frozen=True)
class Output:
    path: str  # inside the release, e.g. "berita/slug/index.html"
    fingerprint: str
    render: Callable[[], bytes]
    page_id: int | None = None  # the page an item output renders, so the pages to render are loaded in bulk
    shows_cards: bool = False  # a list of cards: rendered in the process that holds the cards (sitegen.parallel)


class PageLoader:
    """Full page objects for rendering, loaded in bulk only for the pages a build will actually render.

    Planning needs ids and versions only (a publish at 10,000 items must not load 10,000 pages); once the build
    knows which outputs are stale, ``want`` names their pages, and each chunk of those is loaded with its
    prefetches when the first of them is rendered. One chunk is held at a time, so memory stays flat.
    """

    def __init__(self, queryset, load=None):
        self.queryset = queryset
        self.load = load or (lambda qs: qs)
        self.order: list[int] = []
        self.position: dict[int, int] = {}
        self.cache: dict[int, object] = {}

    def want(self, ids) -> None:
        self.order = [pk for pk in ids if pk is not None]
        self.position = {pk: index for index, pk in enumerate(self.order)}
        self.cache = {}

    def get(self, pk: int):
        if pk not in self.cache:
            start = self.position.get(pk)
            chunk = [pk] if start is None else self.order[start : start + CHUNK]
            self.cache = {page.pk: page for page in self.load(self.queryset.filter(pk__in=chunk))}
        return self.cache[pk]


def html_path(url_path: str) -> str:
    """/berita/slug/ → berita/slug/index.html (a directory index, so nginx serves it at the clean address)."""
    inner = url_path.strip("/")
    return f"{inner}/index.html" if inner else "index.html"


def site_path(site: Site, page) -> str:
    """The page's address on its site, as Wagtail routes it (the home page is /)."""
    return "/" + page.url_path[len(site.root_page.url_path) :]


class SitePlan:
    """The outputs of one site, given one reading of the content's versions."""

    def __init__(self, site: Site, versions: Versions):
        self.site, self.versions = site, versions
        self.renderer = PageRenderer(site)
        self.home = site.root_page.specific
        self.news_index = NewsIndexPage.objects.live().child_of(self.home).first()
        self.directory = DirectoryIndexPage.objects.live().child_of(self.home).first()
        self.sections = None  # the section pages, planned once and shared with the sitemap (sitegen.sections)
        self.news_loader = PageLoader(NewsPage.objects.live(), load=_news_pages)
        self.listing_loader = PageLoader(
            DirectoryListingPage.objects.live()
            .select_related("district", "village__district", "agency")
            .prefetch_related("photos__image__renditions")
        )

    @cached_property
    def live_news(self) -> list[tuple]:
        """(pk, url_path, live revision, district, village, last publication, first publication) of every live news
        item of the news index, newest first: read once per plan, for the feeds, the sitemap and the app's JSON.

        The publications are the text the database stores them as. Planning only digests them into fingerprints
        (equal text, equal time), what renders an item loads its page, and converting 10,000 timestamps would be
        most of what reading these rows costs.
        """
        if self.news_index is None:
            return []
        return list(
            NewsPage.objects.live()
            .descendant_of(self.news_index)
            .annotate(last=Cast("last_published_at", TextField()), first=Cast("first_published_at", TextField()))
            .order_by("-first_published_at", "-pk")
            .values_list("pk", "url_path", "live_revision_id", "district_id", "village_id", "last", "first")
        )

    def want(self, page_ids) -> None:
        """The pages whose outputs will be rendered (see PageLoader)."""
        page_ids = list(page_ids)  # each loader reads them all
        self.news_loader.want(page_ids)
        self.listing_loader.want(page_ids)

    def _page_output(self, page, fingerprint: str, **route_kwargs) -> Output:
        path = route_kwargs.pop("path", None) or site_path(self.site, page)

        def render():
            with self.renderer.active():
                return self.renderer.page(page, path=path, **route_kwargs)

        return Output(html_path(path), digest(self.versions.chrome, fingerprint), render, shows_cards=True)

    def outputs(self) -> Iterator[Output]:
        yield from self._home()
        if self.news_index is not None:
            yield from self._news()
        if self.directory is not None:
            yield from self._directory()
        yield from self._withdrawn()
        yield from self._static()
        yield self._not_found()
        from sitegen.sections import section_outputs  # imported here, as feeds: sections build on this module too

        yield from section_outputs(self)  # categories, tags, cek fakta, regions, agencies, KIM groups
        from sitegen.feeds import feed_outputs  # imported here: feeds build on this module's helpers

        yield from feed_outputs(self)  # feeds, sitemap.xml, robots.txt
        from sitegen.api import api_outputs  # imported here, as feeds: the API builds on this module's helpers

        yield from api_outputs(self)  # the app's JSON under api/v1/

    # Pages ------------------------------------------------------------------------------------------------

    def _home(self) -> Iterator[Output]:
        home = self.home
        latest = list(
            NewsPage.objects.live()
            .descendant_of(home)
            .order_by("-first_published_at", "-pk")
            .values_list("pk", flat=True)[:HOME_LATEST_COUNT]
        )
        highlights = [block.value.pk for block in home.highlights if block.value]
        yield self._page_output(
            home,
            digest(home.live_revision_id, self.versions.of_pages(latest), self.versions.of_pages(highlights), latest),
        )

    def _news(self) -> Iterator[Output]:
        """The news list's head and numbered pages (cms.selectors.StableSlice: numbered from the oldest, so a
        publication changes the head and the last page only), then every news item."""
        index = self.news_index
        ordered = list(
            NewsPage.objects.live()
            .descendant_of(index)
            .order_by("-first_published_at", "-pk")
            .values_list("pk", flat=True)
        )
        base = site_path(self.site, index)
        for part in stable_slices(len(ordered), NEWS_PER_PAGE):
            ids = ordered[part.newest_first]
            fingerprint = digest(index.live_revision_id, ids, self.versions.of_pages(ids), part.placement)
            path = stable_page_url(base, part.number)
            yield self._page_output(index, fingerprint, number=part.number, path=path)
        items = NewsPage.objects.live().descendant_of(index).order_by("pk").values_list("pk", "url_path")
        yield from self._item_outputs(items, self.news_loader)

    def _directory(self) -> Iterator[Output]:
        index = self.directory
        listings = list(
            DirectoryListingPage.objects.live().child_of(index).order_by("title", "pk").values_list("pk", "category")
        )
        base = site_path(self.site, index)
        for category in [None, *DirectoryCategory.values]:
            ids = [pk for pk, value in listings if category is None or value == category]
            list_base = base + index.reverse_subpage("category", args=[category]) if category else base
            pages = max(1, math.ceil(len(ids) / LISTINGS_PER_PAGE))
            for number in range(1, pages + 1):
                chunk = ids[(number - 1) * LISTINGS_PER_PAGE : number * LISTINGS_PER_PAGE]
                fingerprint = digest(
                    index.live_revision_id, category, chunk, self.versions.of_pages(chunk), number, pages
                )
                path = list_page_url(list_base, number)
                yield self._page_output(index, fingerprint, category=category, number=number, path=path)
        items = DirectoryListingPage.objects.live().child_of(index).order_by("pk").values_list("pk", "url_path")
        yield from self._item_outputs(items, self.listing_loader)

    def _item_outputs(self, rows, loader: PageLoader) -> Iterator[Output]:
        root = self.site.root_page.url_path
        for pk, url_path in rows:
            path = "/" + url_path[len(root) :]

            def render(pk=pk, path=path):
                with self.renderer.active():
                    return self.renderer.page(loader.get(pk), path=path)

            yield Output(html_path(path), digest(self.versions.chrome, self.versions.pages.get(pk, "")), render, pk)

    def _withdrawn(self) -> Iterator[Output]:
        """A withdrawn item's address keeps explaining the withdrawal, as cms.views.public does on the live site."""
        from cms.selectors import news_withdrawal_at

        for page in NewsPage.objects.filter(live=False).descendant_of(self.home).only("pk", "url_path", "title"):
            withdrawal = news_withdrawal_at(url_path=page.url_path)
            if withdrawal is None:
                continue
            withdrawn, event = withdrawal
            path = site_path(self.site, withdrawn)

            def render(withdrawn=withdrawn, event=event, path=path):
                with self.renderer.active():
                    return self.renderer.template(
                        "cms/news_withdrawn.html", {"withdrawn": withdrawn, "event": event}, path=path
                    )

            yield Output(html_path(path), digest(self.versions.chrome, withdrawn.title, event.pk, event.note), render)

    def _not_found(self) -> Output:
        def render():
            with self.renderer.active():
                return self.renderer.template("404.html", {}, path="/404.html")

        return Output("404.html", digest(self.versions.chrome, "404"), render)

    def _static(self) -> Iterator[Output]:
        """The theme's static files, so the tree is a complete site behind any web server or CDN."""
        prefix = settings.STATIC_URL.strip("/")
        for root in settings.STATICFILES_DIRS:
            for path in sorted(Path(root).rglob("*")):
                if path.is_file():
                    relative = path.relative_to(root).as_posix()
                    data = path.read_bytes()
                    yield Output(f"{prefix}/{relative}", digest(relative, data.hex()), lambda d=data: d)


CHUNK = 200


def _chunked(queryset):
    """Pages in chunks, each with its prefetches, so memory stays flat however large the site is."""
    ids = list(queryset.values_list("pk", flat=True).order_by("pk"))
    for start in range(0, len(ids), CHUNK):
        yield from queryset.filter(pk__in=ids[start : start + CHUNK]).order_by("pk")


def _news_pages(queryset):
    """News pages with everything their template shows loaded in bulk, verdicts and corrections included."""
    from cms.models import Verdict
    from cms.models.verification import VerificationEvent

    queryset = queryset.select_related(
        "hero_image", "district", "village__district", "related_agency", "source_agency", "source_kim_group", "locale"
    ).prefetch_related("categories", "tags", "hero_image__renditions")
    batch = []
    for page in _chunked(queryset):
        batch.append(page)
        if len(batch) == CHUNK:
            yield from _with_verification(batch, Verdict, VerificationEvent)
            batch = []
    yield from _with_verification(batch, Verdict, VerificationEvent)


def _with_verification(pages, verdict_model, event_model):
    revisions = [page.live_revision_id for page in pages if page.live_revision_id]
    verdicts = {v.revision_id: v for v in verdict_model.objects.filter(revision_id__in=revisions)}
    corrections = {}
    events = event_model.objects.filter(page_id__in=[p.pk for p in pages], to_state="corrected")
    for event in events.order_by("at", "pk"):
        corrections.setdefault(event.page_id, []).append(event)
    for page in pages:
        page.public_verification = {
            "verdict": verdicts.get(page.live_revision_id),
            "corrections": corrections.get(page.pk, []),
        }
        yield page


def manifest_read(build, name: str | None) -> dict[str, str]:
    """The fingerprints recorded by release ``name`` (empty for none, or in a full build: it renders everything)."""
    if name is None or build.trigger == "full":
        return {}
    root = build.store.staging_path(build.name) if name == build.recycled_name else build.store.release_path(name)
    try:
        return json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def _default_site():
    return Site.objects.select_related("root_page").filter(is_default_site=True).first() or Site.objects.first()


def site_manifest_planned() -> dict[str, str]:
    """The manifest a build would write now: every output's path and fingerprint, nothing rendered."""
    site = _default_site()
    if site is None:
        return {}
    return {output.path: output.fingerprint for output in SitePlan(site, versions_read()).outputs()}


def build_all(build) -> None:
    """Write every output into the release being built: render what changed, reuse (hard-link) the rest.

    A ``full`` build ignores the manifests and renders everything; any other trigger is incremental: a file the
    recycled release already holds is kept, one the live release holds is linked. Both walk the same outputs, so
    an incremental build equals a full one byte for byte. Many outputs to render are rendered in several
    processes (sitegen.parallel), with the same bytes.
    """
    versions = versions_read()
    previous = manifest_read(build, build.previous_name)  # the live release: unchanged files are linked from it
    recycled = manifest_read(build, build.recycled_name)  # what the staging directory already holds
    manifest = {}
    site = _default_site()
    if site is not None:
        plan = SitePlan(site, versions)
        outputs = list(plan.outputs())
        build.expect(len(outputs) + 1)
        stale = []
        for output in outputs:
            path, fingerprint = output.path, output.fingerprint
            if recycled.get(path) == fingerprint and build.keep(path):
                pass
            elif not (previous.get(path) == fingerprint and build.reuse(path)):
                stale.append(output)
            manifest[output.path] = output.fingerprint
        plan.want(output.page_id for output in stale if output.page_id)
        _render_all(stale, build)
    build.write(MANIFEST, json.dumps(manifest, sort_keys=True, separators=(",", ":")))
    build.record_sources({"revisions": versions.revisions, "outputs": len(manifest)})


def _render_all(stale: list[Output], build) -> None:
    processes = processes_for(len(stale))
    if processes == 1:
        for output in stale:
            build.write(output.path, output.render())
        return
    render_in_processes(
        [output.render for output in stale],
        lambda index, data: build.write(stale[index].path, data),
        processes,
        card_pages=[output.shows_cards for output in stale],
    )
