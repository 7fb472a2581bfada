#!/usr/bin/env bash
# Update Siar's Indonesian translations: extract, merge the Wagtail additions, compile.
#
# Run from anywhere, after adding or changing translatable strings (models, forms, validators,
# wagtail_hooks, theme templates) or after upgrading Wagtail:
#
#     scripts/update_translations.sh
#
# What it does, and why in this order:
#   1. `manage.py makemessages -l id` rewrites locale/id/LC_MESSAGES/django.po from our sources
#      (cms/, publishers/, sitegen/, scheduler/, siar/, themes/…). Existing translations are kept;
#      new msgids arrive with an empty msgstr (or "#, fuzzy" when gettext guessed from a similar
#      string: check the guess, then delete the fuzzy flag). With --no-obsolete it DROPS every
#      entry that is not in our code, i.e. the Wagtail overrides merged in by the last run.
#   2. msgcat merges back locale/id/LC_MESSAGES/wagtail_overrides.po, the maintained source of the
#      Indonesian strings Wagtail's own id_ID catalogues lack (and of the few we re-word for
#      consistency: Terbitkan, Draf, Tayang…). Order = precedence (--use-first):
#        our translated entries  >  wagtail_overrides.po  >  our still-untranslated entries.
#      So a msgid we use ourselves (e.g. "Settings") keeps our wording, and a new msgid of ours
#      that Wagtail also uses gets the override's translation until we translate it.
#   3. msgfmt --check compiles django.po (and djangojs.po when present) to .mo. We call msgfmt
#      directly: `manage.py compilemessages` would also walk .venv/ and recompile Wagtail.
#
# Then translate whatever is still empty/fuzzy in django.po (not in wagtail_overrides.po unless
# it is a Wagtail string), rerun this script, and run:
#     .venv/bin/python -m pytest tests/cms/test_translations.py
# which fails on any msgid of our code without an Indonesian translation, or a stale .mo.
#
# After a Wagtail upgrade, list the new gaps with
#     .venv/bin/python scripts/i18n_missing_wagtail.py --po admin --only-unsupplied
# translate them into wagtail_overrides.po (keep placeholders such as %(title)s and {title}
# exactly; Indonesian has one plural form: fill msgstr[0] from msgid_plural), and rerun this script.
#
# Needs GNU gettext (apt-get install gettext).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
DIR="locale/id/LC_MESSAGES"
IGNORE=(--ignore=.venv --ignore=var --ignore=tests --ignore=node_modules --ignore=bench --ignore=deploy)

for tool in msgcat msgattrib msgfmt xgettext; do
    command -v "$tool" >/dev/null || { echo "GNU gettext is missing ($tool): apt-get install gettext" >&2; exit 1; }
done

echo "==> 1/3 makemessages (django domain)"
"$PYTHON" manage.py makemessages -l id "${IGNORE[@]}" --no-obsolete

echo "==> 2/3 merging $DIR/wagtail_overrides.po into $DIR/django.po"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
msgattrib --translated --no-fuzzy "$DIR/django.po" -o "$tmp/ours-translated.po"
msgcat --use-first "$tmp/ours-translated.po" "$DIR/wagtail_overrides.po" "$DIR/django.po" -o "$tmp/django.po"
mv "$tmp/django.po" "$DIR/django.po"

echo "==> 3/3 compiling"
for domain in django djangojs; do
    if [[ -f "$DIR/$domain.po" ]]; then
        msgfmt --check --statistics -o "$DIR/$domain.mo" "$DIR/$domain.po"
    fi
done

untranslated="$(msgattrib --untranslated --no-obsolete "$DIR/django.po" | grep -c '^msgid ' || true)"
fuzzy="$(msgattrib --only-fuzzy --no-obsolete "$DIR/django.po" | grep -c '^msgid ' || true)"
# each non-empty output contains the header's msgid "" as well
if [[ "$untranslated" -gt 1 || "$fuzzy" -gt 1 ]]; then
    echo "!! $DIR/django.po still has untranslated or fuzzy entries; translate them and rerun:" >&2
    msgattrib --untranslated --no-obsolete "$DIR/django.po" | grep -A1 '^msgid ' | grep -v '^--' >&2 || true
    msgattrib --only-fuzzy --no-obsolete "$DIR/django.po" | grep -A1 '^msgid ' | grep -v '^--' >&2 || true
fi
