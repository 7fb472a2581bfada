from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """Wagtail content: news, directory, agencies, regions, KIM groups and site settings."""

    name = "cms"
    verbose_name = _("Siar content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        from cms.image_filters import share_parsed_filter_operations
        from cms.models import NewsPage

        share_parsed_filter_operations()

        page_published.connect(_news_published, sender=NewsPage, dispatch_uid="cms_submission_published")
        page_unpublished.connect(_news_unpublished, sender=NewsPage, dispatch_uid="cms_news_unpublished")


def _news_published(sender, instance, revision=None, **kwargs) -> None:
    """News made from a submission went live: the submission (and its contributor's status page) follows."""
    from cms.services.verification import submission_mark_published

    submission_mark_published(page=instance, actor=getattr(revision, "user", None))


def _news_unpublished(sender, instance, **kwargs) -> None:
    """However a news item went down (withdrawal, Wagtail's unpublish, expiry), it is recorded and signalled once."""
    from cms.services.verification import news_unpublished_record

    news_unpublished_record(page=instance, actor=getattr(instance, "withdrawn_by", None))
