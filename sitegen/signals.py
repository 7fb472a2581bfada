"""What makes the public site change, wired to a build request (sitegen/triggers.py)."""

from django.db.models.signals import post_delete, post_save

from wagtail.images import get_image_model
from wagtail.signals import page_published, page_unpublished, post_page_move

from sitegen.triggers import site_build_request


def _page_changed(sender, instance, **kwargs) -> None:
    site_build_request(f"page {instance.pk} {kwargs.get('signal_name', 'changed')}")


def _row_changed(sender, instance, **kwargs) -> None:
    site_build_request(f"{sender._meta.label} {instance.pk}")


def _page_deleted(sender, instance, **kwargs) -> None:
    if getattr(instance, "live", False):
        site_build_request(f"page {instance.pk} deleted")


def _verification_event(sender, instance, created=False, **kwargs) -> None:
    if created and instance.page_id and instance.to_state == "corrected":  # correction notes show on the page
        site_build_request(f"correction on page {instance.page_id}")


def connect() -> None:
    from wagtail.models import Page

    from cms.models import Agency, District, KimGroup, NewsCategory, SiteProfile, Village
    from cms.models.verification import VerificationEvent

    page_published.connect(_page_changed, dispatch_uid="sitegen_page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="sitegen_page_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="sitegen_page_moved")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="sitegen_page_deleted")
    for model in (Agency, District, KimGroup, NewsCategory, SiteProfile, Village, get_image_model()):
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"sitegen_saved_{model._meta.label}")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"sitegen_deleted_{model._meta.label}")
    post_save.connect(_verification_event, sender=VerificationEvent, dispatch_uid="sitegen_correction")
