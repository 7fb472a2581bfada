"""schema.org data for news pages: NewsArticle for every item, ClaimReview for fact-check clarifications.

Search engines and fact-check aggregators read these (Google's Fact Check Explorer lists ClaimReview), so a
clarification of a hoax is found by people searching for the hoax. Plain dicts: the page template, the
static build and the feeds serialise the same data.
"""

import json

from django.utils.safestring import mark_safe

from cms.models.verification import CLARIFICATION_PREFIXES, CLARIFICATION_VERDICTS, VerdictChoice

# ClaimReview wants a numeric rating on a stated scale; alternateName carries the fact-checkers' own words.
RATING = {
    VerdictChoice.FALSE: 1,
    VerdictChoice.MISLEADING: 2,
    VerdictChoice.PARTLY_TRUE: 3,
    VerdictChoice.TRUE: 5,
}

# Like django.utils.html.json_script: nothing in the data can close the <script> element or open a comment.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def claim_from_title(title: str) -> str:
    """ "[HOAKS] Air rebusan daun X menyembuhkan Y" reviews the claim "Air rebusan daun X menyembuhkan Y"."""
    text = (title or "").strip()
    for prefix in CLARIFICATION_PREFIXES:
        if text.upper().startswith(prefix):
            return text[len(prefix) :].strip(" :-–—")
    return text


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def news_article(*, page, url: str, image_url: str | None, publisher: str, publisher_url: str) -> dict:
    organisation = {"@type": "Organization", "name": publisher, "url": publisher_url}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.lead,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": page.locale.language_code if page.locale_id else "id",
        "datePublished": _iso(page.first_published_at),
        "dateModified": _iso(page.last_published_at or page.first_published_at),
        "author": organisation,
        "publisher": organisation,
    }
    if image_url:
        data["image"] = [image_url]
    return {key: value for key, value in data.items() if value is not None}


def claim_review(*, page, verdict, url: str, publisher: str, publisher_url: str) -> dict | None:
    """ClaimReview for a published clarification (a Salah (Hoaks) or Menyesatkan verdict), else None."""
    if verdict is None or verdict.verdict not in CLARIFICATION_VERDICTS:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "datePublished": _iso(page.first_published_at or verdict.decided_at),
        "claimReviewed": claim_from_title(page.title),
        "author": {"@type": "Organization", "name": publisher, "url": publisher_url},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING[verdict.verdict],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": str(verdict.get_verdict_display()),
        },
        "itemReviewed": {"@type": "Claim"},
    }


def script_tag(data: dict | list) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above
