"""Address names (slugs) of the snippets that have public pages: categories, districts, villages, agencies, KIM.

A slug is made from the name once, when the row is first saved without one, and then left alone: renaming
"Dinas Kesehatan" to "Dinas Kesehatan dan KB" keeps /opd/dinas-kesehatan/, so links shared on WhatsApp and
printed on posters keep working. Editors may still change a slug by hand.
"""

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

SLUG_MAX_LENGTH = 100


def slug_base(name: str, *, max_length: int = SLUG_MAX_LENGTH, drop_prefix: str = "", fallback: str = "x") -> str:
    base = slugify(name or "")
    if drop_prefix and base.startswith(drop_prefix + "-") and len(base) > len(drop_prefix) + 1:
        base = base[len(drop_prefix) + 1 :]  # "KIM Maju Bersama" → /kim/maju-bersama/, not /kim/kim-maju-bersama/
    return base[:max_length].strip("-") or fallback


def unique_slug(queryset, base: str, *, max_length: int = SLUG_MAX_LENGTH) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever no row of ``queryset`` holds yet."""
    slug, number = base, 2
    while queryset.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1
    return slug


def slug_field(*, max_length: int = SLUG_MAX_LENGTH, unique: bool = True) -> models.SlugField:
    return models.SlugField(
        _("address name"),
        max_length=max_length,
        unique=unique,
        blank=True,
        help_text=_(
            "Part of the public address. Leave it empty to make it from the name; it stays the same when the name "
            "changes, so links people have shared keep working."
        ),
    )


class AutoSlugMixin(models.Model):
    """Fills ``slug`` from ``name`` on save when it is empty.

    ``slug_scope`` names the columns (attnames) the slug is unique within: a village's is its district.
    """

    slug_scope: tuple[str, ...] = ()
    slug_drop_prefix = ""
    slug_fallback = "x"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            field = self._meta.get_field("slug")
            # A name with no letter or digit (rare) falls back to the official code of a region (16-03-01).
            fallback = slugify(getattr(self, "code", "") or "") or self.slug_fallback
            base = slug_base(
                self.name, max_length=field.max_length, drop_prefix=self.slug_drop_prefix, fallback=fallback
            )
            scope = {name: getattr(self, name) for name in self.slug_scope}
            others = type(self)._default_manager.exclude(pk=self.pk).filter(**scope)
            self.slug = unique_slug(others, base, max_length=field.max_length)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "slug" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "slug"]
        return super().save(*args, **kwargs)
