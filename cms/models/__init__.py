"""Siar's editorial model. One module per part; everything importable from cms.models."""

from cms.models.agencies import Agency, AgencySocialAccount
from cms.models.confirmation import AgencyConfirmationRequest
from cms.models.directory import DirectoryCategory, DirectoryIndexPage, DirectoryListingPage, ListingPhoto
from cms.models.home import HomePage
from cms.models.kim import KimGroup, KimMember, KimSocialAccount
from cms.models.news import NewsIndexPage, NewsPage
from cms.models.regions import District, Village
from cms.models.site_settings import IndonesianTimeZone, SiteProfile
from cms.models.social import SocialPlatform
from cms.models.submissions import KimGroupApiKey, KimSubmission, SubmissionPhoto
from cms.models.taxonomy import NewsCategory, NewsPageTag
from cms.models.verification import (
    Evidence,
    HoaxCategory,
    PublishRefused,
    Verdict,
    VerdictChoice,
    VerificationEvent,
    VerificationTask,
)

__all__ = [
    "Agency",
    "AgencyConfirmationRequest",
    "AgencySocialAccount",
    "DirectoryCategory",
    "DirectoryIndexPage",
    "DirectoryListingPage",
    "District",
    "Evidence",
    "HoaxCategory",
    "HomePage",
    "IndonesianTimeZone",
    "KimGroup",
    "KimGroupApiKey",
    "KimMember",
    "KimSocialAccount",
    "KimSubmission",
    "ListingPhoto",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "PublishRefused",
    "SiteProfile",
    "SocialPlatform",
    "SubmissionPhoto",
    "Verdict",
    "VerdictChoice",
    "VerificationEvent",
    "VerificationTask",
    "Village",
]
