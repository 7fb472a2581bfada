"""The freshness dashboard, the per-agency scorecard, their CSV/XLSX export and the Wagtail home panel."""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest

from django.urls import reverse
from django.utils import timezone

from scheduler.models import FeedItem, SourceState, WatchedSource
from scheduler.services.dashboard import scorecard_agencies, scorecard_rows, sparkline, weekly_counts
from tests.factories import AgencyFactory, DistrictFactory, KimGroupFactory, VillageFactory

DAY = timedelta(days=1)
DASHBOARD = "scheduler_freshness:index"
SCORECARD = "scheduler_scorecard:index"


@pytest.fixture
def channels(db):
    """Dinkes: one channel per state (quiet 1, 9, 20 and 4 days); Dispar: two fresh; two KIM groups in two districts."""
    now = timezone.now()
    dinkes = AgencyFactory(name="Dinas Kesehatan", abbreviation="Dinkes")
    dispar = AgencyFactory(name="Dinas Pariwisata", abbreviation="Dispar")
    gelumbang, lawang = DistrictFactory(name="Gelumbang"), DistrictFactory(name="Lawang Kidul")
    kim_gelumbang = KimGroupFactory(name="KIM Gelumbang Jaya", village=VillageFactory(district=gelumbang))
    kim_lawang = KimGroupFactory(name="KIM Lawang Maju", village=VillageFactory(district=lawang))

    def source(name, state, days, kind=WatchedSource.Kind.FEED, **owner):
        return WatchedSource.objects.create(
            name=name,
            url=f"https://{re.sub(r'[^a-z]+', '-', name.lower())}.example.id/feed",
            kind=kind,
            state=state,
            last_item_at=now - days * DAY - timedelta(hours=1),
            created_at=now - 200 * DAY,
            **owner,
        )

    made = {
        "dinkes_fresh": source("Situs Dinkes", SourceState.FRESH, 1, agency=dinkes),
        "dinkes_due": source("Facebook Dinkes", SourceState.DUE, 9, agency=dinkes),
        "dinkes_stale": source("Instagram Dinkes", SourceState.STALE, 20, agency=dinkes),
        "dinkes_unreachable": source("YouTube Dinkes", SourceState.UNREACHABLE, 4, agency=dinkes),
        "dispar_a": source("Situs Dispar", SourceState.FRESH, 2, agency=dispar),
        "dispar_b": source("Halaman Agenda Dispar", SourceState.FRESH, 3, kind=WatchedSource.Kind.PAGE, agency=dispar),
        "kim_gelumbang": source("KIM Gelumbang Jaya · YouTube", SourceState.STALE, 30, kim_group=kim_gelumbang),
        "kim_lawang": source("KIM Lawang Maju · Facebook", SourceState.FRESH, 0, kim_group=kim_lawang),
    }
    paused = source("Situs lama", SourceState.STALE, 400, agency=dinkes)
    paused.is_active = False
    paused.save()
    made.update(dinkes=dinkes, dispar=dispar, gelumbang=gelumbang, kim_gelumbang_group=kim_gelumbang)
    return made


def rows(response) -> list[str]:
    """Channel names in the dashboard's table, in order."""
    html = response.content.decode()
    return re.findall(r'<tr data-state="[a-z]+">\s*<td>\s*<a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize("user_fixture", ["moderator", "editor"])
def test_the_dashboard_lists_watched_channels_longest_quiet_first(client, channels, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    assert rows(response) == [
        "KIM Gelumbang Jaya · YouTube",
        "Instagram Dinkes",
        "Facebook Dinkes",
        "YouTube Dinkes",
        "Halaman Agenda Dispar",
        "Situs Dispar",
        "Situs Dinkes",
        "KIM Lawang Maju · Facebook",
    ], "paused channels are not listed"
    html = response.content.decode()
    assert 'class="siar-state siar-state--stale">Usang</span>' in html, "coloured badge with its text"
    assert "Kesegaran kanal" in html and "Pantauan" in html
    assert "<svg" in html and "Item per minggu" in html, "posting-cadence sparkline with a text alternative"
    assert "Unduh CSV" in html and "Unduh XLSX" in html


def test_dashboard_filters(client, moderator, channels):
    client.force_login(moderator)
    get = lambda **params: rows(client.get(reverse(DASHBOARD), params))  # noqa: E731
    assert get(state="stale") == ["KIM Gelumbang Jaya · YouTube", "Instagram Dinkes"]
    assert get(kind="page") == ["Halaman Agenda Dispar"]
    assert get(agency=channels["dispar"].pk) == ["Halaman Agenda Dispar", "Situs Dispar"]
    assert get(kim_group=channels["kim_gelumbang_group"].pk) == ["KIM Gelumbang Jaya · YouTube"]
    # A district holds KIM groups' villages; agencies have no district and drop out.
    assert get(district=channels["gelumbang"].pk) == ["KIM Gelumbang Jaya · YouTube"]
    assert get(district=channels["gelumbang"].pk, state="fresh") == []
    results = client.get(reverse("scheduler_freshness:results"), {"state": "unreachable"})
    assert results.status_code == 200 and rows(results) == ["YouTube Dinkes"]


def test_dashboard_needs_the_view_permission(client, outsider, channels):
    client.force_login(outsider)
    assert client.get(reverse(DASHBOARD)).status_code in (302, 403)
    assert client.get(reverse(SCORECARD)).status_code in (302, 403)


def test_scorecard_figures_per_agency(channels):
    now = timezone.now()
    rows_by_name = {str(row.agency): row for row in scorecard_rows(scorecard_agencies(), now=now)}
    assert list(rows_by_name) == ["Dinas Kesehatan (Dinkes)", "Dinas Pariwisata (Dispar)"], (
        "agencies with channels only"
    )
    dinkes = rows_by_name["Dinas Kesehatan (Dinkes)"]
    assert (dinkes.channels, dinkes.fresh, dinkes.due, dinkes.stale, dinkes.unreachable) == (4, 1, 1, 1, 1)
    assert dinkes.median_days == 6.5  # 1, 4, 9, 20 days: the paused channel is left out
    assert dinkes.share_fresh == 0.25 and dinkes.share_fresh_percent == 25
    dispar = rows_by_name["Dinas Pariwisata (Dispar)"]
    assert (dispar.channels, dispar.fresh, dispar.median_days, dispar.share_fresh_percent) == (2, 2, 2.5, 100)


def test_scorecard_page(client, moderator, channels):
    client.force_login(moderator)
    response = client.get(reverse(SCORECARD))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dinas Kesehatan" in html and "25%" in html and "6,5" in html


def test_dashboard_csv_export(client, moderator, channels):
    client.force_login(moderator)
    response = client.get(reverse(DASHBOARD), {"state": "stale", "export": "csv"})
    assert response.status_code == 200
    assert 'filename="kesegaran-kanal.csv"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode()
    table = list(csv.reader(io.StringIO(content)))
    assert table[0][:6] == ["Kanal", "Jenis", "Pemilik", "Kecamatan", "Status", "Hari sejak pembaruan terakhir"]
    assert [row[0] for row in table[1:]] == ["KIM Gelumbang Jaya · YouTube", "Instagram Dinkes"]
    kim = table[1]
    assert kim[2:6] == ["KIM Gelumbang Jaya", "Gelumbang", "Usang", "30"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", kim[6]) and kim[7] == "7"


def test_scorecard_csv_and_xlsx_export(client, moderator, channels):
    client.force_login(moderator)
    response = client.get(reverse(SCORECARD), {"export": "csv"})
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[0] == [
        "OPD",
        "Kanal",
        "Terkini",
        "Perlu diperbarui",
        "Usang",
        "Tidak dapat dijangkau",
        "Median hari sejak pembaruan",
        "Porsi terkini (%)",
    ]
    assert table[1] == ["Dinas Kesehatan (Dinkes)", "4", "1", "1", "1", "1", "6.5", "25"]

    response = client.get(reverse(SCORECARD), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1] == ["Dinas Kesehatan (Dinkes)", 4, 1, 1, 1, 1, 6.5, 25]
    assert values[2] == ["Dinas Pariwisata (Dispar)", 2, 2, 0, 0, 0, 2.5, 100]


def test_dashboard_xlsx_export_opens_with_openpyxl(client, moderator, channels):
    client.force_login(moderator)
    response = client.get(reverse(DASHBOARD), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Kanal" and len(values) == 9
    assert values[1][:6] == [
        "KIM Gelumbang Jaya · YouTube",
        "Feed (RSS, Atom, kanal YouTube)",
        "KIM Gelumbang Jaya",
        "Gelumbang",
        "Usang",
        30,
    ]


def test_posting_cadence_per_week(channels):
    now = timezone.now()
    source = channels["dinkes_fresh"]
    for n, days in enumerate([0, 1, 2, 8, 30, 100]):
        FeedItem.objects.create(
            source=source, key=f"{n:064d}", title=f"Kabar {n}", published_at=now - days * DAY, fetched_at=now
        )
    FeedItem.objects.create(source=source, key="x" * 64, title="Tanpa tanggal", fetched_at=now - 15 * DAY)
    counts = weekly_counts([source.pk], now=now)[source.pk]
    assert len(counts) == 12
    assert counts[-1] == 3 and counts[-2] == 1 and counts[-3] == 1 and counts[-5] == 1 and sum(counts) == 6
    svg = str(sparkline(counts))
    assert svg.startswith("<svg") and svg.count("<rect") == 12 and 'role="img"' in svg and "<script" not in svg


def test_homepage_panel_shows_counts_and_the_stalest(client, moderator, channels):
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-siar-freshness-panel" in html
    panel = html[html.index("data-siar-freshness-panel") :]
    counts = dict(
        (state, int(count))
        for count, state in re.findall(r'<li><strong>(\d+)</strong> <a href="[^"]+\?state=([a-z]+)">', panel)
    )
    assert counts == {"fresh": 4, "due": 1, "stale": 2, "unreachable": 1}
    stalest = re.findall(r'<td><a href="/admin/snippets/scheduler/watchedsource/inspect/\d+/">([^<]+)</a>', panel)
    assert stalest == [
        "KIM Gelumbang Jaya · YouTube",
        "Instagram Dinkes",
        "Facebook Dinkes",
        "YouTube Dinkes",
        "Halaman Agenda Dispar",
    ]


def test_homepage_panel_is_hidden_without_permission(client, outsider, channels):
    client.force_login(outsider)
    assert "data-siar-freshness-panel" not in client.get(reverse("wagtailadmin_home")).content.decode()
