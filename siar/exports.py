"""Report tables as CSV and XLSX downloads, and as the same figures on the admin page.

A report builds one ``Table`` per figure; the page, the CSV and the workbook all read the same rows, so
what an office shows at its meeting is what it downloaded. Cells keep their types: numbers stay numbers
and times become real Excel dates in the site's zone (the zone active for the request), never strings.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.text import capfirst

TEXT, INTEGER, NUMBER, DATE, DATETIME = "text", "integer", "number", "date", "datetime"
XLSX_FORMATS = {INTEGER: "0", NUMBER: "0.0", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    kind: str = TEXT

    @property
    def label(self) -> str:
        return capfirst(str(self.heading))  # model verbose names are lower case ("kelompok KIM")


@dataclass
class Table:
    """One figure of a report: ``name`` is its slug (file name, ``?table=``), ``title`` its sheet and heading."""

    name: str
    title: str
    columns: list[Column]
    rows: list[dict]
    description: str = ""
    empty_message: str = ""  # what the page says when there is no row, and what to do about it
    links: list[str] = field(default_factory=list)  # optional URL of each row's first cell, on the page only

    def display_rows(self) -> list[list[tuple[str, str]]]:
        """Each row as (text, link) per cell, formatted for the page in the active language and zone."""
        links = self.links or [""] * len(self.rows)
        return [
            [
                (cell_display(row.get(column.key), column.kind), link if index == 0 else "")
                for index, column in enumerate(self.columns)
            ]
            for row, link in zip(self.rows, links, strict=True)
        ]


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def cell_display(value, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if kind == DATETIME:
        return formats.date_format(_local(value), "j M Y H:i")
    if kind == DATE:
        return formats.date_format(value, "j M Y")
    if kind == NUMBER:
        return formats.number_format(value, decimal_pos=1, use_l10n=True)
    if kind == INTEGER:
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def cell_csv(value, kind: str):
    """Machine-readable: ISO dates in the site's zone, numbers with a point, text that cannot run as a formula."""
    if value is None:
        return ""
    if kind == DATETIME:
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if kind == DATE:
        return value.isoformat()
    if kind in (INTEGER, NUMBER):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_xlsx(value, kind: str):
    if value is None:
        return None
    if kind == DATETIME:
        return _local(value).replace(tzinfo=None)  # Excel has no zones: the wall-clock time of the site
    if kind == NUMBER and isinstance(value, Decimal):
        return float(value)
    if kind in (INTEGER, NUMBER, DATE):
        return value
    return str(value)


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in table.columns])
    for row in table.rows:
        writer.writerow([cell_csv(row.get(column.key), column.kind) for column in table.columns])
    return buffer.getvalue()


def _sheet_title(title: str, taken: set[str]) -> str:
    base = str(title).translate(SHEET_TITLE_FORBIDDEN).strip()[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def tables_workbook(tables: list[Table]) -> bytes:
    """One sheet per table; a bold, frozen header row; typed cells with a number or date format."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold, taken = Font(bold=True), set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, taken))
        sheet.append([column.label for column in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row_number, row in enumerate(table.rows, start=2):
            for column_number, column in enumerate(table.columns, start=1):
                cell = sheet.cell(
                    row=row_number, column=column_number, value=cell_xlsx(row.get(column.key), column.kind)
                )
                if cell.data_type == "f":
                    cell.data_type = "s"  # text that looks like a formula stays text
                if column.kind in XLSX_FORMATS:
                    cell.number_format = XLSX_FORMATS[column.kind]
        for column_number, column in enumerate(table.columns, start=1):
            width = max([len(column.label)] + [len(str(row.get(column.key) or "")) for row in table.rows])
            sheet.column_dimensions[get_column_letter(column_number)].width = min(60, max(10, width + 2))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    # The byte-order mark lets Excel on Windows read the UTF-8 names of villages and people correctly.
    body = "\ufeff" + table_csv(table)
    return _attachment(HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8"), filename)


def xlsx_response(tables: list[Table], *, filename: str) -> HttpResponse:
    return _attachment(HttpResponse(tables_workbook(tables), content_type=XLSX_CONTENT_TYPE), filename)
