"""The site profile an office fills in once: its WhatsApp number must work as a wa.me link."""

import pytest

from wagtail.models import Site

from cms.models import SiteProfile


@pytest.mark.django_db
def test_site_whatsapp_is_stored_as_international_number():
    profile = SiteProfile.for_site(Site.objects.get(is_default_site=True))
    profile.whatsapp = "0812-7788-9900"

    profile.full_clean()

    assert profile.whatsapp == "+6281277889900"
