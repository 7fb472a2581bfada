# Address names (slugs) for the public pages of districts, villages, agencies and KIM groups.
# Added without uniqueness (and without an index: on PostgreSQL, indexing the column first makes the unique
# constraint's "_like" index clash with the plain one), filled from the names of existing rows, then made unique:
# adding a unique column to a table that already has rows would give them all the same empty slug.

from collections import defaultdict

from django.db import migrations, models
from django.utils.text import slugify

HELP = (
    "Part of the public address. Leave it empty to make it from the name; it stays the same when the name "
    "changes, so links people have shared keep working."
)

# model, column the slug is unique within (None: the whole table), prefix to drop, fallback
MODELS = (
    ("District", None, "", "x"),
    ("Village", "district_id", "", "x"),
    ("Agency", None, "", "x"),
    ("KimGroup", None, "kim", "kim"),
)


def _base(name, prefix, fallback, max_length=100):
    base = slugify(name or "")
    if prefix and base.startswith(prefix + "-") and len(base) > len(prefix) + 1:
        base = base[len(prefix) + 1 :]
    return base[:max_length].strip("-") or fallback


def fill_slugs(apps, schema_editor):
    for model_name, scope, prefix, fallback in MODELS:
        model = apps.get_model("cms", model_name)
        taken = defaultdict(set)
        for row in model.objects.order_by("pk"):
            used = taken[getattr(row, scope) if scope else None]
            base = _base(row.name, prefix, slugify(getattr(row, "code", "") or "") or fallback)
            slug, number = base, 2
            while slug in used:
                suffix = f"-{number}"
                slug = base[: 100 - len(suffix)].rstrip("-") + suffix
                number += 1
            used.add(slug)
            model.objects.filter(pk=row.pk).update(slug=slug)


def _slug(unique, **kwargs):
    return models.SlugField(
        blank=True, help_text=HELP, max_length=100, unique=unique, verbose_name="address name", **kwargs
    )


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0007_agency_confirmation"),
    ]

    operations = [
        migrations.AddField(model_name="agency", name="slug", field=_slug(False, db_index=False)),
        migrations.AddField(model_name="district", name="slug", field=_slug(False, db_index=False)),
        migrations.AddField(model_name="kimgroup", name="slug", field=_slug(False, db_index=False)),
        migrations.AddField(model_name="village", name="slug", field=_slug(False, db_index=False)),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(model_name="agency", name="slug", field=_slug(True)),
        migrations.AlterField(model_name="district", name="slug", field=_slug(True)),
        migrations.AlterField(model_name="kimgroup", name="slug", field=_slug(True)),
        migrations.AlterField(model_name="village", name="slug", field=_slug(False)),
        migrations.AddConstraint(
            model_name="village",
            constraint=models.UniqueConstraint(fields=("district", "slug"), name="cms_village_slug_per_district"),
        ),
        migrations.AlterField(
            model_name="newscategory",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Used in addresses, for example kesehatan. Leave it empty to make it from the name.",
                max_length=80,
                unique=True,
                verbose_name="slug",
            ),
        ),
    ]
