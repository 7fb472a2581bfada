"""The admin speaks Bahasa Indonesia by default, English per user, and no string of ours is left untranslated.

Siar's strings are English msgids translated in locale/id; the Indonesian strings Wagtail's own id_ID
catalogues lack come from locale/id/LC_MESSAGES/wagtail_overrides.po, merged into django.po by
scripts/update_translations.sh (rerun it after adding a translatable string, then translate what it lists).
"""

import gettext
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation.template import templatize

from wagtail.users.models import UserProfile

ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = ROOT / "locale" / "id" / "LC_MESSAGES"
# The same tree makemessages walks in scripts/update_translations.sh (hidden directories are skipped too).
SKIPPED_DIRS = {".venv", "var", "tests", "node_modules", "bench", "deploy", "locale", "__pycache__", "static"}
# The keywords Django's makemessages gives xgettext.
XGETTEXT_KEYWORDS = [
    "gettext_noop",
    "gettext_lazy",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "npgettext:1c,2,3",
    "pgettext_lazy:1c,2",
    "npgettext_lazy:1c,2,3",
]
ADMIN = {"HTTP_HOST": "localhost"}


def _load_po_parser():
    spec = importlib.util.spec_from_file_location("i18n_missing_wagtail", ROOT / "scripts" / "i18n_missing_wagtail.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


po = _load_po_parser()


def _gettext_tool(name):
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} not found: install GNU gettext (apt-get install gettext).")
    pytest.skip(f"{name} not found: apt-get install gettext to check the translation catalogues.")


def _compiled_catalogue(mo_path):
    with open(mo_path, "rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def _source_files():
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt")):
                yield Path(directory) / name


def _extract_msgids(tmp_path):
    """Run xgettext over our code as makemessages does (templates are templatized first)."""
    xgettext = _gettext_tool("xgettext")
    inputs = []
    for path in _source_files():
        if path.suffix == ".py":
            inputs.append(str(path))
            continue
        copy = tmp_path / "templates" / (path.relative_to(ROOT).as_posix().replace("/", "__") + ".py")
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(templatize(path.read_text(encoding="utf-8"), origin=str(path)), encoding="utf-8")
        inputs.append(str(copy))
    pot = tmp_path / "siar.pot"
    subprocess.run(
        [
            xgettext,
            "--language=Python",
            "--from-code=UTF-8",
            "--add-comments=Translators",
            "--output",
            str(pot),
            *(f"--keyword={keyword}" for keyword in XGETTEXT_KEYWORDS),
            *inputs,
        ],
        check=True,
        capture_output=True,
    )
    return [entry for entry in po.parse_po(pot) if entry.msgid]


def _sidebar_labels(response):
    """Every label in the sidebar's props (the menu is rendered by JavaScript from this JSON)."""
    html = response.content.decode()
    match = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    assert match, "sidebar props not found on the page"
    labels = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "label" and isinstance(value, str):
                    labels.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(match.group(1)))
    return labels


# --- catalogues ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalogue_is_in_sync_with_po(tmp_path, domain):
    msgfmt = _gettext_tool("msgfmt")
    fresh = tmp_path / f"{domain}.mo"
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(fresh), str(LOCALE_DIR / f"{domain}.po")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert _compiled_catalogue(LOCALE_DIR / f"{domain}.mo") == _compiled_catalogue(fresh), (
        f"locale/id/LC_MESSAGES/{domain}.mo is stale: run scripts/update_translations.sh"
    )


def test_every_msgid_of_our_code_has_an_indonesian_translation(tmp_path):
    entries = _extract_msgids(tmp_path)
    assert len(entries) > 150, "xgettext found suspiciously few strings in our code"
    catalogue = _compiled_catalogue(LOCALE_DIR / "django.mo")
    missing = []
    for entry in entries:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        translated = catalogue.get((key, 0) if entry.msgid_plural else key)
        if not translated:
            missing.append(entry.msgid)
    assert not missing, (
        "Strings without an Indonesian translation (run scripts/update_translations.sh, translate them in "
        f"locale/id/LC_MESSAGES/django.po, rerun it): {missing}"
    )


def test_po_files_have_no_fuzzy_or_empty_entries():
    for name in ("django.po", "wagtail_overrides.po", "djangojs.po"):
        bad = [e.msgid for e in po.parse_po(LOCALE_DIR / name) if e.msgid and not e.obsolete and not e.translated]
        assert not bad, f"{name} has untranslated or fuzzy entries: {bad}"


def test_wagtail_overrides_keep_placeholders():
    placeholder = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")
    for entry in po.parse_po(LOCALE_DIR / "wagtail_overrides.po"):
        if not entry.msgid:
            continue
        source = entry.msgid_plural or entry.msgid
        assert set(placeholder.findall(entry.msgstr[0])) <= set(placeholder.findall(source)) | set(
            placeholder.findall(entry.msgid)
        ), entry.msgid
        if not entry.msgid_plural:
            assert sorted(placeholder.findall(entry.msgstr[0])) == sorted(placeholder.findall(entry.msgid)), entry.msgid


# --- what people see ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_menu_is_indonesian_by_default(client, editor):
    client.force_login(editor)
    response = client.get("/admin/", **ADMIN)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    labels = _sidebar_labels(response)
    for label in [
        "Berita",
        "Semua berita",
        "Kategori berita",
        "Direktori",
        "KIM",
        "Instansi",
        "Wilayah",
        "Kecamatan",
        "Desa/Kelurahan",
    ]:
        assert label in labels, f"{label!r} not in the menu: {labels}"
    for english in ["News", "All news", "News categories", "Directory", "Agencies", "Regions", "Districts", "Villages"]:
        assert english not in labels


@pytest.mark.django_db
def test_wagtail_menu_items_are_translated(client, django_user_model):
    admin = django_user_model.objects.create_superuser("kepala", "kepala@example.id", "rahasia-uji-123")
    client.force_login(admin)
    labels = _sidebar_labels(client.get("/admin/", **ADMIN))
    for label in [
        "Halaman",
        "Gambar",
        "Dokumen",
        "Laporan",
        "Halaman terkunci",
        "Riwayat situs",
        "Halaman lama",
        "Penggunaan jenis halaman",
        "Alur kerja",
        "Tugas alur kerja",
        "Pengaturan",
        "Pengguna",
        "Grup",
        "Koleksi",
        "Lokal",
        "Bantuan",
        "Panduan Editor",
        "Pintasan",
        "Yang baru di Wagtail 8.0",
    ]:
        assert label in labels, f"{label!r} not in the menu: {labels}"
    for english in [
        "Reports",
        "Workflows",
        "Workflow tasks",
        "Locked pages",
        "Site history",
        "Aging pages",
        "Page types usage",
        "Locales",
        "Help",
        "Editor Guide",
        "Shortcuts",
        "What's new in Wagtail 8.0",
    ]:
        assert english not in labels


@pytest.mark.django_db
def test_news_form_is_indonesian(client, editor, news_index):
    client.force_login(editor)
    response = client.get(f"/admin/pages/add/cms/newspage/{news_index.id}/", **ADMIN)
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Teras berita",
        "Satu atau dua kalimat tentang apa yang terjadi",
        "Gambar utama",
        "Isi berita",
        "Konten",
        "Klasifikasi",
        "Kanal",
        "Promosi",
        "Keterangan Instagram",
        "Teks kios",
        "Simpan draf",
        "Pratinjau",
    ]:
        assert text in html, f"{text!r} not on the news form"
    for english in [">Lead<", "Main image", "Classification", "Save draft", "Leave empty to use"]:
        assert english not in html


@pytest.mark.django_db
def test_admin_javascript_strings_are_indonesian(client, editor):
    client.force_login(editor)
    catalogue = client.get("/admin/jsi18n/", **ADMIN).content.decode()
    for text in ["Sisipkan blok", "Perubahan telah disimpan otomatis.", "Tulis balasan Anda..."]:
        assert text in catalogue


@pytest.mark.django_db
def test_login_page_is_indonesian_by_default(client):
    html = client.get("/admin/login/", **ADMIN).content.decode()
    assert "Lupa kata sandi?" in html
    assert "Forgotten password?" not in html


@pytest.mark.django_db
def test_english_is_selectable_per_user(client, editor, moderator):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(editor)
    labels = _sidebar_labels(client.get("/admin/", **ADMIN))
    for label in ["News", "All news", "Directory", "KIM", "Agencies", "Regions", "Districts", "Villages"]:
        assert label in labels, f"{label!r} not in the English menu: {labels}"
    assert "Berita" not in labels

    client.force_login(moderator)  # another user keeps the default
    assert "Berita" in _sidebar_labels(client.get("/admin/", **ADMIN))


def test_validation_messages_follow_the_language():
    from cms.validators import validate_phone

    with pytest.raises(ValidationError) as raised:
        validate_phone("abc")
    # The message is lazy: it is rendered in the language active when it is shown.
    with translation.override("id"):
        assert raised.value.messages[0].startswith("Masukkan nomor telepon Indonesia")
    with translation.override("en"):
        assert raised.value.messages[0].startswith("Enter an Indonesian phone number")
