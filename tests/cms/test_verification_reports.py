"""The verification queue (filters, order, row links), the dashboard panel, and the verification reports with
their CSV/XLSX downloads: exact figures from a known history with explicit timestamps."""

import csv
import datetime
import io
import re
import zoneinfo
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import openpyxl
import pytest

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import ModelLogEntry, Site

from cms.models import KimSubmission, SiteProfile, Verdict, VerdictChoice
from cms.models.submissions import receipt_generate
from cms.models.verification import VerificationEvent
from cms.services import reports
from tests.factories import (
    DistrictFactory,
    KimGroupFactory,
    NewsCategoryFactory,
    NewsPageFactory,
    VillageFactory,
    verifier_user,
)

S = KimSubmission.Status
WITA = zoneinfo.ZoneInfo("Asia/Makassar")
ADMIN = {"HTTP_HOST": "localhost"}
REPORTS = "cms_verification_reports:index"
QUEUE = "wagtailsnippets_cms_kimsubmission:list"
MARCH = {"period": "custom", "first": "2026-03-01", "last": "2026-03-31"}
HOUR = datetime.timedelta(hours=1)
pytestmark = pytest.mark.django_db


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=WITA)


def hours(*values) -> list[datetime.timedelta]:
    return [value * HOUR for value in values]


def submit(group, village, *, created_at, status=S.RECEIVED, title="Kabar dari desa", **extra) -> KimSubmission:
    return KimSubmission.objects.create(
        receipt=receipt_generate(),
        group=group,
        contributor_name="Siti Aminah",
        contributor_phone="0812-3456-7890",
        title=title,
        story="Warga bergotong royong membersihkan saluran air desa.",
        category=NewsCategoryFactory(name="Lingkungan", slug="lingkungan"),
        village=village,
        event_date=created_at.date(),
        status=status,
        created_at=created_at,
        fingerprint=receipt_generate(),
        **extra,
    )


def walk(submission, *moves) -> None:
    """The audit trail: (from, to, at) per move, written with explicit times."""
    for from_state, to_state, moment in moves:
        VerificationEvent.objects.create(submission=submission, from_state=from_state, to_state=to_state, at=moment)


def decide(verdict, *, decided_at, category="", **target) -> Verdict:
    return Verdict.objects.create(
        verdict=verdict, category=category, verifier=verifier_user(), decided_at=decided_at, **target
    )


@pytest.fixture
def wita(db):
    profile = SiteProfile.for_site(Site.objects.get(is_default_site=True))
    profile.time_zone = "Asia/Makassar"
    profile.save()
    with timezone.override(WITA):
        yield profile


@pytest.fixture
def history(wita):
    """March 2026 (WITA) of two working KIM groups, and four quiet ones.

    Hours in each state (received / triage / in verification / awaiting / verdict recorded):
      s1 (A, Sukamaju)    2 / 4 / 24 / – / 18   True, published (a "draft" event in between is no state)
      s2 (A, Sukamaju)    1 / 2 / 1+2 / 24+24 / 24   False (hoax, fabricated), published as clarification
      s3 (B, Lubuk Enau)  4 / 1 → rejected
      s4 (B, Lubuk Enau)  8 / 16 / 20 / – / 16   Misleading (false context), not published
      s5 (A, Sukarami)   12 / still in triage (a stay not ended is not counted)
    Outside March: s6 (B, 27 Feb), s7 (A, 2 Apr) and s8 (B, 31 Mar 16:30 UTC = 1 Apr 00:30 WITA, but still
    31 March in WIB or UTC: it proves the period is cut in the site's zone).
    """
    gelumbang, lawang = DistrictFactory(name="Gelumbang"), DistrictFactory(name="Lawang Kidul")
    sukamaju, sukarami = (
        VillageFactory(name="Sukamaju", district=gelumbang),
        VillageFactory(name="Sukarami", district=gelumbang),
    )
    lubuk = VillageFactory(name="Lubuk Enau", district=lawang)
    a = KimGroupFactory(name="KIM Maju Jaya", village=sukamaju)
    b = KimGroupFactory(name="KIM Lubuk Sejahtera", village=lubuk)
    c = KimGroupFactory(name="KIM Talang Baru", village=VillageFactory(name="Talang Taling", district=gelumbang))
    e = KimGroupFactory(name="KIM Karang Endah", village=VillageFactory(name="Karang Endah", district=lawang))
    f = KimGroupFactory(
        name="KIM Bitis", village=VillageFactory(name="Bitis", district=lawang), decree_date=datetime.date(2025, 12, 1)
    )
    g = KimGroupFactory(
        name="KIM Pagar Dewa", village=VillageFactory(name="Pagar Dewa", district=lawang), contact_name="Rudi Hartono"
    )
    KimGroupFactory(name="KIM Lama", village=VillageFactory(name="Muara Lama", district=lawang), is_active=False)
    ModelLogEntry.objects.log_action(c, "wagtail.create")
    ModelLogEntry.objects.filter(object_id=str(c.pk), action="wagtail.create").update(timestamp=at(1, 10, 12))

    s1 = submit(a, sukamaju, created_at=at(3, 2, 8), status=S.PUBLISHED_INFORMATION)
    walk(
        s1,
        (S.RECEIVED, S.TRIAGE, at(3, 2, 10)),
        (S.TRIAGE, S.IN_VERIFICATION, at(3, 2, 14)),
        (S.IN_VERIFICATION, S.VERDICT_RECORDED, at(3, 3, 14)),
        (S.VERDICT_RECORDED, "draft", at(3, 3, 15)),
        (S.VERDICT_RECORDED, S.PUBLISHED_INFORMATION, at(3, 4, 8)),
    )
    true_verdict = decide(VerdictChoice.TRUE, submission=s1, decided_at=at(3, 3, 14))
    s2 = submit(a, sukamaju, created_at=at(3, 5, 8), status=S.PUBLISHED_CLARIFICATION)
    walk(
        s2,
        (S.RECEIVED, S.TRIAGE, at(3, 5, 9)),
        (S.TRIAGE, S.IN_VERIFICATION, at(3, 5, 11)),
        (S.IN_VERIFICATION, S.AWAITING_CONFIRMATION, at(3, 5, 12)),
        (S.AWAITING_CONFIRMATION, S.IN_VERIFICATION, at(3, 6, 12)),
        (S.IN_VERIFICATION, S.AWAITING_CONFIRMATION, at(3, 6, 14)),
        (S.AWAITING_CONFIRMATION, S.VERDICT_RECORDED, at(3, 7, 14)),
        (S.VERDICT_RECORDED, S.PUBLISHED_CLARIFICATION, at(3, 8, 14)),
    )
    decide(VerdictChoice.FALSE, category="fabricated", submission=s2, decided_at=at(3, 7, 14))
    s3 = submit(b, lubuk, created_at=at(3, 10, 8), status=S.REJECTED)
    walk(s3, (S.RECEIVED, S.TRIAGE, at(3, 10, 12)), (S.TRIAGE, S.REJECTED, at(3, 10, 13)))
    s4 = submit(b, lubuk, created_at=at(3, 12, 8), status=S.NOT_PUBLISHED)
    walk(
        s4,
        (S.RECEIVED, S.TRIAGE, at(3, 12, 16)),
        (S.TRIAGE, S.IN_VERIFICATION, at(3, 13, 8)),
        (S.IN_VERIFICATION, S.VERDICT_RECORDED, at(3, 14, 4)),
        (S.VERDICT_RECORDED, S.NOT_PUBLISHED, at(3, 14, 20)),
    )
    decide(VerdictChoice.MISLEADING, category="false_context", submission=s4, decided_at=at(3, 14, 4))
    s5 = submit(a, sukarami, created_at=at(3, 20, 8), status=S.TRIAGE)
    walk(s5, (S.RECEIVED, S.TRIAGE, at(3, 20, 20)))

    s6 = submit(b, lubuk, created_at=at(2, 27, 8), status=S.TRIAGE)
    walk(s6, (S.RECEIVED, S.TRIAGE, at(3, 2, 8)))
    submit(a, sukamaju, created_at=at(4, 2, 8))
    submit(b, lubuk, created_at=datetime.datetime(2026, 3, 31, 16, 30, tzinfo=datetime.UTC))
    submit(e, e.village, created_at=at(2, 1, 8), status=S.REJECTED)

    # News versions: one verified True in March (the factory's verdict, moved into March), one Misleading in
    # Lawang Kidul; the verdict carried from s1 onto a draft is the same decision and must not count twice;
    # a verdict of February is outside the period.
    published = NewsPageFactory(title="Rilis Media Center")
    Verdict.objects.filter(revision__object_id=str(published.pk)).update(decided_at=at(3, 10, 9))
    draft = NewsPageFactory(title="[KLARIFIKASI] Jalan desa", live=False, district=lawang)
    decide(VerdictChoice.MISLEADING, category="false_context", revision=draft.save_revision(), decided_at=at(3, 15, 10))
    carried = true_verdict.carry_to(NewsPageFactory(title="Gotong royong Sukamaju", live=False).save_revision())
    Verdict.objects.filter(pk=carried.pk).update(decided_at=at(3, 4, 7))
    old = NewsPageFactory(title="Rilis lama", live=False)
    decide(VerdictChoice.FALSE, category="satire", revision=old.save_revision(), decided_at=at(2, 20, 9))
    return {
        "gelumbang": gelumbang,
        "lawang": lawang,
        "groups": {"a": a, "b": b, "c": c, "e": e, "f": f, "g": g},
        "submissions": [s1, s2, s3, s4, s5],
    }


def march():
    return reports.period_bounds(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


# The figures -----------------------------------------------------------------------------------------------


def test_turnaround_per_state_is_the_median_and_90th_percentile_of_the_audit_trail(history):
    since, until = march()
    rows = {row.key: row for row in reports.turnaround_per_state(since=since, until=until)}

    assert (rows[S.RECEIVED].count, rows[S.RECEIVED].median, rows[S.RECEIVED].p90) == (5, 4 * HOUR, 12 * HOUR)
    assert (rows[S.TRIAGE].count, rows[S.TRIAGE].median, rows[S.TRIAGE].p90) == (4, 3 * HOUR, 16 * HOUR)
    assert (rows[S.IN_VERIFICATION].median, rows[S.IN_VERIFICATION].p90) == (20 * HOUR, 24 * HOUR)
    assert (rows[S.AWAITING_CONFIRMATION].count, rows[S.AWAITING_CONFIRMATION].median) == (1, 48 * HOUR)
    # 18 h for s1: the "draft" event written while the verdict was recorded is no change of state.
    assert (rows[S.VERDICT_RECORDED].median, rows[S.VERDICT_RECORDED].p90) == (18 * HOUR, 24 * HOUR)
    assert (rows["received_to_verdict"].count, rows["received_to_verdict"].median) == (3, 44 * HOUR)
    assert rows["received_to_verdict"].p90 == 54 * HOUR
    assert (rows["received_to_published"].count, rows["received_to_published"].median) == (2, 63 * HOUR)
    assert rows["received_to_published"].p90 == 78 * HOUR


def test_turnaround_of_one_district_counts_only_its_villages(history):
    since, until = march()
    rows = {row.key: row for row in reports.turnaround_per_state(since=since, until=until, district=history["lawang"])}
    assert (rows[S.RECEIVED].count, rows[S.RECEIVED].median, rows[S.RECEIVED].p90) == (2, 6 * HOUR, 8 * HOUR)
    assert rows[S.AWAITING_CONFIRMATION].count == 0 and rows[S.AWAITING_CONFIRMATION].median is None


def test_percentile_is_nearest_rank():
    assert reports.percentile(hours(1, 2, 4, 8, 12), 0.9) == 12 * HOUR
    assert reports.percentile(list(range(1, 11)), 0.9) == 9
    assert reports.percentile([], 0.9) is None


def test_verdicts_are_counted_per_verdict_and_category_once(history):
    since, until = march()
    rows = [
        (row.verdict, row.category, row.submissions, row.news_versions, row.total)
        for row in reports.verdicts_per_category(since=since, until=until)
    ]
    assert rows == [
        ("true", "", 1, 1, 2),  # s1 and the published news; the copy carried onto s1's draft is not counted
        ("misleading", "false_context", 1, 1, 2),
        ("false", "fabricated", 1, 0, 1),
    ]
    in_lawang = reports.verdicts_per_category(since=since, until=until, district=history["lawang"])
    assert [(row.verdict, row.submissions, row.news_versions) for row in in_lawang] == [("misleading", 1, 1)]


def _figures(contribution: reports.Contribution):
    last = contribution.last_submission_at
    return (
        contribution.submitted,
        contribution.published,
        contribution.rejected,
        contribution.hoax,
        timezone.localtime(last, WITA) if last else None,
    )


def test_contributions_per_group_and_village(history):
    since, until = march()
    groups = [
        (row.group.name, *_figures(row.figures)) for row in reports.contributions_per_group(since=since, until=until)
    ]
    assert groups == [
        ("KIM Maju Jaya", 3, 2, 0, 1, at(3, 20, 8)),  # s7 of April is after the period's end
        ("KIM Lubuk Sejahtera", 2, 0, 1, 0, at(3, 12, 8)),  # s8 is 1 April in WITA
        ("KIM Bitis", 0, 0, 0, 0, None),
        ("KIM Karang Endah", 0, 0, 0, 0, at(2, 1, 8)),
        ("KIM Pagar Dewa", 0, 0, 0, 0, None),
        ("KIM Talang Baru", 0, 0, 0, 0, None),
    ]  # KIM Lama is inactive and sent nothing: not listed
    villages = [
        (row.village.name, row.active_groups, *_figures(row.figures))
        for row in reports.contributions_per_village(since=since, until=until)
    ]
    assert villages == [
        ("Sukamaju", 1, 2, 2, 0, 1, at(3, 5, 8)),
        ("Lubuk Enau", 1, 2, 0, 1, 0, at(3, 12, 8)),
        ("Sukarami", 0, 1, 0, 0, 0, at(3, 20, 8)),  # no group of its own: counted by what s5 is about
        ("Talang Taling", 1, 0, 0, 0, 0, None),
        ("Bitis", 1, 0, 0, 0, 0, None),
        ("Karang Endah", 1, 0, 0, 0, 0, at(2, 1, 8)),
        ("Pagar Dewa", 1, 0, 0, 0, 0, None),
    ]
    in_gelumbang = reports.contributions_per_group(since=since, until=until, district=history["gelumbang"])
    assert [(row.group.name, row.figures.submitted) for row in in_gelumbang] == [
        ("KIM Maju Jaya", 3),
        ("KIM Talang Baru", 0),
    ]


def test_quiet_groups_with_days_since_their_last_submission_or_creation(history):
    now = at(4, 10, 12)
    rows = [
        (row.group.name, row.days_quiet, row.group.contact_name, row.last_submission_at)
        for row in reports.quiet_groups(now=now, days=30)
    ]
    assert rows == [
        ("KIM Pagar Dewa", None, "Rudi Hartono", None),  # never sent, no date to count from: first
        ("KIM Bitis", 130, "Siti Aminah", None),  # never sent: since its decree of 1 December 2025
        ("KIM Talang Baru", 90, "Siti Aminah", None),  # never sent: since it was entered in Siar on 10 January
        ("KIM Karang Endah", 68, "Siti Aminah", at(2, 1, 8)),
    ]  # KIM Maju Jaya (2 April) and KIM Lubuk Sejahtera (1 April) sent something in the last 30 days
    assert [(row.group.name, row.days_quiet) for row in reports.quiet_groups(now=now, days=7)][-2:] == [
        ("KIM Lubuk Sejahtera", 9),
        ("KIM Maju Jaya", 8),
    ]
    assert [row.group.name for row in reports.quiet_groups(now=now, district=history["gelumbang"])] == [
        "KIM Talang Baru"
    ]


def test_periods_are_cut_at_local_midnight():
    today = datetime.date(2026, 1, 15)
    assert reports.period_days(choice="this_month", today=today) == (datetime.date(2026, 1, 1), today)
    assert reports.period_days(choice="last_month", today=today) == (
        datetime.date(2025, 12, 1),
        datetime.date(2025, 12, 31),
    )
    assert reports.period_days(choice="90_days", today=today) == (datetime.date(2025, 10, 18), today)
    with timezone.override(WITA):
        since, until = reports.period_bounds(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert since == datetime.datetime(2026, 2, 28, 16, tzinfo=datetime.UTC)
    assert until == datetime.datetime(2026, 3, 31, 16, tzinfo=datetime.UTC)


# The page and its downloads --------------------------------------------------------------------------------


class ReportTables(HTMLParser):
    """The report page's tables as {name: [[cell text, …], …]} (header row first)."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "data-siar-report" in attrs:
            self.current = self.tables.setdefault(attrs["data-siar-report"], [])
        elif tag == "tr" and self.current is not None:
            self.row = []
        elif tag in ("th", "td") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag == "section":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(response) -> dict:
    parser = ReportTables()
    parser.feed(response.content.decode())
    return parser.tables


def page_number(text: str) -> float:
    """A figure as the Indonesian page writes it: 1.234,5."""
    return float(text.replace(".", "").replace(",", "."))


def label(msgid: str) -> str:
    with translation.override("id"):
        return translation.gettext(msgid)


def test_the_report_page_shows_the_figures_in_the_sites_zone(client, moderator, history):
    response = moderator_client(client, moderator).get(reverse(REPORTS), MARCH, **ADMIN)
    assert response.status_code == 200
    tables = page_tables(response)
    assert set(tables) == {"waktu-proses", "putusan", "kontribusi-kim", "kontribusi-desa", "kim-diam"}
    turnaround = {row[0]: row[1:] for row in tables["waktu-proses"][1:]}
    assert turnaround[label("Received")] == ["5", "4,0", "12,0"]
    assert turnaround[label("Awaiting agency confirmation")] == ["1", "48,0", "48,0"]
    assert turnaround[label("Received → published")] == ["2", "63,0", "78,0"]
    verdicts = [row[1:] for row in tables["putusan"][1:]]
    assert verdicts == [
        ["—", "1", "1", "2"],
        [label("False context"), "1", "1", "2"],
        [label("Fabricated content"), "1", "0", "1"],
    ]
    groups = {row[0]: row[1:] for row in tables["kontribusi-kim"][1:]}
    assert groups["KIM Maju Jaya"] == ["Sukamaju", "Gelumbang", "3", "2", "0", "1", "20 Mar 2026 08:00"]
    assert groups["KIM Lubuk Sejahtera"][-1] == "12 Mar 2026 08:00"
    html = response.content.decode()
    assert f'href="{reverse(QUEUE)}?group={history["groups"]["a"].pk}"' in html


def test_the_page_narrows_to_one_district(client, moderator, history):
    params = {**MARCH, "district": history["gelumbang"].pk}
    tables = page_tables(moderator_client(client, moderator).get(reverse(REPORTS), params, **ADMIN))
    assert [row[0] for row in tables["kontribusi-kim"][1:]] == ["KIM Maju Jaya", "KIM Talang Baru"]
    assert [row[0] for row in tables["kontribusi-desa"][1:]] == ["Sukamaju", "Sukarami", "Talang Taling"]
    assert [row[0] for row in tables["kim-diam"][1:]] == ["KIM Talang Baru", "KIM Maju Jaya"]
    assert [row[1:] for row in tables["putusan"][1:]] == [
        ["—", "1", "0", "1"],
        [label("Fabricated content"), "1", "0", "1"],
    ]


def test_the_report_costs_the_same_queries_however_many_groups_send(client, moderator, history):
    client = moderator_client(client, moderator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(REPORTS), MARCH, **ADMIN).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for number in range(4):
        group = KimGroupFactory(name=f"KIM Tambahan {number}")
        submission = submit(group, group.village, created_at=at(3, 9, 8), status=S.TRIAGE)
        walk(submission, (S.RECEIVED, S.TRIAGE, at(3, 9, 10)))
    assert queries() == before


def test_an_invalid_custom_period_says_what_to_do(client, moderator, history):
    response = moderator_client(client, moderator).get(
        reverse(REPORTS), {"period": "custom", "first": "2026-03-31", "last": "2026-03-01"}, **ADMIN
    )
    assert response.status_code == 200
    assert "data-siar-report=" not in response.content.decode()
    assert response.context["form"].non_field_errors()


def test_csv_downloads_hold_the_figures_of_the_page(client, moderator, history):
    client = moderator_client(client, moderator)
    tables = page_tables(client.get(reverse(REPORTS), MARCH, **ADMIN))
    for name, page_rows in tables.items():
        response = client.get(reverse(REPORTS), {**MARCH, "export": "csv", "table": name}, **ADMIN)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert f"laporan-verifikasi-{name}-20260301-20260331.csv" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == page_rows[0]  # the same headings
        assert len(rows) == len(page_rows)
        for page_row, csv_row in zip(page_rows[1:], rows[1:], strict=True):
            for page_cell, csv_cell in zip(page_row, csv_row, strict=True):
                if re.fullmatch(r"[\d.,]+", page_cell):
                    assert page_number(page_cell) == float(csv_cell), (name, page_row, csv_row)
                elif page_cell == "—":
                    assert csv_cell == ""
                elif not re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", csv_cell):
                    assert page_cell == csv_cell
    groups = client.get(reverse(REPORTS), {**MARCH, "export": "csv", "table": "kontribusi-kim"}, **ADMIN)
    rows = list(csv.reader(io.StringIO(groups.content.decode("utf-8-sig"))))
    assert rows[1] == ["KIM Maju Jaya", "Sukamaju", "Gelumbang", "3", "2", "0", "1", "2026-03-20 08:00"]


def test_text_that_would_run_as_a_formula_stays_text(client, moderator, history):
    KimGroupFactory(name='=HYPERLINK("http://example.com") KIM', contact_name="@Budi")
    client = moderator_client(client, moderator)
    response = client.get(reverse(REPORTS), {**MARCH, "export": "csv", "table": "kim-diam"}, **ADMIN)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(row for row in rows if "HYPERLINK" in row[0])
    assert row[0].startswith("'=") and row[3] == "'@Budi"
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse(REPORTS), {**MARCH, "export": "xlsx"}, **ADMIN).content)
    )
    cell = next(cell for cell in workbook.worksheets[4]["A"] if "HYPERLINK" in str(cell.value))
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_workbook_has_one_typed_sheet_per_table(client, moderator, history):
    client = moderator_client(client, moderator)
    response = client.get(reverse(REPORTS), {**MARCH, "export": "xlsx"}, **ADMIN)
    assert response.status_code == 200
    assert "laporan-verifikasi-20260301-20260331.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    tables = page_tables(client.get(reverse(REPORTS), MARCH, **ADMIN))
    assert len(workbook.worksheets) == 5
    for sheet, (name, page_rows) in zip(workbook.worksheets, tables.items(), strict=True):
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == page_rows[0], name
        assert all(cell.font.bold for cell in sheet[1])
        assert len(rows) == len(page_rows)
        for page_row, sheet_row in zip(page_rows[1:], rows[1:], strict=True):
            for page_cell, value in zip(page_row, sheet_row, strict=True):
                if isinstance(value, (int, float)):
                    assert page_number(page_cell) == float(value), (name, page_row, sheet_row)
                elif value is None:
                    assert page_cell == "—"
    turnaround = workbook.worksheets[0]
    assert [cell.value for cell in turnaround[2]][1:] == [5, 4.0, 12.0]
    assert turnaround["C2"].number_format == "0.0"
    groups = workbook.worksheets[2]
    assert groups["A2"].value == "KIM Maju Jaya" and groups["D2"].value == 3
    assert groups["H2"].value == datetime.datetime(2026, 3, 20, 8, 0)  # a real date, in WITA
    assert groups["H2"].is_date
    one = client.get(reverse(REPORTS), {**MARCH, "export": "xlsx", "table": "putusan"}, **ADMIN)
    assert len(openpyxl.load_workbook(io.BytesIO(one.content)).worksheets) == 1


def test_only_verifiers_and_superusers_see_the_reports(client, editor, moderator, admin_user, history):
    url = reverse(REPORTS)
    assert client.get(url, **ADMIN).status_code == 302  # to the login page
    client.force_login(editor)  # triages, but does not verify: sent back to the dashboard, with no figures
    for params in (MARCH, {**MARCH, "export": "xlsx"}, {**MARCH, "export": "csv", "table": "kim-diam"}):
        refused = client.get(url, params, **ADMIN)
        assert (refused.status_code, refused["Location"]) == (302, reverse("wagtailadmin_home"))
    assert url not in client.get(reverse("wagtailadmin_home"), **ADMIN).content.decode()
    client.force_login(moderator)
    assert url in client.get(reverse("wagtailadmin_home"), **ADMIN).content.decode()
    client.force_login(admin_user)
    assert client.get(url, MARCH, **ADMIN).status_code == 200


# The queue and the dashboard panel -------------------------------------------------------------------------


@pytest.fixture
def queue(db):
    """Open submissions received 10 and 4 days, 30 hours and 1 hour ago; one overdue, one closed."""
    now = timezone.now()
    group = KimGroupFactory(name="KIM Antrian")
    village = group.village

    def made(title, age, status=S.RECEIVED, **extra):
        return submit(group, village, created_at=now - age, status=status, title=title, **extra)

    return {
        "ten_days": made("Sepuluh hari menunggu", datetime.timedelta(days=10), S.TRIAGE),
        "overdue": made(
            "Tenggat dinas lewat",
            datetime.timedelta(days=4),
            S.AWAITING_CONFIRMATION,
            confirmation_due_at=now - HOUR,
        ),
        "waiting": made(
            "Menunggu jawaban dinas",
            datetime.timedelta(hours=30),
            S.AWAITING_CONFIRMATION,
            confirmation_due_at=now + 24 * HOUR,
        ),
        "fresh": made("Baru masuk", datetime.timedelta(0)),
        "closed": made("Sudah ditolak", datetime.timedelta(days=20), S.REJECTED),
    }


def listed(client, **params) -> list[str]:
    html = client.get(reverse(QUEUE), params, **ADMIN).content.decode()
    receipts = re.findall(r"SIAR-[A-Z0-9]{4}-[A-Z0-9]{4}", html)
    return list(dict.fromkeys(receipts))


def test_the_queue_lists_open_submissions_oldest_first_then_closed_ones(client, moderator, queue):
    client.force_login(moderator)
    expected = [queue[key].receipt for key in ("ten_days", "overdue", "waiting", "fresh", "closed")]
    assert listed(client) == expected


def test_queue_filters_overdue_age_and_open(client, moderator, queue):
    client.force_login(moderator)
    receipt = {key: submission.receipt for key, submission in queue.items()}
    assert listed(client, overdue="yes") == [receipt["overdue"]]
    assert listed(client, age="today") == [receipt["fresh"]]
    assert listed(client, age="1") == [receipt["ten_days"], receipt["overdue"], receipt["waiting"]]
    assert listed(client, age="3") == [receipt["ten_days"], receipt["overdue"]]
    assert listed(client, age="7") == [receipt["ten_days"]]  # the closed one is older, but not waiting
    assert listed(client, queue="open") == [receipt[k] for k in ("ten_days", "overdue", "waiting", "fresh")]
    assert listed(client, queue="closed") == [receipt["closed"]]
    assert listed(client, status="rejected") == [receipt["closed"]]  # the model's own filters still work


def test_each_queue_row_opens_the_verification_view(client, moderator, queue):
    client.force_login(moderator)
    html = client.get(reverse(QUEUE), **ADMIN).content.decode()
    for submission in queue.values():
        assert f'href="{reverse("cms_submission_verification", args=[submission.pk])}"' in html


def test_the_dashboard_panel_counts_and_links_into_the_queue(client, editor, outsider, queue):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home"), **ADMIN).content.decode()
    panel = html[html.index("data-siar-verification-panel") :]
    pending = re.search(r'data-siar-pending><strong>(\d+)</strong> <a href="([^"]+)"', panel)
    overdue = re.search(r'data-siar-overdue><strong>(\d+)</strong> <a href="([^"]+)"', panel)
    assert pending.group(1) == "4" and overdue.group(1) == "1"
    # Each link shows exactly the rows its count counted.
    for link in (pending.group(2), overdue.group(2)):
        assert urlsplit(link.replace("&amp;", "&")).path == reverse(QUEUE)
    assert len(listed(client, **dict(parse_qsl(urlsplit(pending.group(2)).query)))) == 4
    assert listed(client, **dict(parse_qsl(urlsplit(overdue.group(2)).query))) == [queue["overdue"].receipt]
    assert reverse(REPORTS) not in panel  # editors triage; the reports are for verifiers
    client.force_login(outsider)
    assert "data-siar-verification-panel" not in client.get(reverse("wagtailadmin_home"), **ADMIN).content.decode()


def test_a_verifier_without_the_triage_permission_sees_the_panel_and_the_reports(client, django_user_model, queue):
    user = django_user_model.objects.create_user(username="verifikator", password="rahasia-uji-123")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="verify_submission")
    )
    client.force_login(user)
    html = client.get(reverse("wagtailadmin_home"), **ADMIN).content.decode()
    assert "data-siar-verification-panel" in html
    assert reverse(REPORTS) in html[html.index("data-siar-verification-panel") :]
