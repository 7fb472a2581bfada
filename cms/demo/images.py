"""Colourful placeholder photos drawn with Pillow: no downloads, no third-party rights, one second for all."""

import io
from collections.abc import Callable
from random import Random

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Collection

from cms.demo.seeds import seeded

COLLECTION_NAME = "Demo"
SIZE = (1200, 800)

# (theme key, caption on the image, two gradient colours). The key groups images for news categories and
# directory categories, so a health story gets a "health" picture.
THEMES: tuple[tuple[str, str, tuple[str, str]], ...] = (
    ("pemerintahan", "Pemerintahan", ("#0b3d91", "#4f8fe6")),
    ("kesehatan", "Kesehatan", ("#0f766e", "#5eead4")),
    ("pendidikan", "Pendidikan", ("#7c2d12", "#fdba74")),
    ("pariwisata", "Pariwisata", ("#065f46", "#a3e635")),
    ("ekonomi-umkm", "Ekonomi & UMKM", ("#92400e", "#fde047")),
    ("infrastruktur", "Infrastruktur", ("#374151", "#f59e0b")),
    ("kebencanaan", "Kebencanaan", ("#7f1d1d", "#fb923c")),
    ("sosial-budaya", "Sosial & Budaya", ("#581c87", "#f0abfc")),
    ("kuliner", "Kuliner", ("#9a3412", "#fcd34d")),
    ("hotel", "Penginapan", ("#1e3a8a", "#c4b5fd")),
    ("kontak", "Kontak Penting", ("#991b1b", "#fecaca")),
    ("layanan", "Layanan Publik", ("#134e4a", "#99f6e4")),
)
VARIANTS_PER_THEME = 3
SUBJECTS = ("Muara Enim", "Tanjung Enim", "Semende", "Lubai", "Gelumbang", "Ujan Mas")


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:  # no DejaVu installed: Pillow's bundled font still renders text
        return ImageFont.load_default(size=size)


def _gradient(colours: tuple[str, str], rng: Random) -> PILImage.Image:
    # A mask from Pillow's built-in gradient blends two solid layers without per-pixel Python loops.
    mask = PILImage.linear_gradient("L").rotate(rng.choice((0, 45, 90, 135, 180)), expand=False).resize(SIZE)
    return PILImage.composite(PILImage.new("RGB", SIZE, colours[0]), PILImage.new("RGB", SIZE, colours[1]), mask)


def _shapes(canvas: PILImage.Image, rng: Random) -> None:
    draw = ImageDraw.Draw(canvas, "RGBA")
    for _ in range(rng.randint(5, 9)):
        x, y, r = rng.randint(0, SIZE[0]), rng.randint(0, SIZE[1]), rng.randint(60, 260)
        fill = (255, 255, 255, rng.randint(25, 70))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
        else:
            draw.polygon([(x, y - r), (x + r, y + r), (x - r, y + r)], fill=fill)  # hills and roofs
    draw.rectangle((0, SIZE[1] - 170, SIZE[0], SIZE[1]), fill=(0, 0, 0, 90))


def render_placeholder(*, caption: str, subtitle: str, colours: tuple[str, str], seed: str) -> bytes:
    """A 1200×800 JPEG: gradient, soft shapes and a caption band."""
    rng = seeded(seed)
    canvas = _gradient(colours, rng)
    _shapes(canvas, rng)
    draw = ImageDraw.Draw(canvas)
    draw.text((60, SIZE[1] - 150), caption, font=_font(64), fill="white")
    draw.text((62, SIZE[1] - 70), subtitle, font=_font(34), fill=(255, 255, 255))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def demo_collection() -> Collection:
    existing = Collection.objects.filter(name=COLLECTION_NAME, depth=2).first()
    return existing or Collection.get_first_root_node().add_child(name=COLLECTION_NAME)


def get_or_create_image(*, title: str, filename: str, render: Callable[[], bytes]) -> AbstractImage:
    """Images are found again by title in the Demo collection, so reruns reuse them."""
    model = get_image_model()
    collection = demo_collection()
    image = model.objects.filter(collection=collection, title=title).first()
    if image:
        return image
    image = model(title=title, collection=collection, file=ImageFile(io.BytesIO(render()), name=filename))
    image._set_image_file_metadata()
    image.save()
    return image


def load_theme_images() -> dict[str, list[AbstractImage]]:
    """Three variants per theme (36 images), keyed by theme."""
    images: dict[str, list[AbstractImage]] = {}
    for key, caption, colours in THEMES:
        for variant in range(VARIANTS_PER_THEME):
            subtitle = f"{SUBJECTS[(len(key) + variant) % len(SUBJECTS)]} · Kabupaten Muara Enim"
            seed = f"image-{key}-{variant}"
            image = get_or_create_image(
                title=f"Demo: {caption} {variant + 1}",
                filename=f"demo-{key}-{variant + 1}.jpg",
                render=lambda c=caption, s=subtitle, col=colours, sd=seed: render_placeholder(
                    caption=c, subtitle=s, colours=col, seed=sd
                ),
            )
            images.setdefault(key, []).append(image)
    return images


def render_logo() -> bytes:
    """A round emblem with the regency's initials, standing in for the official coat of arms."""
    canvas = PILImage.new("RGB", (512, 512), "white")
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((16, 16, 496, 496), fill="#0b3d91", outline="#f59e0b", width=18)
    draw.polygon([(256, 110), (380, 330), (132, 330)], fill="#16a34a")  # Bukit Barisan, green
    draw.rectangle((132, 330, 380, 360), fill="#38bdf8")  # the Enim river
    draw.text((256, 420), "MUARA ENIM", font=_font(44), fill="white", anchor="mm")
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    return buffer.getvalue()


def load_logo() -> AbstractImage:
    return get_or_create_image(title="Demo: Logo Kabupaten Muara Enim", filename="demo-logo.png", render=render_logo)
