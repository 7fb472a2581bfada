"""The default site's profile: Kabupaten Muara Enim, run by its Diskominfo, in WIB."""

from wagtail.images.models import AbstractImage
from wagtail.models import Site

from cms.demo.regions import REGENCY_CODE, REGENCY_NAME
from cms.models import IndonesianTimeZone, SiteProfile

PROFILE = {
    "name": REGENCY_NAME,
    "office_name": "Dinas Komunikasi dan Informatika Kabupaten Muara Enim",
    "regency_code": REGENCY_CODE,
    "tagline": "Serasan Sekundang — informasi resmi, cepat dan terverifikasi",
    "time_zone": IndonesianTimeZone.WIB,
    "address": "Jalan Jenderal Sudirman No. 1, Muara Enim 31311, Sumatera Selatan",
    "phone": "0734 421012",
    "whatsapp": "0812-7100-1603",
    "email": "diskominfo@muaraenimkab.go.id",
    "facebook_url": "https://www.facebook.com/diskominfomuaraenim",
    "instagram_url": "https://www.instagram.com/diskominfo.muaraenim",
    "youtube_url": "https://www.youtube.com/@diskominfomuaraenim",
    "x_url": "https://x.com/kominfomuaraenim",
    "tiktok_url": "https://www.tiktok.com/@diskominfo.muaraenim",
}


def load_site_profile(*, logo: AbstractImage) -> SiteProfile:
    profile = SiteProfile.for_site(Site.objects.get(is_default_site=True))
    for field, value in PROFILE.items():
        setattr(profile, field, value)
    profile.logo = logo
    profile.full_clean()
    profile.save()
    return profile
