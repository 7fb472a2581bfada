"""Re-encoding photos on intake: only decoded pixels survive, so metadata and appended payloads die.

A contributor's photo is untrusted bytes. It is opened by content (never by name or Content-Type) with
Pillow restricted to an allow-list of formats, its pixel count is checked from the header before any pixel
is decoded, and it is written out afresh as a baseline JPEG: orientation applied, converted to RGB,
downscaled, no EXIF, no XMP, no ICC profile, nothing after the end-of-image marker.
"""

import hashlib
import io
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

try:  # HEIC/HEIF, the default format of iPhones, when pillow-heif is installed (it comes with Wagtail).
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_FORMATS = ["HEIF"]
except ImportError:  # pragma: no cover - depends on the environment
    HEIF_FORMATS = []

ALLOWED_FORMATS = ["JPEG", "PNG", "WEBP", *HEIF_FORMATS]
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 5
MAX_TOTAL_BYTES = 25 * 1024 * 1024  # nginx's client_max_body_size (deploy/nginx/siar.conf)
MAX_PIXELS = 50_000_000  # about the largest phone sensors; Pillow's own guard only raises at 179 MP
MAX_SIDE = 2560
JPEG_QUALITY = 85

_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo ready to store: re-encoded JPEG bytes, and facts about them and the upload."""

    data: bytes
    width: int
    height: int
    sha256: str
    source_sha256: str
    original_name: str


def display_name(name: str | None) -> str:
    """The upload's name as safe text for messages and the record: no path, no control or bidi characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf"))
    base = _UNSAFE_NAME_CHARS.sub("", base).strip()
    if len(base) > 80:
        base = base[:60] + "…" + base[-19:]
    return base or "foto"


def _reject(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _read_limited(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_big(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(upload)
    return data


def _too_big(upload) -> ValidationError:
    return _reject(
        _(
            "The photo %(name)s is larger than %(megabytes)d MB. "
            "Send a smaller photo (most phones can share a photo in a smaller size)."
        ),
        "photo_too_big",
        name=display_name(getattr(upload, "name", "")),
        megabytes=MAX_PHOTO_BYTES // (1024 * 1024),
    )


def photo_reencode(upload) -> bytes:
    """Fresh baseline JPEG bytes of the upload's pixels, or ValidationError with a message for the sender."""
    return _reencode(_read_limited(upload, MAX_PHOTO_BYTES), display_name(getattr(upload, "name", "")))


def _reencode(data: bytes, name: str) -> bytes:
    if not data:
        raise _reject(_("The file %(name)s is empty. Choose the photo again."), "photo_empty", name=name)
    not_a_photo = _reject(
        _("The file %(name)s is not a photo we can read. Send a JPEG, PNG, WebP or HEIC photo."),
        "photo_format",
        name=name,
    )
    damaged = _reject(
        _("The photo %(name)s is damaged or incomplete. Take or choose the photo again."), "photo_damaged", name=name
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels(name, None) from error
        except (UnidentifiedImageError, ValueError, TypeError) as error:
            raise not_a_photo from error
        except (OSError, SyntaxError, EOFError, IndexError, KeyError) as error:
            raise damaged from error
        with image:
            width, height = image.size  # from the header: nothing is decoded yet
            if width < 1 or height < 1:
                raise damaged
            if width * height > MAX_PIXELS:
                raise _too_many_pixels(name, (width, height))
            try:
                image.load()
                picture = ImageOps.exif_transpose(image)
                picture = _to_rgb(picture)
                picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                output = io.BytesIO()
                # No exif=, xmp=, icc_profile=: Pillow writes none of them unless asked.
                picture.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
                raise _too_many_pixels(name, (width, height)) from error
            except (OSError, SyntaxError, EOFError, ValueError, IndexError, KeyError, TypeError) as error:
                raise damaged from error
    return output.getvalue()


def _too_many_pixels(name: str, size: tuple[int, int] | None) -> ValidationError:
    megapixels = MAX_PIXELS // 1_000_000
    if size is None:
        return _reject(
            _("The photo %(name)s has too many pixels. Send a photo of at most %(megapixels)d megapixels."),
            "photo_pixels",
            name=name,
            megapixels=megapixels,
        )
    return _reject(
        _(
            "The photo %(name)s is too large (%(width)d × %(height)d pixels). "
            "Send a photo of at most %(megapixels)d megapixels."
        ),
        "photo_pixels",
        name=name,
        width=size[0],
        height=size[1],
        megapixels=megapixels,
    )


def _to_rgb(picture: Image.Image) -> Image.Image:
    """RGB on a white background (transparent PNG/WebP would otherwise turn black)."""
    if picture.mode == "RGB":
        return picture
    if picture.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        picture = picture.point(lambda value: value / 256).convert("L")  # 16-bit grey to 8-bit
    if picture.mode == "P" or "A" in picture.getbands() or picture.mode == "PA":
        picture = picture.convert("RGBA")
        background = Image.new("RGB", picture.size, (255, 255, 255))
        background.paste(picture, mask=picture.getchannel("A"))
        return background
    return picture.convert("RGB")


def photo_prepare(upload) -> PreparedPhoto:
    """Re-encode one upload and describe the result (the original bytes are only hashed, never kept)."""
    source = _read_limited(upload, MAX_PHOTO_BYTES)
    name = display_name(getattr(upload, "name", ""))
    data = _reencode(source, name)
    source_sha256 = hashlib.sha256(source).hexdigest()
    with Image.open(io.BytesIO(data), formats=["JPEG"]) as stored:
        width, height = stored.size
    return PreparedPhoto(
        data=data,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
        source_sha256=source_sha256,
        original_name=name[:255],
    )


def photos_prepare(uploads: list) -> list[PreparedPhoto]:
    """Every upload re-encoded, or one ValidationError listing each problem (nothing partial comes back)."""
    if len(uploads) > MAX_PHOTOS:
        raise _reject(
            _("You chose %(count)d photos. Send at most %(maximum)d photos."),
            "too_many_photos",
            count=len(uploads),
            maximum=MAX_PHOTOS,
        )
    total = sum(getattr(upload, "size", 0) or 0 for upload in uploads)
    if total > MAX_TOTAL_BYTES:
        raise _reject(
            _("The photos together are larger than %(megabytes)d MB. Send fewer or smaller photos."),
            "photos_too_big",
            megabytes=MAX_TOTAL_BYTES // (1024 * 1024),
        )
    prepared, errors = [], []
    for upload in uploads:
        try:
            prepared.append(photo_prepare(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return prepared
