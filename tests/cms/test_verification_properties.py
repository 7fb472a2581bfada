"""Property: whatever editors, verifiers and the scheduler do, nothing unverified or hoax-as-information is public.

A Hypothesis state machine drives random drafts (some titled as clarifications), edits, verdicts of every
kind, publish attempts through revision.publish() and through Wagtail's publish action, due scheduled
go-lives and withdrawals; after every step no live news page may stand on an unverified revision, and neither
the public news index nor any file of the static site (pages, feeds, the app's JSON), built incrementally after
the step, may show such a title.
"""

import contextlib
import html
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Revision

from cms.models import NewsIndexPage, NewsPage, PublishRefused, Verdict, VerdictChoice
from cms.models.verification import revision_publishable
from cms.services.verification import news_withdraw
from sitegen.build import site_build
from tests.factories import NewsPageFactory, verifier_user, verify_revision

TITLES = st.sampled_from(["Pasar murah", "[HOAKS] Bantuan tunai", "[KLARIFIKASI] Jalan ditutup", "Vaksinasi"])


class PublicOutputMachine(RuleBasedStateMachine):
    pages = Bundle("pages")

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.count = 0
        self.moderator = verifier_user()
        self.client = Client()
        self.site_root = Path(tempfile.mkdtemp(prefix="siar-property-site-"))
        self._site_settings = override_settings(SIAR_SITE_ROOT=self.site_root)
        self._site_settings.enable()

    def teardown(self):
        self._site_settings.disable()
        shutil.rmtree(self.site_root, ignore_errors=True)
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @rule(target=pages, title=TITLES)
    def draft(self, title):
        self.count += 1
        return NewsPageFactory(live=False, title=f"{title} no{self.count}x").pk

    @rule(pk=pages, text=st.sampled_from(["Isi diubah.", "Tanggal dikoreksi.", "Lokasi dipindah."]))
    def edit(self, pk, text):
        page = NewsPage.objects.get(pk=pk).get_latest_revision_as_object()
        page.lead = f"{text} ({self.count})"
        self.count += 1
        page.save_revision()

    @rule(pk=pages, verdict=st.sampled_from(VerdictChoice.values))
    def verify(self, pk, verdict):
        revision = NewsPage.objects.get(pk=pk).get_latest_revision()
        if revision is not None and not Verdict.objects.filter(revision=revision).exists():
            verify_revision(revision, verdict=verdict)

    @rule(pk=pages, through_action=st.booleans())
    def publish(self, pk, through_action):
        revision = NewsPage.objects.get(pk=pk).get_latest_revision()
        if revision is None:
            return
        with contextlib.suppress(PublishRefused), transaction.atomic():
            if through_action:
                PublishPageRevisionAction(revision).execute(skip_permission_checks=True)
            else:
                revision.publish()

    @rule(pk=pages)
    def scheduled_go_live(self, pk):
        revision = NewsPage.objects.get(pk=pk).get_latest_revision()
        if revision is None:
            return
        Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=timezone.now())
        call_command("publish_scheduled")

    @rule(pk=pages)
    def withdraw(self, pk):
        page = NewsPage.objects.get(pk=pk)
        if page.live:
            news_withdraw(page=page, actor=self.moderator, explanation="Ditarik untuk koreksi.")

    @invariant()
    def nothing_unverified_is_live(self):
        for page in NewsPage.objects.live().select_related("live_revision"):
            assert page.live_revision is not None, page
            assert revision_publishable(page.live_revision, title=page.title), page

    @invariant()
    def the_public_index_shows_only_verified_titles(self):
        if not self.count:
            return
        body = html.unescape(self.client.get(NewsIndexPage.objects.get().url).content.decode())
        for page in NewsPage.objects.all():
            if page.title in body:
                assert page.live and revision_publishable(page.live_revision, title=page.title), page.title

    @invariant()
    def the_static_site_holds_only_verified_titles(self):
        if not self.count:
            return
        site_build(trigger="incremental")
        live = (self.site_root / "current").resolve()
        built = html.unescape("\n".join(p.read_text(errors="replace") for p in live.rglob("*") if p.is_file()))
        for page in NewsPage.objects.all():
            if page.title in built or page.draft_title in built:
                assert page.live and revision_publishable(page.live_revision, title=page.title), page.title


@pytest.mark.django_db
def test_no_public_output_holds_anything_unverified(news_index):
    run_state_machine_as_test(
        PublicOutputMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
