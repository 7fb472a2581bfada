#!/usr/bin/env python3
"""List the msgids that Wagtail's (and Django's, taggit's) own Indonesian catalogues leave untranslated.

Why: Django resolves the language code ``id``; Python's gettext expands it to ``id_ID`` so
Wagtail's ``wagtail/*/locale/id_ID`` catalogues are loaded, but Transifex coverage of Indonesian
lags behind each Wagtail release. Siar fills the gaps in ``locale/id/LC_MESSAGES/wagtail_overrides.po``
(merged into ``django.po`` by ``scripts/update_translations.sh``). After upgrading Wagtail, run
this script to see what is new or still missing.

For every app with a ``locale/en/LC_MESSAGES/<domain>.po`` (the English source catalogue, which
lists every msgid), it reports the msgids that have no non-fuzzy translation in the app's
``id_ID`` (or ``id``) catalogue, and whether Siar's own ``locale/id`` catalogue already supplies
them.

Usage (from the project root, with the virtualenv):

    .venv/bin/python scripts/i18n_missing_wagtail.py                # summary table per app
    .venv/bin/python scripts/i18n_missing_wagtail.py --list admin   # missing msgids of apps whose path contains "admin"
    .venv/bin/python scripts/i18n_missing_wagtail.py --domain djangojs --list admin
    .venv/bin/python scripts/i18n_missing_wagtail.py --po admin > /tmp/missing.po   # stub .po to translate

``--only-unsupplied`` hides msgids Siar already translates. The module also exposes a tiny
dependency-free PO parser (``parse_po``) used by the translation tests.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and "fuzzy" not in self.flags and not self.obsolete


def _unquote(text: str) -> str:
    return ast.literal_eval(text) if text.startswith('"') else ""


def parse_po(path: str | Path) -> list[Entry]:
    """Parse a .po file into entries (the header, msgid "", is included)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: str | None = None  # which field continuation lines append to
    pending_flags: set[str] = set()
    pending_refs: list[str] = []
    pending_comments: list[str] = []

    def finish():
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = False
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
        if not line:
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr and target and target.startswith("msgstr"):
                finish()
                target = None
            if line.startswith("#,"):
                pending_flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#:"):
                pending_refs.extend(line[2:].split())
            elif line.startswith("#.") or line.startswith("# "):
                pending_comments.append(line[2:].strip())
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = _unquote(line)
            if current is None or target is None:
                continue
            if target == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            elif target == "msgid":
                current.msgid += value
            elif target == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            else:
                current.msgstr[-1] += value
            continue
        if (
            keyword in ("msgctxt", "msgid")
            and (current is None or target is None or target.startswith("msgstr") or (keyword == "msgctxt"))
            and not (keyword == "msgid" and target == "msgctxt")
        ):
            finish()
            current = Entry(
                msgid="", flags=pending_flags, references=pending_refs, comments=pending_comments, obsolete=obsolete
            )
            pending_flags, pending_refs, pending_comments = set(), [], []
        if current is None:
            continue
        if keyword == "msgctxt":
            current.msgctxt = _unquote(rest)
            target = "msgctxt"
        elif keyword == "msgid":
            current.msgid = _unquote(rest)
            target = "msgid"
        elif keyword == "msgid_plural":
            current.msgid_plural = _unquote(rest)
            target = "msgid_plural"
        elif keyword.startswith("msgstr"):
            current.msgstr.append(_unquote(rest))
            target = "msgstr"
    finish()
    return entries


def catalogue(path: str | Path) -> dict[tuple[str | None, str], Entry]:
    return {e.key: e for e in parse_po(path) if e.msgid and not e.obsolete}


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    if "\\n" in escaped[:-2]:
        parts = escaped.split("\\n")
        lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
        return '""\n' + "\n".join(f'"{p}"' for p in lines)
    return f'"{escaped}"'


def format_entry(entry: Entry, msgstr: list[str] | None = None) -> str:
    out = []
    for ref in entry.references[:3]:
        out.append(f"#: {ref}")
    if "python-format" in entry.flags or "python-brace-format" in entry.flags:
        out.append("#, " + ", ".join(sorted(f for f in entry.flags if f.endswith("format"))))
    if entry.msgctxt is not None:
        out.append(f"msgctxt {_quote(entry.msgctxt)}")
    out.append(f"msgid {_quote(entry.msgid)}")
    strs = msgstr if msgstr is not None else [""]
    if entry.msgid_plural is not None:
        out.append(f"msgid_plural {_quote(entry.msgid_plural)}")
        out.append(f"msgstr[0] {_quote(strs[0])}")
    else:
        out.append(f"msgstr {_quote(strs[0])}")
    return "\n".join(out)


def wagtail_locale_dirs() -> list[Path]:
    import django

    import taggit
    import wagtail

    bases = [Path(wagtail.__file__).parent, Path(django.__file__).parent / "contrib", Path(taggit.__file__).parent]
    found = sorted({p.parent for base in bases for p in base.rglob("locale/en") if p.is_dir()})
    return found


def find_id_catalogue(locale_dir: Path, domain: str) -> Path | None:
    for code in ("id_ID", "id"):
        path = locale_dir / code / "LC_MESSAGES" / f"{domain}.po"
        if path.exists():
            return path
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domain", default="django", choices=["django", "djangojs"])
    parser.add_argument("--list", metavar="APP", help="list missing msgids of apps whose path contains APP")
    parser.add_argument("--po", metavar="APP", help="print a stub .po of missing msgids for apps matching APP")
    parser.add_argument("--only-unsupplied", action="store_true", help="skip msgids Siar already translates")
    args = parser.parse_args(argv)

    ours_path = ROOT / "locale" / "id" / "LC_MESSAGES" / f"{args.domain}.po"
    ours = catalogue(ours_path) if ours_path.exists() else {}

    print(f"{'app':45} {'msgids':>6} {'missing':>7} {'supplied':>8}", file=sys.stderr)
    seen: set[tuple[str | None, str]] = set()
    for locale_dir in wagtail_locale_dirs():
        source = locale_dir / "en" / "LC_MESSAGES" / f"{args.domain}.po"
        if not source.exists():
            continue
        app = str(locale_dir.parent).split("site-packages/")[-1]
        id_path = find_id_catalogue(locale_dir, args.domain)
        id_cat = catalogue(id_path) if id_path else {}
        missing = [e for e in catalogue(source).values() if not (e.key in id_cat and id_cat[e.key].translated)]
        supplied = [e for e in missing if e.key in ours and ours[e.key].translated]
        print(
            f"{app:45} {len(catalogue(source)):6d} {len(missing):7d} {len(supplied):8d}"
            + ("" if id_path else "  (no Indonesian catalogue)"),
            file=sys.stderr,
        )
        pattern = args.list or args.po
        if pattern and pattern in app:
            for e in missing:
                if args.only_unsupplied and e.key in ours and ours[e.key].translated:
                    continue
                if e.key in seen:
                    continue
                seen.add(e.key)
                if args.po:
                    print(format_entry(e) + "\n")
                else:
                    mark = "+" if e.key in ours and ours[e.key].translated else "-"
                    ctx = f"[{e.msgctxt}] " if e.msgctxt else ""
                    print(f"{mark} {ctx}{e.msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
