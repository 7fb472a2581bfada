"""Hostile uploads through the real form: every one refused in Indonesian with nothing stored, and what is
accepted is only re-encoded pixels (no EXIF, GPS, XMP, ICC or appended payload; orientation applied)."""

import datetime
import hashlib
import io
import struct
import time
import zlib

import pytest
from PIL import Image, ImageOps

from django.core.exceptions import ValidationError

from cms.models import KimSubmission, SubmissionPhoto
from cms.models.submissions import QuarantineStorage
from cms.services import images
from cms.services.images import MAX_PHOTO_BYTES, photos_prepare
from cms.services.submissions import submission_create
from tests.submission_support import (
    FORM_URL,
    form_data,
    image_bytes,
    media_files,
    quarantine_files,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_quarantine")]

NOT_A_PHOTO = "bukan foto yang dapat kami baca"
DAMAGED = "rusak atau tidak lengkap"
TOO_MANY_PIXELS = "megapiksel"
EMPTY = "kosong. Pilih fotonya lagi"
TOO_BIG = "lebih besar dari 10 MB"
PHP = b"<?php system($_GET['c']); ?>"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width × height pixels (a decompression-bomb header)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + _chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG with its SOF0 frame header rewritten to declare width × height."""
    data = bytearray(image_bytes("JPEG", (64, 48)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def webp_claiming(width: int, height: int) -> bytes:
    """An extended WebP (VP8X) whose canvas is declared width × height."""
    vp8x = bytes([0, 0, 0, 0]) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x
    return b"RIFF" + struct.pack("<I", len(body)) + body


def pillow_bytes(fmt: str, mode: str = "RGB", size=(60, 40), **save) -> bytes:
    bands = Image.getmodebands(mode)
    picture = Image.new(mode, size, 120 if bands == 1 else (10, 120, 200, 255)[:bands])
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("P", (40, 30), index) for index in range(20)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")
WEBP = image_bytes("WEBP")

# (id, file name, bytes, content type, expected Indonesian message)
HOSTILE = [
    ("zero-bytes-jpg", "kosong.jpg", b"", "image/jpeg", EMPTY),
    ("zero-bytes-png", "kosong.png", b"", "image/png", EMPTY),
    ("random-bytes", "acak.jpg", bytes(range(256)) * 8, "image/jpeg", NOT_A_PHOTO),
    ("bad-magic-jpeg", "salah.jpg", b"\x00\x00" + JPEG[2:], "image/jpeg", NOT_A_PHOTO),
    ("bad-magic-png", "salah.png", b"\x89PNX\r\n\x1a\n" + PNG[8:], "image/png", NOT_A_PHOTO),
    ("jpeg-soi-only", "awal.jpg", b"\xff\xd8\xff\xe0", "image/jpeg", NOT_A_PHOTO),
    ("png-signature-only", "awal.png", b"\x89PNG\r\n\x1a\n", "image/png", NOT_A_PHOTO),
    ("truncated-jpeg-half", "potong.jpg", JPEG[: len(JPEG) // 2], "image/jpeg", DAMAGED),
    ("truncated-jpeg-header", "potong2.jpg", JPEG[:200], "image/jpeg", DAMAGED),
    ("truncated-png-half", "potong.png", PNG[: len(PNG) // 2], "image/png", DAMAGED),
    ("truncated-png-no-idat", "potong2.png", PNG[:33], "image/png", NOT_A_PHOTO),
    ("truncated-webp", "potong.webp", WEBP[: len(WEBP) // 2], "image/webp", DAMAGED),
    ("text-renamed-jpg", "catatan.jpg", b"Ini hanya teks biasa, bukan foto.", "image/jpeg", NOT_A_PHOTO),
    ("text-renamed-png", "catatan.png", b"hello world\n" * 50, "image/png", NOT_A_PHOTO),
    ("php-renamed-jpg", "shell.php.jpg", PHP, "image/jpeg", NOT_A_PHOTO),
    ("php-null-byte-name", "shell.php%00.jpg", PHP, "image/jpeg", NOT_A_PHOTO),
    ("php-traversal-name", "../../shell.jpg", PHP, "image/jpeg", NOT_A_PHOTO),
    ("php-as-php", "shell.php", PHP, "application/x-php", NOT_A_PHOTO),
    ("php-wrong-content-type", "shell.jpg", b"GIF89a" + PHP, "image/jpeg", NOT_A_PHOTO),
    ("html-renamed-jpg", "halaman.jpg", HTML, "image/jpeg", NOT_A_PHOTO),
    ("html-as-html", "halaman.html", HTML, "text/html", NOT_A_PHOTO),
    ("svg", "gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml", NOT_A_PHOTO),
    (
        "svg-renamed-jpg",
        "gambar.jpg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "image/jpeg",
        NOT_A_PHOTO,
    ),
    ("pdf-renamed-jpg", "surat.jpg", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "image/jpeg", NOT_A_PHOTO),
    ("pillow-pdf", "surat.pdf", pillow_bytes("PDF"), "application/pdf", NOT_A_PHOTO),
    ("zip-renamed-jpg", "arsip.jpg", b"PK\x03\x04" + b"\0" * 100, "image/jpeg", NOT_A_PHOTO),
    ("eicar", "eicar.jpg", EICAR, "image/jpeg", NOT_A_PHOTO),
    ("gif", "gambar.gif", pillow_bytes("GIF"), "image/gif", NOT_A_PHOTO),
    ("gif-renamed-jpg", "gambar2.jpg", pillow_bytes("GIF"), "image/jpeg", NOT_A_PHOTO),
    ("gif-animated", "animasi.gif", animated_gif(), "image/gif", NOT_A_PHOTO),
    ("gif-php-polyglot", "poly.gif", pillow_bytes("GIF") + PHP, "image/gif", NOT_A_PHOTO),
    ("gif-html-polyglot", "poly.jpg", pillow_bytes("GIF") + HTML, "image/jpeg", NOT_A_PHOTO),
    ("bmp", "gambar.bmp", pillow_bytes("BMP"), "image/bmp", NOT_A_PHOTO),
    ("bmp-renamed-jpg", "gambar3.jpg", pillow_bytes("BMP"), "image/jpeg", NOT_A_PHOTO),
    ("tiff", "gambar.tiff", pillow_bytes("TIFF"), "image/tiff", NOT_A_PHOTO),
    ("tiff-renamed-png", "gambar4.png", pillow_bytes("TIFF"), "image/png", NOT_A_PHOTO),
    ("ico", "ikon.ico", pillow_bytes("ICO"), "image/x-icon", NOT_A_PHOTO),
    ("ppm", "gambar.ppm", pillow_bytes("PPM"), "image/x-portable-pixmap", NOT_A_PHOTO),
    ("pcx", "gambar.pcx", pillow_bytes("PCX"), "image/x-pcx", NOT_A_PHOTO),
    ("tga", "gambar.tga", pillow_bytes("TGA"), "image/x-tga", NOT_A_PHOTO),
    ("sgi", "gambar.sgi", pillow_bytes("SGI"), "image/sgi", NOT_A_PHOTO),
    ("icns", "gambar.icns", pillow_bytes("ICNS", size=(64, 64)), "image/icns", NOT_A_PHOTO),
    ("xbm", "gambar.xbm", pillow_bytes("XBM", "1"), "image/x-xbitmap", NOT_A_PHOTO),
    ("qoi", "gambar.qoi", pillow_bytes("QOI"), "image/qoi", NOT_A_PHOTO),
    ("dds", "gambar.dds", pillow_bytes("DDS"), "image/vnd-ms.dds", NOT_A_PHOTO),
    ("jpeg2000", "gambar.jp2", pillow_bytes("JPEG2000"), "image/jp2", NOT_A_PHOTO),
    ("jpeg2000-renamed-jpg", "gambar5.jpg", pillow_bytes("JPEG2000"), "image/jpeg", NOT_A_PHOTO),
    ("msp", "gambar.msp", pillow_bytes("MSP", "1"), "image/x-msp", NOT_A_PHOTO),
    ("eps", "gambar.eps", pillow_bytes("EPS"), "application/postscript", NOT_A_PHOTO),
    ("avif", "gambar.avif", pillow_bytes("AVIF"), "image/avif", NOT_A_PHOTO),
    ("png-bomb-400mp", "bom.png", png_claiming(20_000, 20_000), "image/png", TOO_MANY_PIXELS),
    ("png-bomb-144mp", "bom2.png", png_claiming(12_000, 12_000), "image/png", TOO_MANY_PIXELS),
    ("png-60mp", "besar.png", png_claiming(10_000, 6_000), "image/png", TOO_MANY_PIXELS),
    ("png-huge-width", "lebar.png", png_claiming(1_000_000, 60), "image/png", TOO_MANY_PIXELS),
    ("png-max-dimensions", "maks.png", png_claiming(2**31 - 1, 2**31 - 1), "image/png", TOO_MANY_PIXELS),
    ("jpeg-bomb-900mp", "bom.jpg", jpeg_claiming(30_000, 30_000), "image/jpeg", TOO_MANY_PIXELS),
    ("jpeg-bomb-65535", "bom2.jpg", jpeg_claiming(65_535, 65_535), "image/jpeg", TOO_MANY_PIXELS),
    ("jpeg-zero-size", "nol.jpg", jpeg_claiming(0, 0), "image/jpeg", NOT_A_PHOTO),
    ("webp-bomb-268mp", "bom.webp", webp_claiming(16_383, 16_383), "image/webp", TOO_MANY_PIXELS),
    ("over-byte-limit", "besar.jpg", JPEG + b"\0" * (MAX_PHOTO_BYTES + 1 - len(JPEG)), "image/jpeg", TOO_BIG),
    ("long-rtl-name", "\u202egpj." + "a" * 300 + ".php", PHP, "image/jpeg", NOT_A_PHOTO),
]


def submit(client, intake, files):
    return client.post(FORM_URL, {**form_data(intake), "photos": files})


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE]
)
def test_hostile_upload_is_refused_in_indonesian_and_nothing_is_stored(
    client, intake, name, data, content_type, message
):
    before_media = media_files()
    started = time.monotonic()
    response = submit(client, intake, [upload(data, name, content_type)])
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html, html[html.find("notice") : html.find("notice") + 1500]
    assert "Pilih foto Anda lagi" in html
    assert "<?php" not in html and "<script>alert" not in html and "\u202e" not in html
    assert not KimSubmission.objects.exists() and not SubmissionPhoto.objects.exists()
    assert quarantine_files() == [] and media_files() == before_media


def test_the_corpus_is_large_enough():
    assert len(HOSTILE) + 3 >= 60  # plus six photos, photos over the total and a valid photo beside a bad one


def test_six_photos_are_refused(client, intake):
    response = submit(client, intake, [upload(image_bytes("JPEG", color=(i, 0, 0)), f"{i}.jpg") for i in range(6)])
    assert response.status_code == 400
    assert "Anda memilih 6 foto. Kirim paling banyak 5 foto." in response.content.decode()
    assert not KimSubmission.objects.exists() and quarantine_files() == []


def test_photos_over_the_total_limit_are_refused(client, intake):
    big = JPEG + b"\0" * (9 * 1024 * 1024)
    response = submit(client, intake, [upload(big, f"{i}.jpg") for i in range(3)])
    assert response.status_code == 400
    assert "Semua foto bersama-sama lebih besar dari 25 MB" in response.content.decode()
    assert not KimSubmission.objects.exists() and quarantine_files() == []


def test_a_good_photo_beside_a_bad_one_stores_nothing(client, intake):
    files = [upload(JPEG, "baik.jpg"), upload(PNG, "baik.png", "image/png"), upload(PHP, "jahat.php.jpg")]
    response = submit(client, intake, files)
    assert response.status_code == 400
    assert "Berkas jahat.php.jpg bukan foto" in response.content.decode()
    assert not KimSubmission.objects.exists() and quarantine_files() == []


def test_a_storage_failure_on_a_later_photo_leaves_no_row_and_no_file(intake, monkeypatch):
    prepared = photos_prepare([upload(image_bytes("JPEG", color=(i * 40, 0, 0)), f"{i}.jpg") for i in range(3)])
    original_save = QuarantineStorage._save
    calls = []

    def failing_save(self, name, content):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        return original_save(self, name, content)

    monkeypatch.setattr(QuarantineStorage, "_save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        submission_create(
            group=intake["group"],
            contributor_name="Siti Aminah",
            contributor_phone="0812 3456 7890",
            title="Jembatan desa selesai diperbaiki",
            story="Warga bergotong royong memperbaiki jembatan yang rusak karena banjir.",
            category=intake["category"],
            village=intake["village"],
            event_date=datetime.date(2026, 8, 17),
            photos=prepared,
        )
    assert len(calls) == 3
    assert not KimSubmission.objects.exists() and not SubmissionPhoto.objects.exists()
    assert quarantine_files() == []


# --- what is accepted ----------------------------------------------------------------------------------------


def stored_photo() -> tuple[SubmissionPhoto, bytes]:
    photo = SubmissionPhoto.objects.get()
    with photo.file.storage.open(photo.file.name, "rb") as handle:
        return photo, handle.read()


def assert_clean_jpeg(data: bytes) -> Image.Image:
    assert data[:3] == b"\xff\xd8\xff" and data.rstrip(b"\0")[-2:] == b"\xff\xd9"
    for marker in [b"Exif", b"GPS", b"xmpmeta", b"ICC_PROFILE", b"<?php", b"<script", b"http://ns.adobe.com"]:
        assert marker not in data, marker
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG"
    assert not picture.getexif()
    assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(picture.info)
    assert not picture.info.get("progressive") and not picture.info.get("progression")
    return picture


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Siar Phone"  # Make
    exif[0x0110] = "Model X"  # Model
    if orientation:
        exif[0x0112] = orientation
    exif[0x8825] = {1: "S", 2: (3.0, 39.0, 20.5), 3: "E", 4: (103.0, 46.0, 14.2), 5: 0, 6: 120.0}
    return exif


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="3,39.34S" '
    b'exif:GPSLongitude="103,46.23E"/></rdf:RDF></x:xmpmeta>'
)


def test_a_gps_tagged_jpeg_is_stored_without_any_metadata(client, intake):
    source = image_bytes("JPEG", (1200, 900), exif=gps_exif(), xmp=XMP, icc_profile=b"\0" * 128)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825), "the fixture itself carries GPS"
    response = submit(client, intake, [upload(source, "lokasi.jpg")])
    assert response.status_code == 302
    photo, data = stored_photo()
    picture = assert_clean_jpeg(data)
    assert picture.size == (1200, 900) == (photo.width, photo.height)
    assert photo.size == len(data)
    assert photo.sha256 == hashlib.sha256(data).hexdigest()


def test_a_gps_tagged_webp_and_a_png_with_text_chunks_lose_their_metadata(client, intake):
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("GPSLatitude", "3.6556 S")
    text.add_text("Comment", "<?php echo 1; ?>")
    files = [
        upload(image_bytes("WEBP", exif=gps_exif(), xmp=XMP), "lokasi.webp", "image/webp"),
        upload(image_bytes("PNG", pnginfo=text), "lokasi.png", "image/png"),
    ]
    assert submit(client, intake, files).status_code == 302
    for photo in SubmissionPhoto.objects.all():
        with photo.file.storage.open(photo.file.name, "rb") as handle:
            assert_clean_jpeg(handle.read())


def test_orientation_6_is_applied_to_the_pixels(client, intake):
    # Landscape pixels, left half red and right half blue, that the camera says must be turned 90° clockwise.
    picture = Image.new("RGB", (400, 200), (220, 0, 0))
    picture.paste(Image.new("RGB", (200, 200), (0, 0, 220)), (200, 0))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=gps_exif(orientation=6), quality=95)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(buffer.getvalue())))
    assert expected.size == (200, 400)
    assert submit(client, intake, [upload(buffer.getvalue(), "miring.jpg")]).status_code == 302
    photo, data = stored_photo()
    stored = assert_clean_jpeg(data).convert("RGB")
    assert stored.size == (200, 400) == (photo.width, photo.height)
    top, bottom = stored.getpixel((100, 50)), stored.getpixel((100, 350))
    assert top[0] > 150 and top[2] < 80  # red on top: turned clockwise
    assert bottom[2] > 150 and bottom[0] < 80


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("poly-php.jpg", JPEG + PHP),
        ("poly-html.jpg", JPEG + HTML),
        ("poly-php.php.jpg", JPEG + b"\n" + PHP + b"\n" + HTML),
        ("poly-html.png", PNG + HTML),
        ("poly-zip.jpg", JPEG + b"PK\x03\x04" + PHP),
    ],
)
def test_polyglots_survive_only_as_pixels(client, intake, name, data):
    assert submit(client, intake, [upload(data, name)]).status_code == 302
    photo, stored = stored_photo()
    assert_clean_jpeg(stored)
    assert PHP not in stored and b"<html" not in stored and b"PK\x03\x04" not in stored
    assert photo.file.name.endswith(".jpg") and "poly" not in photo.file.name and ".php" not in photo.file.name
    assert photo.original_name == name


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cmyk.jpg", pillow_bytes("JPEG", "CMYK")),
        ("grey.jpg", pillow_bytes("JPEG", "L")),
        ("progressive.jpg", image_bytes("JPEG", progressive=True)),
        ("mpo.jpg", pillow_bytes("MPO")),
        ("rgba.png", pillow_bytes("PNG", "RGBA")),
        ("palette.png", pillow_bytes("PNG", "P")),
        ("sixteen-bit.png", pillow_bytes("PNG", "I;16")),
        ("la.png", pillow_bytes("PNG", "LA")),
        ("lossless.webp", image_bytes("WEBP", lossless=True)),
        ("rgba.webp", pillow_bytes("WEBP", "RGBA")),
    ],
)
def test_ordinary_phone_and_editor_formats_are_accepted(client, intake, name, data):
    assert submit(client, intake, [upload(data, name)]).status_code == 302
    assert_clean_jpeg(stored_photo()[1])


@pytest.mark.skipif(not images.HEIF_FORMATS, reason="pillow-heif is not installed")
def test_heic_from_an_iphone_is_accepted_and_re_encoded(client, intake):
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 140, 90)).save(buffer, format="HEIF", exif=gps_exif().tobytes())
    assert submit(client, intake, [upload(buffer.getvalue(), "IMG_0001.HEIC", "image/heic")]).status_code == 302
    photo, data = stored_photo()
    assert assert_clean_jpeg(data).size == (320, 240)


def test_large_photos_are_downscaled_to_the_long_side_limit(client, intake):
    assert submit(client, intake, [upload(image_bytes("JPEG", (4000, 3000)), "besar.jpg")]).status_code == 302
    photo, data = stored_photo()
    assert (photo.width, photo.height) == (2560, 1920)


def test_photo_reencode_refuses_by_content_not_by_name():
    with pytest.raises(ValidationError) as refused:
        images.photo_reencode(upload(PHP, "foto.jpg"))
    assert refused.value.code == "photo_format"
    assert images.photo_reencode(upload(PNG, "dokumen.txt", "text/plain"))[:3] == b"\xff\xd8\xff"
