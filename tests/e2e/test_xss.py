"""Stored XSS, proven in a browser: every payload of xss_payloads.txt goes in through the public form and the
app API, through verification to a published (or draft) news item, and is opened in Chromium on every page
that shows it, to staff and to the public. None may run.

Each payload calls `__xss_hit(N)` (N replaces XID in the corpus) or alert/confirm/prompt when it runs. The
browser context installs `__xss_hit` and replaces those three before any page script, in every frame, and
reports each call to the test. A visit fails on any report, any dialog, any popup, any navigation of the
main frame away from the address visited, and any live markup a payload left in the DOM (an event handler
attribute, a javascript:/data: address, a srcdoc, a refresh, a script) even if viewing alone did not set it
off. The control at the end renders the raw corpus in pages of our own: there most payloads do fire, so a
quiet run means the site neutralised them, not that the harness is blind.
"""

import re
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from django import forms
from django.core.validators import URLValidator
from django.test import Client
from django.urls import reverse

from wagtail.models import Site

from cms.models import KimSubmission, NewsIndexPage, NewsPage, VerdictChoice
from cms.services.submissions import api_key_issue
from cms.services.verification import (
    EvidenceItem,
    submission_to_draft_news,
    submission_transition,
    verdict_record,
)
from tests.factories import KimGroupFactory, NewsCategoryFactory, VillageFactory
from tests.submission_support import API_URL, FORM_URL, aged_token, image_bytes, upload

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).with_name("xss_payloads.txt")
FIRST_ID = 1000  # payload N calls __xss_hit(1000 + N): no number the site prints by itself looks like one
SUBMISSIONS = 32  # half through the form, half through the API; a handful of payloads in each
TITLE_ROOM, NAME_ROOM = 200, 120  # the fields' max_length
PASSWORD = "rahasia-uji-123"  # tests/conftest.py's users
S = KimSubmission.Status

# Runs in every frame before any of the page's scripts.
TRAP = """
(() => {
  const report = (kind, detail) => {
    try { window.__xss_report(kind, String(detail), String(location.href)); } catch (error) {}
  };
  Object.defineProperty(window, "__xss_hit", { value: (id) => report("marker", id) });
  window.alert = (message) => report("alert", message);
  window.confirm = (message) => { report("confirm", message); return false; };
  window.prompt = (message) => { report("prompt", message); return null; };
})();
"""

# Live markup a payload may have left in the DOM, whether or not it ran. "xss" taints: it is in every
# payload's code (or in the decoded form the DOM holds) and nowhere in the site's own markup.
SCAN = r"""
() => {
  const tainted = (value) => /xss/i.test(value || "");
  const compact = (value) => (value || "").replace(/[\u0000-\u0020\u00a0\u00ad\u200b-\u200f\ufeff]/g, "").toLowerCase();
  const risky = (value) => /^(javascript|vbscript|data):/.test(compact(value));
  const urls = new Set(["href", "xlink:href", "src", "action", "formaction", "data", "poster", "background",
                        "codebase", "srcset", "ping", "lowsrc", "dynsrc"]);
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    if (tag.includes("xss")) found.push(`<${tag}> element`);
    for (const { name, value } of Array.from(element.attributes)) {
      const attribute = name.toLowerCase();
      if (!tainted(value)) continue;
      if (attribute.startsWith("on") || attribute === "srcdoc"
          || (urls.has(attribute) && risky(value))
          || (attribute === "style" && /url\(|expression|\\/i.test(value))
          || (tag === "meta" && element.hasAttribute("http-equiv"))
          || tag === "base") {
        found.push(`<${tag} ${attribute}="${value.slice(0, 120)}">`);
      }
    }
    const type = (element.getAttribute("type") || "").toLowerCase();
    if (tag === "script" && !type.includes("json") && !type.includes("template") && tainted(element.textContent)) {
      found.push(`<script>${element.textContent.slice(0, 120)}</script>`);
    }
  }
  return found;
}
"""


def corpus() -> list[str]:
    # Split on \n only: some payloads hold U+2028 and other characters that str.splitlines() breaks on.
    lines = [line for line in CORPUS.read_text(encoding="utf-8").split("\n") if line.strip()]
    return [line.replace("XID", str(FIRST_ID + n)) for n, line in enumerate(lines)]


def pack(payloads: list[str], bins: int, room: int, prefix: str) -> list[list[str]]:
    """First fit, longest first: as many payloads as fit in `bins` fields of `room` characters."""
    packed: list[list[str]] = [[] for _ in range(bins)]
    used = [len(prefix.format(n=n)) for n in range(bins)]
    for payload in sorted(payloads, key=len, reverse=True):
        for n in range(bins):
            if used[n] + 1 + len(payload) <= room:
                packed[n].append(payload)
                used[n] += 1 + len(payload)
                break
    return packed


def a_valid_link(value: str) -> bool:
    field = forms.URLField(max_length=500, assume_scheme="https", validators=[URLValidator(schemes=["http", "https"])])
    try:
        field.clean(value)
    except forms.ValidationError:
        return False
    return True


def plan(payloads: list[str]) -> list[dict]:
    """What each submission carries: every payload in a story; as many as fit in titles, then in names;
    in the link field each payload the form accepts as a web address (else one percent-encoded in a query);
    as the photo's file name, a payload that can be one."""
    titles = pack(payloads, SUBMISSIONS, TITLE_ROOM, "Berita {n} ")
    in_titles = {p for batch in titles for p in batch}
    names = pack([p for p in payloads if p not in in_titles], SUBMISSIONS, NAME_ROOM, "Warga {n} ")
    links = [p for p in payloads if a_valid_link(p)]
    plans = []
    for n in range(SUBMISSIONS):
        stories = payloads[n::SUBMISSIONS]
        file_names = [p for p in stories if not set(p) & set('/\\"') and len(p) < 70]
        link = links[n] if n < len(links) else f"https://contoh.id/kabar?isi={quote(stories[0], safe='')}"
        plans.append(
            {
                "title": " ".join([f"Berita {n}", *titles[n]]),
                "contributor_name": " ".join([f"Warga {n}", *names[n]]),
                # The first paragraph (it becomes the lead) holds several payloads, then one per paragraph.
                "story": "\n\n".join([f"Cerita {n}: " + " ".join(stories[:3]), *stories]),
                "link": link,
                "file_name": f"{file_names[0] if file_names else 'foto'}.jpg",
                "payloads": set(stories) | set(titles[n]) | set(names[n]),
            }
        )
    return plans


def send(n: int, item: dict, ctx: dict) -> str:
    """Submission n through the form (even n) or the API (odd n; every fourth as JSON, without a photo)."""
    client = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")  # an address per contributor: the per-address limit
    group = ctx["groups"][n % len(ctx["groups"])]
    text = {key: item[key] for key in ("title", "contributor_name", "story", "link")}
    photo = upload(image_bytes("JPEG", size=(480, 320), color=(n * 7 % 256, 90, 140)), item["file_name"])
    common = {**text, "contributor_phone": "0812-3456-7890", "event_date": "2026-08-17"}
    if n % 2 == 0:
        data = {
            **common,
            "group": group["group"].pk,
            "category": ctx["category"].pk,
            "village": group["group"].village.pk,
            "website": "",
            "started": aged_token(),
            "photos": [photo],
        }
        response = client.post(FORM_URL, data)
        assert response.status_code == 302, (n, response.content.decode()[:3000])
        return response["Location"].rstrip("/").rsplit("/", 1)[-1]
    data = {**common, "category": ctx["category"].slug, "village": group["group"].village.code}
    auth = {"HTTP_AUTHORIZATION": f"Bearer {group['key']}"}
    if n % 4 == 3:
        response = client.post(API_URL, data, content_type="application/json", **auth)
    else:
        response = client.post(API_URL, {**data, "photos": [photo]}, **auth)
    assert response.status_code == 201, (n, response.content.decode()[:3000])
    return response.json()["receipt"]


def verify(submission: KimSubmission, n: int, moderator) -> NewsPage | None:
    """Through verification as staff would: most become published news, some clarifications (their title
    goes into ClaimReview data), some stay drafts, some stay in verification."""
    outcome = n % 8
    for to in (S.TRIAGE, S.IN_VERIFICATION):
        submission_transition(submission=submission, to=to, actor=moderator)
    if outcome == 7:
        return None
    verdict = VerdictChoice.FALSE if outcome == 5 else VerdictChoice.TRUE
    verdict_record(
        submission=submission,
        verifier=moderator,
        verdict=verdict,
        category="fabricated" if verdict == VerdictChoice.FALSE else "",
        evidence=[EvidenceItem(text="Dikonfirmasi kepala desa melalui telepon.")],
    )
    page = submission_to_draft_news(submission=submission, actor=moderator)
    if outcome != 6:
        page.get_latest_revision().publish(user=moderator)
    return NewsPage.objects.get(pk=page.pk)


class Browser:
    """One Chromium page, trapped: every report, dialog, popup, stray navigation and live markup is kept."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.reports: list[tuple] = []
        self.navigations: list[str] = []
        self.problems: list[str] = []
        self.visits = 0
        page.context.expose_function("__xss_report", lambda kind, detail, url: self.reports.append((kind, detail, url)))
        page.context.add_init_script(TRAP)
        page.on("dialog", self._dialog)
        page.on("popup", lambda popup: self.problems.append(f"popup {popup.url}"))
        page.on("framenavigated", lambda frame: frame == page.main_frame and self.navigations.append(frame.url))

    def _dialog(self, dialog):
        self.problems.append(f"{dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    def visit(self, path: str, *, status: int = 200):
        self.navigations.clear()
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == status, (path, response and response.status)
        return self.check(path)

    def check(self, path: str):
        """Nothing ran, opened, navigated away or lies in wait on the page now shown at `path`."""
        self.page.wait_for_timeout(50)  # autofocus, ontoggle, media errors and the like fire just after load
        self.visits += 1
        url = self.base + path
        here = [f"{path}: {what}" for what in self._scan()]
        here += [f"{path}: navigated to {nav}" for nav in self.navigations if nav.split("#")[0] != url]
        assert not here and not self.reports and not self.problems, (here, self.reports, self.problems)
        return self.page

    def _scan(self) -> list[str]:
        return [found for frame in self.page.frames for found in frame.evaluate(SCAN)]


def spaced(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def intake_setup(db):
    category = NewsCategoryFactory(name="Lingkungan", slug="lingkungan")
    groups = []
    for n in range(4):  # 8 submissions each: well under the group limit (20 an hour)
        group = KimGroupFactory(name=f"KIM Waspada {n}", village=VillageFactory(name=f"Sukamaju {n}"))
        groups.append({"group": group, "key": api_key_issue(group=group)[1]})
    return {"category": category, "groups": groups}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_payload_runs_on_any_page_that_shows_a_submission(
    live_server, browser_page, artifacts, settings, tmp_path, moderator, intake_setup
):
    started = time.monotonic()
    settings.SIAR_QUARANTINE_ROOT = tmp_path / "quarantine"
    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    payloads = corpus()
    assert len(payloads) >= 120
    plans = plan(payloads)
    assert set().union(*(item["payloads"] for item in plans)) == set(payloads)  # every payload goes in
    in_titles = [p for p in payloads if any(p in item["title"] for item in plans)]
    assert len(in_titles) >= len(payloads) // 2  # titles are shown on the most pages

    # Intake: the public form and the API, each with its own address.
    receipts = [send(n, item, intake_setup) for n, item in enumerate(plans)]
    submissions = {s.receipt: s for s in KimSubmission.objects.select_related("group")}
    assert set(submissions) == set(receipts)
    pages = {}
    for n, receipt in enumerate(receipts):
        page = verify(submissions[receipt], n, moderator)
        if page is not None:
            pages[receipt] = page
    published = [page for page in pages.values() if page.live]
    assert len(published) >= SUBMISSIONS * 5 // 8 and len(pages) > len(published)
    ingested = time.monotonic() - started

    browser = Browser(browser_page, live_server.url)
    page = browser.page

    # The public side: the status page of every receipt, every published item, the lists that show them.
    for receipt in receipts:
        browser.visit(reverse("submission_status", args=[receipt]))
        assert receipt in page.inner_text(".facts")
    for news in published:
        browser.visit(news.url)
        assert spaced(page.inner_text("h1")) == spaced(news.title)  # the payload is there, as inert text
    index = NewsIndexPage.objects.get()
    for number in range(1, -(-len(published) // 12) + 1):  # NEWS_PER_PAGE = 12
        browser.visit(f"{index.url}?page={number}")
    browser.visit("/")
    page.screenshot(path=artifacts / "xss-01-news-index.png", full_page=False)

    # A person whose form comes back (sent too fast, then invalid) sees what they typed again, inert.
    browser.visit(FORM_URL)
    opened = time.monotonic()
    typed = {"#id_title": plans[0]["title"], "#id_contributor_name": plans[1]["contributor_name"]}
    typed |= {"#id_story": "\n".join(payloads), "#id_link": "javascript:__xss_hit(999)"}
    for attempt in ("too fast", "invalid"):
        if attempt == "invalid":
            page.wait_for_timeout(max(0, int((3.5 - (time.monotonic() - opened)) * 1000)))
        for selector, value in typed.items():
            page.fill(selector, value)
        browser.navigations.clear()
        with page.expect_navigation() as navigation:
            page.locator("form.form button[type=submit]").click()
        assert navigation.value.status == 400, attempt
        browser.check(FORM_URL)
        assert page.input_value("#id_title") == plans[0]["title"], attempt
        assert spaced(page.input_value("#id_story")) == spaced("\n".join(payloads)), attempt
    assert KimSubmission.objects.count() == SUBMISSIONS

    # The staff side, logged in as the moderator who verified them.
    browser.visit("/admin/login/")
    page.fill("#id_username", moderator.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    assert urlsplit(page.url).path == "/admin/", page.url
    browser.visit(reverse("wagtailadmin_home"))
    browser.visit(reverse("wagtailsnippets_cms_kimsubmission:list"))
    assert page.locator(f"text={receipts[-1]}").count() >= 1
    page.screenshot(path=artifacts / "xss-02-submissions.png", full_page=False)
    for submission in submissions.values():
        browser.visit(reverse("wagtailsnippets_cms_kimsubmission:inspect", args=[submission.pk]))
        assert spaced(submission.contributor_name) in spaced(page.inner_text("main"))
        browser.visit(reverse("cms_submission_verification", args=[submission.pk]))
    for news in pages.values():
        browser.visit(reverse("wagtailadmin_pages:edit", args=[news.pk]))
        assert page.input_value("#id_title") == news.title
    page.screenshot(path=artifacts / "xss-03-page-edit.png", full_page=False)
    browser.visit(reverse("wagtailadmin_explore", args=[index.pk]))
    browser.visit("/admin/berita/")
    browser.visit(reverse("wagtailimages:index"))

    elapsed = time.monotonic() - started
    print(
        f"{len(payloads)} payloads ({len(in_titles)} in titles), {browser.visits} pages checked in {elapsed:.0f} s"
        f" ({ingested:.0f} s of intake and verification)"
    )


def test_the_trap_catches_the_corpus_on_a_page_that_does_not_escape(browser_page):
    """The control: each raw payload in a page of our own, in the contexts it is written for (HTML text,
    quoted attributes, JavaScript strings), each page in its own frame. Most must fire or leave live markup
    the scan finds; if the trap were blind, the test above would prove nothing."""
    import html

    payloads = corpus()
    browser = Browser(browser_page, "")
    frames = []
    for payload in payloads:
        document = (
            f"<!doctype html><script>var a='{payload}';</script><script>var b=\"{payload}\";</script>"
            f"<script>var c=`{payload}`;</script><input value=\"{payload}\"><input value='{payload}'>"
            f"<div>{payload}</div>"
        )
        frames.append(f'<iframe srcdoc="{html.escape(document, quote=True)}"></iframe>')
    browser.page.set_content("<!doctype html><body>" + "".join(frames))
    browser.page.wait_for_timeout(1500)
    browser.page.evaluate("0")  # let the last reports arrive
    fired = {int(detail) for _kind, detail, _url in browser.reports if detail.isdigit()}
    latent = set()
    for frame in browser.page.frames[1:]:
        for found in frame.evaluate(SCAN):
            latent |= {int(number) for number in re.findall(r"1\d\d\d", found)}
    caught = (fired | latent) & set(range(FIRST_ID, FIRST_ID + len(payloads)))
    print(f"control: {len(fired)} of {len(payloads)} fired, {len(caught)} fired or left live markup")
    assert len(fired) >= len(payloads) * 2 // 5, len(fired)  # 92 of 178 when written
    assert len(caught) >= len(payloads) * 9 // 10, len(caught)  # 177 of 178
    assert {kind for kind, *_rest in browser.reports} >= {"marker", "alert", "confirm", "prompt"}
