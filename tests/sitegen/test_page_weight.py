"""An article costs a reader on a village connection under 100 KB before its pictures.

The budget of the issue "Lighthouse ≥ 95": an article page transfers under 100 KB before images. Measured on the
built files, not in a browser, so nothing here depends on timing: the article's HTML and every stylesheet,
script and font it pulls in (from the built tree), each compressed with gzip at the level nginx uses
(deploy/nginx/siar.conf: `gzip_comp_level`, and `gzip_min_length` below which it sends a file as it
is), and summed. Pictures are left out: they load after the text, lazily
below the fold. bench/lighthouse.py measures the same in Chromium, with headers, on the demo site.
"""

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cms.models import NewsPage
from sitegen.build import site_build
from tests.factories import DistrictFactory, ImageFactory, NewsPageFactory, VillageFactory, verified_publish

BUDGET_BYTES = 100_000
NGINX_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "siar.conf"
IMAGE = re.compile(r"\.(avif|gif|ico|jpe?g|png|svg|webp)$", re.I)
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}  # gzip_types; fonts are sent as they are
CSS_REFERENCE = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?([^"')\s]+)""")

# Sixteen different sentences, two to a paragraph: repeated text would compress better than real news does.
SENTENCES = [
    "Kader posyandu di Desa Tanjung Enim menimbang seratus balita pada Selasa pagi di balai desa.",
    "Setiap anak dicatat tinggi dan berat badannya di buku Kesehatan Ibu dan Anak milik keluarga.",
    "Bidan desa memeriksa dua puluh ibu hamil dan menjelaskan tanda bahaya kehamilan yang perlu diwaspadai.",
    "Petugas gizi puskesmas memberi contoh menu pendamping ASI dari ikan patin, tempe dan daun kelor.",
    "Kepala desa mengatakan jumlah balita yang datang naik hampir sepertiga dibanding tahun lalu.",
    "Menurut catatan puskesmas, angka balita dengan gizi kurang di kecamatan ini terus menurun.",
    "Warga yang belum sempat datang diminta menyusul pada jadwal berikutnya, Selasa kedua bulan depan.",
    "Kader akan mendatangi rumah balita yang tidak hadir dua bulan berturut-turut untuk menimbang di tempat.",
    "Dinas Kesehatan menyalurkan kapsul vitamin A biru untuk bayi dan merah untuk anak di atas satu tahun.",
    "Imunisasi campak dan rubela juga diberikan kepada dua belas bayi yang sudah berusia sembilan bulan.",
    "Ibu-ibu PKK menyiapkan bubur kacang hijau sebagai makanan tambahan bagi anak-anak yang ditimbang.",
    "Pemerintah kecamatan berencana menambah satu pos pelayanan di dusun yang jauh dari balai desa.",
    "Para kader mengikuti pelatihan pengukuran panjang badan yang benar bulan lalu di puskesmas.",
    "Alat ukur baru berupa papan panjang badan dan timbangan digital dibeli dari dana desa tahun ini.",
    "Orang tua dapat menanyakan jadwal posyandu kepada kader di tiap dusun atau melalui grup pesan desa.",
    "Camat Lawang Kidul berterima kasih kepada para kader yang bekerja tanpa pamrih setiap bulan.",
]


def nginx_gzip() -> tuple[int, int]:
    """(gzip_comp_level, gzip_min_length) of the site's nginx server block."""
    conf = NGINX_CONF.read_text()
    level = re.search(r"^\s*gzip_comp_level\s+(\d+);", conf, re.MULTILINE)
    minimum = re.search(r"^\s*gzip_min_length\s+(\d+);", conf, re.MULTILINE)
    assert level and minimum, f"no gzip_comp_level or gzip_min_length in {NGINX_CONF}"
    return int(level.group(1)), int(minimum.group(1))


def sent(target: Path, level: int, minimum: int) -> int:
    """Bytes nginx sends for a file: gzipped if it is text of at least gzip_min_length, else as it is."""
    data = target.read_bytes()
    if target.suffix in COMPRESSED and len(data) >= minimum:
        return len(gzip.compress(data, level, mtime=0))
    return len(data)


class Subresources(HTMLParser):
    """Addresses a browser fetches while it renders the page, pictures aside."""

    def __init__(self):
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and ({"stylesheet", "preload", "modulepreload"} & set(rel)) and attrs.get("href"):
            self.addresses.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.addresses.append(attrs["src"])


def local_file(live: Path, address: str, base: str = "/") -> Path:
    parts = urlsplit(address)
    assert not parts.netloc, f"{address}: the article loads something from another site"
    path = parts.path if parts.path.startswith("/") else base.rsplit("/", 1)[0] + "/" + parts.path
    target = live / path.lstrip("/")
    assert target.is_file(), f"{address} is referenced by the article but not in the built site"
    return target


def transferred(live: Path, html_path: Path) -> dict[str, int]:
    """Each file the article needs before its pictures → the bytes nginx sends for it."""
    level, minimum = nginx_gzip()
    sizes = {html_path.relative_to(live).as_posix(): sent(html_path, level, minimum)}
    parser = Subresources()
    parser.feed(html_path.read_text())
    pending = [(address, "/") for address in parser.addresses]
    while pending:
        address, base = pending.pop()
        if address.startswith(("data:", "#")) or IMAGE.search(urlsplit(address).path):
            continue
        target = local_file(live, address, base)
        name = target.relative_to(live).as_posix()
        if name in sizes:
            continue
        sizes[name] = sent(target, level, minimum)
        if target.suffix == ".css":  # fonts and other stylesheets it pulls in
            pending += [(ref, "/" + name) for ref in CSS_REFERENCE.findall(target.read_text())]
    return sizes


@pytest.fixture
def article(settings, tmp_path, home_page, news_index):
    """A long article, as an office publishes them: a main photo, eight paragraphs, a photo with a caption, a
    quote, a village, tags."""
    settings.SIAR_SITE_ROOT = tmp_path / "site"
    village = VillageFactory(name="Tanjung Enim", district=DistrictFactory(name="Lawang Kidul"))
    body = [("paragraph", f"<p>{SENTENCES[2 * n]} {SENTENCES[2 * n + 1]}</p>") for n in range(8)]
    body.insert(3, ("image", {"image": ImageFactory(), "caption": "Kader menimbang balita", "credit": "KIM"}))
    body.insert(6, ("quote", {"text": "Angka balita gizi kurang turun sejak posyandu rutin.", "attribution": "Bidan"}))
    page = NewsPageFactory(
        title="Posyandu Tanjung Enim Layani Seratus Balita dan Ibu Hamil",
        lead="Kader posyandu menimbang balita, membagikan vitamin A dan memeriksa ibu hamil.",
        hero_image=ImageFactory(width=1600, height=1067),
        village=village,
        body=body,
        live=False,
    )
    page.tags.add("posyandu", "balita", "gizi")
    verified_publish(page)
    return NewsPage.objects.get(pk=page.pk)


@pytest.mark.django_db
def test_an_article_transfers_under_100_kb_before_its_pictures(settings, article):
    release = site_build(trigger="full")
    assert release.status == "live"
    live = (Path(settings.SIAR_SITE_ROOT) / "current").resolve()
    html_path = live / article.url.strip("/") / "index.html"
    html = html_path.read_text()
    assert article.title in html and "Angka balita gizi kurang turun" in html  # the whole article is there

    sizes = transferred(live, html_path)
    total = sum(sizes.values())
    breakdown = ", ".join(f"{name} {size:,} B" for name, size in sizes.items())
    print(f"\nArticle before pictures: {total:,} bytes gzipped ({breakdown}); HTML {len(html.encode()):,} B raw")
    assert "static/css/siar.css" in sizes  # the stylesheet is counted, not lost
    assert total < BUDGET_BYTES, f"{total:,} bytes before pictures, budget {BUDGET_BYTES:,}: {breakdown}"
