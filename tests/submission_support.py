"""Helpers for the KIM submission tests: real rows, real image bytes drawn by Pillow, a valid form POST."""

import io
import time

import pytest
from PIL import Image

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.forms import FORM_TOKEN_SALT
from tests.factories import KimGroupFactory, NewsCategoryFactory, VillageFactory

FORM_URL = "/kirim/"
API_URL = "/api/v1/submissions/"
TITLE = "Warga Desa Tanjung Raja Bergotong Royong Membersihkan Saluran"
STORY = "Sejak pukul 07.00 WIB ratusan warga membersihkan saluran air.\n\nKegiatan diikuti seluruh RT."


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (800, 600), color=(20, 120, 160), **save) -> bytes:
    picture = Image.new("RGB" if fmt != "PNG" or "mode" not in save else save.pop("mode"), size, color)
    picture.paste(Image.new("RGB", (size[0] // 3, size[1] // 3), (250, 200, 20)), (0, 0))
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def aged_token(seconds: float = 30) -> str:
    """A time-trap token issued `seconds` ago, as if a person had spent that long on the form."""
    return signing.dumps({"t": time.time() - seconds}, salt=FORM_TOKEN_SALT, compress=True)


def quarantine_files() -> list:
    root = settings.SIAR_QUARANTINE_ROOT
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def media_files() -> list:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture
def intake(db):
    """A KIM group, a category and a village to submit for."""
    village = VillageFactory(name="Tanjung Raja")
    group = KimGroupFactory(name="KIM Tanjung Raja Bersatu", village=village)
    category = NewsCategoryFactory(name="Lingkungan", slug="lingkungan")
    return {"group": group, "category": category, "village": village}


def form_data(intake: dict, **overrides) -> dict:
    data = {
        "group": intake["group"].pk,
        "contributor_name": "Siti Aminah",
        "contributor_phone": "0812-3456-7890",
        "title": TITLE,
        "story": STORY,
        "category": intake["category"].pk,
        "village": intake["village"].pk,
        "event_date": "2026-08-17",
        "link": "",
        "website": "",
        "started": aged_token(),
    }
    data.update(overrides)
    return data


def api_data(intake: dict, **overrides) -> dict:
    data = {
        "contributor_name": "Siti Aminah",
        "contributor_phone": "0812-3456-7890",
        "title": TITLE,
        "story": STORY,
        "category": intake["category"].slug,
        "village": intake["village"].code,
        "event_date": "2026-08-17",
    }
    data.update(overrides)
    return data


@pytest.fixture
def fresh_quarantine(settings, tmp_path):
    """Each test gets an empty quarantine folder (the storage reads the setting on every use)."""
    settings.SIAR_QUARANTINE_ROOT = tmp_path / "quarantine"
    return settings.SIAR_QUARANTINE_ROOT
