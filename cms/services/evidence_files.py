"""Files a verifier attaches as evidence (a letter from an agency, a screenshot): checked by content, never by name.

Only PDF, JPEG, PNG and WebP are taken, recognised by their first bytes. Pictures go through the same re-encoding
as contributors' photos (cms.services.images), so what is kept has no metadata and no appended payload; a PDF
is kept as sent (it is served to verifiers only, as a download, never rendered by the admin).
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from cms.services.images import display_name, photo_reencode

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = "application/pdf,image/jpeg,image/png,image/webp,.pdf,.jpg,.jpeg,.png,.webp"
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg"}

_PICTURE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _kind(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_PICTURE_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "picture"
    return None


def evidence_file_prepare(upload) -> ContentFile:
    """The bytes to keep, named bukti.pdf or bukti.jpg; ValidationError (nothing kept) for anything else."""
    name = display_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    too_big = ValidationError(
        _("The file %(name)s is larger than %(megabytes)d MB. Send a smaller file, for example a photo of the page."),
        code="evidence_too_big",
        params={"name": name, "megabytes": EVIDENCE_MAX_BYTES // (1024 * 1024)},
    )
    if size is not None and size > EVIDENCE_MAX_BYTES:
        raise too_big
    upload.seek(0)
    data = upload.read(EVIDENCE_MAX_BYTES + 1)
    if len(data) > EVIDENCE_MAX_BYTES:
        raise too_big
    if not data:
        raise ValidationError(
            _("The file %(name)s is empty. Choose the file again."), code="evidence_empty", params={"name": name}
        )
    kind = _kind(data[:16])
    if kind is None:
        raise ValidationError(
            _("The file %(name)s is not a PDF, JPEG, PNG or WebP file. Save or export it in one of these formats."),
            code="evidence_format",
            params={"name": name},
        )
    if kind == "pdf":
        return ContentFile(data, name="bukti.pdf")
    upload.seek(0)
    return ContentFile(photo_reencode(upload), name="bukti.jpg")


def evidence_content_type(file_name: str) -> str:
    """What a stored evidence file is served as: only the two kinds this module ever stores."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return CONTENT_TYPES.get(extension, "application/octet-stream")
