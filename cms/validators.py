"""Validation and normalisation of Indonesian contact data and coordinates.

Messages are English msgids translated in locale/id; users see Bahasa Indonesia by default.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Indonesia's bounding box, with a margin for outlying islands.
LATITUDE_RANGE = (-11.5, 6.5)
LONGITUDE_RANGE = (94.5, 141.5)

_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_PHONE = re.compile(r"^(\+62|62|0)\d{6,13}$")
_SHORT_SERVICE_NUMBER = re.compile(r"^(1\d{2}|14\d{3}|1500\d{3})$")  # 112, 110, 119; 14017; 1500 888
_MOBILE = re.compile(r"^(\+62|62|0)8\d{7,12}$")


def _digits_only(value: str) -> str:
    return _PHONE_SEPARATORS.sub("", value or "")


def validate_phone(value: str) -> None:
    compact = _digits_only(value)
    if not (_PHONE.match(compact) or _SHORT_SERVICE_NUMBER.match(compact)):
        raise ValidationError(
            _("Enter an Indonesian phone number, for example 0734 421234, 0812-3456-7890 or 112."),
            code="invalid_phone",
        )


def validate_whatsapp(value: str) -> None:
    if not _MOBILE.match(_digits_only(value)):
        raise ValidationError(
            _("Enter an Indonesian mobile number for WhatsApp, for example 0812 3456 7890."),
            code="invalid_whatsapp",
        )


def normalise_whatsapp(value: str) -> str:
    """Store WhatsApp numbers as +628… so wa.me links work whatever the editor typed."""
    compact = _digits_only(value)
    if not compact:
        return ""
    if compact.startswith("+62"):
        return compact
    if compact.startswith("62"):
        return "+" + compact
    return "+62" + compact.removeprefix("0")


def validate_latitude(value) -> None:
    low, high = LATITUDE_RANGE
    if value is not None and not low <= float(value) <= high:
        raise ValidationError(
            _("Latitude must lie within Indonesia (between -11.5 and 6.5), for example -3.6556."),
            code="latitude_out_of_range",
        )


def validate_longitude(value) -> None:
    low, high = LONGITUDE_RANGE
    if value is not None and not low <= float(value) <= high:
        raise ValidationError(
            _("Longitude must lie within Indonesia (between 94.5 and 141.5), for example 103.7706."),
            code="longitude_out_of_range",
        )
