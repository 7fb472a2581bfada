"""Give Wagtail's Editors and Moderators groups the content they need on day one.

Editors manage news categories, KIM groups, agencies and regions; Moderators also the site profile.
Permissions of new models exist only after post_migrate, so they are created here first.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = ["newscategory", "kimgroup", "agency", "district", "village"]
MODERATOR_ONLY_MODELS = ["siteprofile"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("cms")
    app_config.models_module = True  # historical app configs lack it; create_permissions checks it
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions_for(models):
        codenames = [f"{action}_{model}" for model in models for action in ACTIONS]
        return Permission.objects.filter(content_type__app_label="cms", codename__in=codenames)

    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions_for(EDITOR_MODELS))
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(*permissions_for(EDITOR_MODELS + MODERATOR_ONLY_MODELS))


class Migration(migrations.Migration):
    dependencies = [("cms", "0002_initial_site"), ("wagtailcore", "0002_initial_data"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
