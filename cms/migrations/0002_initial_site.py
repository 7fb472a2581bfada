"""Replace Wagtail's welcome page with Siar's tree: Beranda › Berita, Direktori.

Historical models have no treebeard API, so paths are written by hand (as Wagtail's own 0002 does).
"""
from django.db import migrations

HOME_PATH = "00010002"


def _create_page(apps, model_name, *, path, depth, numchild, title, slug, url_path, locale_id, **fields):
    ContentType = apps.get_model("contenttypes.ContentType")
    model = apps.get_model("cms", model_name)
    content_type, _ = ContentType.objects.get_or_create(app_label="cms", model=model_name.lower())
    return model.objects.create(
        title=title, draft_title=title, slug=slug, content_type=content_type, path=path, depth=depth,
        numchild=numchild, url_path=url_path, locale_id=locale_id, live=True, **fields,
    )


def create_site_tree(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    if Page.objects.filter(path=HOME_PATH).exists():
        return
    locale = Locale.objects.order_by("pk").first()
    home = _create_page(
        apps, "HomePage", path=HOME_PATH, depth=2, numchild=2, title="Beranda", slug="beranda",
        url_path="/beranda/", locale_id=locale.pk,
        intro="Informasi resmi pemerintah daerah: berita terverifikasi, direktori layanan, dan kabar dari desa.",
    )
    _create_page(
        apps, "NewsIndexPage", path=HOME_PATH + "0001", depth=3, numchild=0, title="Berita", slug="berita",
        url_path="/beranda/berita/", locale_id=locale.pk, intro="Berita terbaru yang sudah diverifikasi.",
    )
    _create_page(
        apps, "DirectoryIndexPage", path=HOME_PATH + "0002", depth=3, numchild=0, title="Direktori",
        slug="direktori", url_path="/beranda/direktori/", locale_id=locale.pk,
        intro="Tempat wisata, fasilitas kesehatan, kuliner, penginapan, kontak penting, dan layanan publik.",
    )
    Site.objects.filter(is_default_site=True).update(root_page_id=home.pk, site_name="Siar")
    welcome = Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page")
    if not Site.objects.filter(root_page__in=welcome).exists():
        welcome.delete()
    root = Page.objects.get(depth=1)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(create_site_tree, migrations.RunPython.noop)]
