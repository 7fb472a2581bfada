"""Importing districts and villages from a Kemendagri-style CSV (kode,nama[,jenis]).

Offices get region lists as spreadsheets: UTF-8 or Windows-1252, comma or semicolon, with or without a
header, often for the whole province. The import is all-or-nothing: one bad row and nothing is saved,
with every problem listed by line so the operator can fix the file and try again.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cms.models import District, Village

DISTRICT_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
HEADER_ALIASES = {"kode": "code", "code": "code", "nama": "name", "name": "name", "jenis": "kind", "kind": "kind"}
KIND_ALIASES = {"desa": Village.Kind.DESA, "kelurahan": Village.Kind.KELURAHAN}


@dataclass
class RegionRow:
    line: int
    code: str
    name: str
    kind: str = ""


@dataclass
class RegionImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode_csv_bytes(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def parse_region_csv(text: str) -> list[RegionRow]:
    """Rows of (code, name, kind); a header row is recognised by its column names."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = {"code": 0, "name": 1, "kind": 2}
    rows = []
    for line, cells in enumerate(reader, start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if line == 1 and cells[0].lower() in HEADER_ALIASES:
            columns = {HEADER_ALIASES[c.lower()]: i for i, c in enumerate(cells) if c.lower() in HEADER_ALIASES}
            continue
        values = {name: _cell(cells, index) for name, index in columns.items()}
        rows.append(
            RegionRow(
                line=line, code=values.get("code", ""), name=values.get("name", ""), kind=values.get("kind", "").lower()
            )
        )
    return rows


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def village_kind_for(row: RegionRow) -> str:
    """Kemendagri numbers kelurahan 1xxx and desa 2xxx; an explicit kind column wins."""
    if row.kind in KIND_ALIASES:
        return KIND_ALIASES[row.kind]
    return Village.Kind.KELURAHAN if row.code.rsplit(".", 1)[-1].startswith("1") else Village.Kind.DESA


def regions_import_rows(*, rows: list[RegionRow], prefix: str = "") -> RegionImportResult:
    result = RegionImportResult()
    wanted = [row for row in rows if not prefix or row.code.startswith(prefix)]
    result.skipped = len(rows) - len(wanted)
    districts = [row for row in wanted if DISTRICT_CODE.match(row.code)]
    villages = [row for row in wanted if VILLAGE_CODE.match(row.code)]
    result.skipped += len(wanted) - len(districts) - len(villages)  # province and regency rows
    for row in wanted:
        if not (
            DISTRICT_CODE.match(row.code) or VILLAGE_CODE.match(row.code) or re.match(r"^\d{2}(\.\d{2})?$", row.code)
        ):
            result.errors.append(
                _("Line %(line)d: “%(code)s” is not a Kemendagri region code (for example 16.03.01 or 16.03.01.2001).")
                % {"line": row.line, "code": row.code}
            )
    if result.errors:
        return result
    with transaction.atomic():
        for row in districts:
            _save_region(result, row, District, {"name": row.name})
        known = {district.code: district for district in District.objects.all()}
        for row in villages:
            district = known.get(row.code.rsplit(".", 1)[0])
            if district is None:
                result.errors.append(
                    _(
                        "Line %(line)d: village %(code)s belongs to district %(district)s, which is neither in the "
                        "file nor in Siar. Add that district first."
                    )
                    % {"line": row.line, "code": row.code, "district": row.code.rsplit(".", 1)[0]}
                )
                continue
            _save_region(result, row, Village, {"name": row.name, "kind": village_kind_for(row), "district": district})
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
    return result


def _save_region(result: RegionImportResult, row: RegionRow, model, values: dict) -> None:
    instance = model.objects.filter(code=row.code).first()
    is_new = instance is None
    if is_new:
        instance = model(code=row.code)
    elif all(getattr(instance, key) == value for key, value in values.items()):
        result.unchanged += 1
        return
    for key, value in values.items():
        setattr(instance, key, value)
    try:
        instance.full_clean(validate_unique=False)
    except ValidationError as error:
        messages = "; ".join(message for messages in error.message_dict.values() for message in messages)
        result.errors.append(
            _("Line %(line)d (%(code)s): %(messages)s") % {"line": row.line, "code": row.code, "messages": messages}
        )
        return
    instance.save()
    if is_new:
        result.created += 1
    else:
        result.updated += 1


def regions_import_csv(*, data: bytes, prefix: str = "") -> RegionImportResult:
    return regions_import_rows(rows=parse_region_csv(decode_csv_bytes(data)), prefix=prefix)
