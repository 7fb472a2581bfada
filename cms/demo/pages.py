"""Creating demo pages as published pages, dated in the past, through Wagtail's own tree and revision API.

Pages go through add_child and save_revision, so the tree, url_path, revisions and log entries are what
an editor's publish produces, and the page_published signal fires as usual. Dates are set to the
item's publication moment so the news spreads over the past year.
"""

import contextlib
import datetime
import logging
from collections.abc import Iterator

from modelsearch.signal_handlers import post_save_signal_handler

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.utils.text import slugify

from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from cms.models import Evidence, NewsPage, Verdict, VerdictChoice

SLUG_MAX = 80
DEMO_VERIFIER = "verifikator-demo"


def unique_slug(title: str, taken: set[str]) -> str:
    """A readable slug from the title, made unique among the siblings seen so far."""
    base = slugify(title)[:SLUG_MAX].rstrip("-")
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def existing_child_slugs(parent: Page) -> set[str]:
    return set(parent.get_children().values_list("slug", flat=True))


def demo_verdict(*, revision: Revision, decided_at: datetime.datetime) -> None:
    """Demo news passes the same gate as real news: a Benar verdict with one note, by the demo verifier."""
    verdict = Verdict.objects.create(
        revision=revision,
        verdict=VerdictChoice.TRUE,
        verifier=demo_verifier(),
        decided_at=decided_at,
        summary="Konten demo",
    )
    Evidence.objects.create(verdict=verdict, kind=Evidence.Kind.NOTE, text="Konten demo", added_at=decided_at)


def demo_verifier():
    """The (inactive, password-less) account demo verdicts are recorded under."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_VERIFIER, defaults={"is_active": False, "first_name": "Verifikator", "last_name": "Demo"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def publish_new_page(*, parent: Page, page: Page, published_at: datetime.datetime) -> Page:
    """Add page under parent as a published page with one revision, as if published at published_at.

    This is what revision.publish() leaves behind (live, live_revision = latest revision, dates, a
    create and a publish log entry, the page_published signal) in one page save instead of three:
    publish() saves and fully validates the page again, which doubled the load time.
    """
    gated = isinstance(page, NewsPage)  # news may only be live on a verified revision: added as a draft first
    page.live, page.has_unpublished_changes = not gated, False
    page.first_published_at = page.last_published_at = published_at
    parent.add_child(instance=page)  # Page.save runs full_clean here (for news: title and slug only, below the rest)
    if gated:
        page.live = True
        page.full_clean()
    revision = page.save_revision(changed=False, clean=False)
    Revision.objects.filter(pk=revision.pk).update(created_at=published_at)
    if gated:
        demo_verdict(revision=revision, decided_at=published_at)
    page.live_revision, page.latest_revision_created_at = revision, published_at
    Page.objects.filter(pk=page.pk).update(live=True, live_revision=revision, latest_revision_created_at=published_at)
    log(instance=page, action="wagtail.publish", revision=revision, content_changed=True)
    PageLogEntry.objects.filter(page_id=page.pk).update(timestamp=published_at)  # the create entry too
    page_published.send(sender=page.specific_class, instance=page, revision=revision)
    return page


@contextlib.contextmanager
def deferred_indexing(*models: type[Page]) -> Iterator[None]:
    """Skip per-save search and reference indexing for these models; index them once at the end.

    Each page save otherwise re-indexes the page at once, twice per page (add_child, save_revision);
    one bulk pass after the load gives the same index in less time. Only handlers that were connected
    are reconnected, so a model with search_auto_update = False stays that way.
    """
    disconnected = [model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)


def reindex_pages(pages: list[Page]) -> None:
    """Search index (one bulk call per model) and reference index (images, agencies used) for new pages."""
    backend = get_search_backend()
    by_model: dict[type[Page], list[Page]] = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, items in by_model.items():
        backend.add_bulk(model, items)
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)


@contextlib.contextmanager
def quiet_wagtail_logger() -> Iterator[None]:
    """Wagtail logs every edit and publish at INFO; 840 such lines would drown the progress report."""
    logger = logging.getLogger("wagtail")
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)
