"""Fill the empty Indonesian translations of locale/id/LC_MESSAGES/django.po from JSON files, then compile.

When several people add strings at once, each writes {"English msgid": "terjemahan", ...} to a JSON file of
their own instead of editing the catalogue; one person then runs, from the project root:

    scripts/update_translations.sh                       # extract: new msgids arrive empty
    .venv/bin/python scripts/merge_translations.py DIR   # fill them from DIR/*.json

Only entries still untranslated are filled (plural entries get msgstr[0], Indonesian having one form);
translations already in the catalogue win. It prints what is still untranslated afterwards.
Needs GNU gettext (msgattrib, msgcat, msgmerge, msgfmt), like update_translations.sh.
"""

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _po_module():
    spec = importlib.util.spec_from_file_location("i18n_missing_wagtail", ROOT / "scripts" / "i18n_missing_wagtail.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main(folder: str) -> int:
    po = _po_module()
    mapping: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.json")):
        mapping.update(json.loads(path.read_text()))
    with tempfile.TemporaryDirectory() as tmp:
        extra, ours, merged, final = (Path(tmp) / name for name in ("extra.po", "ours.po", "merged.po", "final.po"))
        entries = [
            po.format_entry(entry, [mapping[entry.msgid]])
            for entry in po.parse_po(CATALOGUE)
            if entry.msgid and not entry.translated and entry.msgid in mapping
        ]
        header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        extra.write_text(header + "\n\n".join(entries) + "\n")
        run = [
            ["msgattrib", "--translated", "--no-fuzzy", str(CATALOGUE), "-o", str(ours)],
            # Order is precedence: our translated entries, then the JSON files, then the still-empty ones.
            ["msgcat", "--use-first", str(ours), str(extra), str(CATALOGUE), "-o", str(merged)],
            # Keep exactly the catalogue's msgids (msgcat also brings anything only the JSON files name).
            ["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", str(final), str(merged), str(CATALOGUE)],
        ]
        for command in run:
            subprocess.run(command, check=True)
        final.replace(CATALOGUE)
    subprocess.run(["msgfmt", "--check", "-o", str(CATALOGUE.with_suffix(".mo")), str(CATALOGUE)], check=True)
    left = [e.msgid for e in po.parse_po(CATALOGUE) if e.msgid and not e.translated and not e.obsolete]
    print(f"Filled {len(entries)} entries; {len(left)} still untranslated.")
    for msgid in left:
        print(f"  {msgid}")
    return 1 if left else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: merge_translations.py DIR  (DIR holds the *.json files of msgid → Indonesian)")
    sys.exit(main(sys.argv[1]))
