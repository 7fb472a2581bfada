"""The OpenAPI 3.1 document of the app API, as a Python dict: the static files under /api/v1/, search and the
KIM submission endpoints, each with a JSON Schema (draft 2020-12).

The build writes it to api/v1/openapi.json (sitegen.api); tests/sitegen/test_api.py validates the document as
OpenAPI 3.1 and every generated file against the schema of the path it is served at. Objects are closed
(``additionalProperties: false``), so a field added to a file without being described here fails the tests.
"""

from cms.models.submissions import STORY_MAX_LENGTH, TITLE_MAX_LENGTH
from cms.selectors import SEARCH_MAX_LENGTH

OPENAPI_VERSION = "3.1.0"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Kept here (not in sitegen.api) so the view, the build and the document cannot disagree.
NEWS_PER_PAGE = 20
LISTINGS_PER_PAGE = 50
SEARCH_PER_PAGE = 20
CHANGES_WINDOW_DAYS = 90
CHANGES_OVERLAP_MINUTES = 10

VERDICTS = ["true", "partly_true", "misleading", "false"]
DIRECTORY_CATEGORIES = ["wisata", "kesehatan", "kuliner", "hotel", "kontak", "layanan"]

STRING = {"type": "string"}
TEXT = {"type": "string", "description": "Plain text; may be empty."}
ID = {"type": "integer", "minimum": 1, "description": "Stable id: the page's or record's primary key."}
INTEGER = {"type": "integer", "minimum": 0}
URL = {"type": "string", "format": "uri"}
TIME = {"type": "string", "format": "date-time", "description": "ISO 8601 with the site's zone offset."}
DATE = {"type": "string", "format": "date"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _null(schema: dict) -> dict:
    """The schema or null."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema["type"]
    return {**schema, "type": [*(kind if isinstance(kind, list) else [kind]), "null"]}


def _obj(properties: dict, *, optional: tuple = (), description: str = "") -> dict:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(name for name in properties if name not in optional),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


def _array(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, **extra}


def _const(value: str) -> dict:
    return {"type": "string", "const": value}


# Item shapes ------------------------------------------------------------------------------------------------

NEWS_SUMMARY = {
    "id": ID,
    "type": _const("news"),
    "title": STRING,
    "lead": TEXT,
    "url": {**URL, "description": "The public page of the item."},
    "api_url": {**URL, "description": "The item document (news/<id>.json)."},
    "published": _null(TIME),
    "updated": _null({**TIME, "description": "Last publication or correction."}),
    "categories": _array(_ref("CategoryRef")),
    "region": _null(_ref("Region")),
    "thumbnail": _null(_ref("Image")),
    "verdict": {"type": ["string", "null"], "enum": [*VERDICTS, None]},
    "clarification": {
        "type": "boolean",
        "description": "A clarification of a hoax or misleading claim (verdict false or misleading).",
    },
}

NEWS_ITEM = {
    **NEWS_SUMMARY,
    "hero_image": _null(_ref("Image")),
    "body": _array(_ref("Block")),
    "tags": _array(STRING),
    "source": _ref("Source"),
    "related_agency": _null(_ref("AgencyRef")),
    "verification": _null(_ref("Verification")),
    "corrections": _array(_ref("Correction")),
    "claim_review": _null(_ref("ClaimReview")),
    "video": _null(_obj({"url": URL})),
    "version": {**STRING, "description": "Changes whenever this document's bytes change (see changes.json)."},
}

LISTING_SUMMARY = {
    "id": ID,
    "type": _const("listing"),
    "title": STRING,
    "category": _ref("DirectoryCategoryRef"),
    "subcategory": TEXT,
    "address": TEXT,
    "region": _null(_ref("Region")),
    "location": _null(_obj({"latitude": {"type": "number"}, "longitude": {"type": "number"}})),
    "phone": _null(STRING),
    "whatsapp": _null({**STRING, "description": "International form, +62…"}),
    "url": URL,
    "api_url": URL,
    "updated": _null(TIME),
    "last_verified": {**DATE, "description": "When someone last checked these details on the spot or by phone."},
    "thumbnail": _null(_ref("Image")),
}

LISTING_ITEM = {
    **LISTING_SUMMARY,
    "description": TEXT,
    "email": _null({"type": "string", "format": "email"}),
    "website": _null(URL),
    "facebook": _null(URL),
    "instagram": _null(URL),
    "whatsapp_url": _null(URL),
    "opening_hours": _array(_ref("OpeningHours")),
    "agency": _null(_ref("AgencyRef")),
    "photos": _array(_obj({"image": _ref("Image"), "caption": TEXT})),
    "version": {**STRING, "description": "Changes whenever this document's bytes change (see changes.json)."},
}

NEWS_FILTER = {
    "oneOf": [
        _obj({"kind": _const("all")}),
        _obj({"kind": _const("clarifications")}),
        _obj({"kind": _const("category"), "category": _ref("CategoryRef")}),
        _obj(
            {
                "kind": _const("region"),
                "region": _obj({"level": {"enum": ["district", "village"]}, "code": STRING, "name": STRING}),
            }
        ),
    ]
}

LISTING_FILTER = {
    "oneOf": [
        _obj({"kind": _const("all")}),
        _obj({"kind": _const("category"), "category": _ref("DirectoryCategoryRef")}),
    ]
}


def _list(items: dict, filter_schema: dict, description: str) -> dict:
    return _obj(
        {
            "filter": filter_schema,
            "per_page": {"type": "integer", "minimum": 1},
            "page": _null({"type": "integer", "minimum": 1}),
            "total": {**INTEGER, "description": "Items in the whole list (in the list's first document only)."},
            "first": {**URL, "description": "The list's first document."},
            "next": _null(
                {**URL, "description": "The next (older, or further) document of the list; null at its end."}
            ),
            "items": _array(items),
        },
        optional=("total",),
        description=description,
    )


SOCIAL = _array(
    _obj(
        {
            "platform": {"enum": ["facebook", "instagram", "youtube", "tiktok", "x", "whatsapp", "website"]},
            "url": URL,
        }
    )
)

SCHEMAS = {
    "Rendition": _obj(
        {"width": INTEGER, "height": INTEGER, "jpeg": URL, "webp": URL},
        description="One size of an image, as JPEG and as WebP (smaller; use it where the phone decodes WebP).",
    ),
    "Image": _obj(
        {"alt": TEXT, "renditions": _array(_ref("Rendition"), minItems=1)},
        description="An image in the sizes phones need, smallest first. Pick the smallest at least as wide as the "
        "space it fills times the screen density.",
    ),
    "CategoryRef": _obj({"id": ID, "slug": STRING, "name": STRING}),
    "DirectoryCategoryRef": _obj({"slug": {"enum": DIRECTORY_CATEGORIES}, "label": STRING}),
    "Place": _obj(
        {"code": {**STRING, "description": "Kemendagri code, e.g. 16.03.01 or 16.03.01.2001."}, "name": STRING}
    ),
    "Region": _obj({"district": _ref("Place"), "village": _null(_ref("Place"))}),
    "AgencyRef": _obj({"id": ID, "name": STRING, "abbreviation": TEXT, "website": _null(URL)}),
    "Source": _obj(
        {
            "kind": {"enum": ["media_center", "agency", "kim"]},
            "label": STRING,
            "agency": _null(_ref("AgencyRef")),
            "kim_group": _null(_obj({"id": ID, "name": STRING})),
        },
        description="Who the news came from: the office's media centre, an agency (OPD) or a KIM group.",
    ),
    "Verification": _obj(
        {
            "verdict": {"enum": VERDICTS},
            "label": STRING,
            "category": _null({"type": "string", "description": "Kind of misinformation (clarifications only)."}),
            "category_label": _null(STRING),
            "summary": TEXT,
            "decided_at": TIME,
        },
        description="What verification found, as the public page says it.",
    ),
    "Correction": _obj({"at": TIME, "note": TEXT}),
    "ClaimReview": _obj(
        {
            "@context": _const("https://schema.org"),
            "@type": _const("ClaimReview"),
            "url": URL,
            "datePublished": {"type": "string", "format": "date-time"},
            "claimReviewed": STRING,
            "author": _obj({"@type": _const("Organization"), "name": STRING, "url": URL}),
            "reviewRating": _obj(
                {
                    "@type": _const("Rating"),
                    "ratingValue": {"type": "integer", "minimum": 1, "maximum": 5},
                    "bestRating": {"const": 5},
                    "worstRating": {"const": 1},
                    "alternateName": STRING,
                }
            ),
            "itemReviewed": _obj({"@type": _const("Claim")}),
        },
        description="schema.org ClaimReview of a clarification, the same data as the public page's JSON-LD.",
    ),
    "Block": {
        "description": "One block of the body, in order.",
        "oneOf": [
            _obj(
                {
                    "type": _const("paragraph"),
                    "html": {
                        **STRING,
                        "description": "Sanitised HTML: p, h2-h4, b, "
                        "strong, i, em, ol, ul, li, br, sub, sup and a with an absolute href.",
                    },
                }
            ),
            _obj({"type": _const("image"), "image": _ref("Image"), "caption": TEXT, "credit": TEXT}),
            _obj({"type": _const("quote"), "text": TEXT, "attribution": TEXT}),
            _obj({"type": _const("embed"), "url": URL}),
        ],
    },
    "OpeningHours": _obj(
        {
            "days": {"enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "daily", "weekdays"]},
            "days_label": STRING,
            "opens": _null({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}),
            "closes": _null({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}),
            "note": TEXT,
        }
    ),
    "NewsSummary": _obj(NEWS_SUMMARY, description="A news item as lists show it."),
    "NewsItem": _obj(NEWS_ITEM, description="A news item's document: its summary and everything its page shows."),
    "ListingSummary": _obj(LISTING_SUMMARY, description="A directory listing as lists show it."),
    "ListingItem": _obj(LISTING_ITEM, description="A directory listing's document."),
    "NewsList": _list(
        _ref("NewsSummary"),
        NEWS_FILTER,
        f"A news list, newest first. The first document (index.json) holds the newest {NEWS_PER_PAGE} to "
        f"{2 * NEWS_PER_PAGE - 1} items and `total`; `next` leads to older pages. Pages are numbered from the oldest "
        f"(page/1.json holds the oldest {NEWS_PER_PAGE}), so publishing news changes only the first document and a "
        "cached page stays valid until an item on it is edited or removed.",
    ),
    "ListingList": _list(
        _ref("ListingSummary"),
        LISTING_FILTER,
        f"A directory list in alphabetical order, {LISTINGS_PER_PAGE} per document: index.json is page 1, "
        "page/2.json the next.",
    ),
    "Index": _obj(
        {
            "api_version": {"const": 1},
            "site": _obj(
                {
                    "name": STRING,
                    "office_name": TEXT,
                    "tagline": TEXT,
                    "url": URL,
                    "regency_code": TEXT,
                    "language": STRING,
                    "time_zone": {"enum": ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]},
                    "zone_abbreviation": {"enum": ["WIB", "WITA", "WIT"]},
                    "contacts": _obj(
                        {
                            "address": TEXT,
                            "phone": _null(STRING),
                            "whatsapp": _null(STRING),
                            "whatsapp_url": _null(URL),
                            "email": _null({"type": "string", "format": "email"}),
                        }
                    ),
                    "social": _obj({name: _null(URL) for name in ("facebook", "instagram", "youtube", "x", "tiktok")}),
                }
            ),
            "emergency": _null(
                _obj(
                    {"title": STRING, "message": TEXT, "url": _null(URL), "since": TIME},
                    description="Reserved for an emergency banner the app shows above everything; null for now.",
                )
            ),
            "counts": _obj({"news": INTEGER, "clarifications": INTEGER, "listings": INTEGER}),
            "links": _obj(
                {
                    name: URL
                    for name in (
                        "news",
                        "clarifications",
                        "directory",
                        "regions",
                        "agencies",
                        "kim_groups",
                        "changes",
                        "openapi",
                        "search",
                        "submissions",
                    )
                }
            ),
            "news_categories": _array(
                _obj({"id": ID, "slug": STRING, "name": STRING, "count": INTEGER, "api_url": URL})
            ),
            "directory_categories": _array(
                _obj({"slug": {"enum": DIRECTORY_CATEGORIES}, "label": STRING, "count": INTEGER, "api_url": URL})
            ),
        },
        description="What exists: the site, counts, and a link to every list and reference file.",
    ),
    "Regions": _obj(
        {
            "districts": _array(
                _obj(
                    {
                        "id": ID,
                        "code": STRING,
                        "name": STRING,
                        "news_api_url": URL,
                        "villages": _array(
                            _obj(
                                {
                                    "id": ID,
                                    "code": STRING,
                                    "name": STRING,
                                    "kind": {"enum": ["desa", "kelurahan"]},
                                    "kind_label": STRING,
                                    "news_api_url": URL,
                                }
                            )
                        ),
                    }
                )
            )
        },
        description="Districts (kecamatan) and their villages (desa/kelurahan) by Kemendagri code, each with the "
        "news list of that region.",
    ),
    "Agencies": _obj(
        {
            "agencies": _array(
                _obj(
                    {
                        "id": ID,
                        "name": STRING,
                        "abbreviation": TEXT,
                        "description": TEXT,
                        "website": _null(URL),
                        "address": TEXT,
                        "phone": _null(STRING),
                        "email": _null({"type": "string", "format": "email"}),
                        "social": SOCIAL,
                    }
                )
            )
        },
        description="The regional government agencies (OPD) and their public contacts.",
    ),
    "KimGroups": _obj(
        {
            "kim_groups": _array(
                _obj(
                    {
                        "id": ID,
                        "name": STRING,
                        "village": _ref("Place"),
                        "district": _ref("Place"),
                        "social": SOCIAL,
                    }
                )
            )
        },
        description="The active KIM groups (community information groups) and where they are.",
    ),
    "Change": _obj(
        {
            "id": ID,
            "type": {"enum": ["news", "listing"]},
            "action": {"enum": ["upsert", "delete"]},
            "at": TIME,
            "api_url": _null({**URL, "description": "The item document to fetch; null for a delete."}),
            "version": _null({**STRING, "description": "The version of that document; null for a delete."}),
        }
    ),
    "Changes": _obj(
        {
            "window_days": {"const": CHANGES_WINDOW_DAYS},
            "from": _null({**TIME, "description": "Changes at or after this time are listed; null: none ever."}),
            "latest": _null({**TIME, "description": "The newest change: store it as your next `since`."}),
            "references": _obj(
                {
                    name: _obj({"url": URL, "version": STRING})
                    for name in ("index", "regions", "agencies", "kim_groups")
                },
                description="Reference files with a version each: fetch one again when its version changes.",
            ),
            "changes": _array(_ref("Change"), description="One entry per item, its latest change, newest first."),
        },
        description="What changed in the last days, so the app fetches only that (see the sync rules above).",
    ),
    "SearchResults": _obj(
        {
            "query": STRING,
            "type": {"type": ["string", "null"], "enum": ["news", "listing", None]},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "per_page": {"const": SEARCH_PER_PAGE},
            "total": INTEGER,
            "next": _null(URL),
            "previous": _null(URL),
            "items": _array({"oneOf": [_ref("NewsSummary"), _ref("ListingSummary")]}),
        },
        description="Published news and directory listings matching the query, best match first, in the same "
        "summary shapes as the lists.",
    ),
    "Error": _obj({"error": {**STRING, "description": "What went wrong and what to do, in the Accept-Language."}}),
    "FieldErrors": {
        "type": "object",
        "additionalProperties": False,
        "required": ["errors"],
        "properties": {"errors": {"type": "object", "additionalProperties": _array(STRING, minItems=1)}},
        "description": "Per-field messages (the field name, or __all__), in the Accept-Language.",
    },
    "SubmissionInput": {
        "type": "object",
        "required": ["contributor_name", "contributor_phone", "title", "story", "category", "village", "event_date"],
        "properties": {
            "contributor_name": {"type": "string", "minLength": 2, "maxLength": 120},
            "contributor_phone": {"type": "string", "maxLength": 30, "description": "Never published."},
            "title": {"type": "string", "minLength": 5, "maxLength": TITLE_MAX_LENGTH},
            "story": {"type": "string", "minLength": 20, "maxLength": STORY_MAX_LENGTH},
            "category": {"type": "string", "description": "A news category's slug (see index.json)."},
            "village": {"type": "string", "description": "The village's Kemendagri code (see regions.json)."},
            "event_date": {"type": "string", "description": "2026-08-17, 17/08/2026, 17-08-2026 or 17.08.2026."},
            "link": {"type": "string", "maxLength": 500, "description": "Optional http(s) address."},
        },
    },
    "SubmissionReceipt": _obj(
        {
            "receipt": {"type": "string", "pattern": "^SIAR-[0-9A-Z]{4}-[0-9A-Z]{4}$"},
            "duplicate": {"type": "boolean", "description": "True when the same story was already received."},
            "status_url": URL,
        }
    ),
    "SubmissionStatus": _obj(
        {
            "receipt": STRING,
            "title": STRING,
            "group": STRING,
            "received_at": {"type": "string", "format": "date-time"},
            "status": {"enum": ["received", "in_verification", "published", "not_published"]},
            "status_label": STRING,
            "published_url": _null(URL),
            "reason": TEXT,
            "status_url": URL,
        }
    ),
}


# Paths ------------------------------------------------------------------------------------------------------


def _json_response(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _error(description: str, **headers) -> dict:
    response = _json_response("Error", description)
    if headers:
        response["headers"] = headers
    return response


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 1}}}
PAGE_PARAMETER = {
    "name": "page",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
    "description": "Follow `next` links rather than counting pages.",
}


def _file(operation_id: str, schema: str, summary: str, parameters: tuple = ()) -> dict:
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["files"],
        "responses": {
            "200": _json_response(schema, "The file (send If-None-Match / If-Modified-Since: unchanged is 304)."),
            "404": {"description": "No such file."},
        },
    }
    if parameters:
        operation["parameters"] = list(parameters)
    return {"get": operation}


def _path_parameter(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


SLUG = _path_parameter("slug", {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}, "A news category's slug.")
CODE = _path_parameter(
    "code", {"type": "string", "pattern": r"^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$"}, "A district or village code."
)
CATEGORY = _path_parameter("category", {"enum": DIRECTORY_CATEGORIES}, "A directory category.")
ITEM_ID = _path_parameter("id", {"type": "integer", "minimum": 1}, "The item's id.")


def _paths(prefix: str) -> dict:
    def lists(name: str, base: str, schema: str, what: str, parameters: tuple = ()) -> dict:
        return {
            f"{prefix}/{base}/index.json": _file(f"{name}First", schema, f"{what}: first document", parameters),
            f"{prefix}/{base}/page/{{page}}.json": _file(
                f"{name}Page", schema, f"{what}: a further page", (*parameters, PAGE_PARAMETER)
            ),
        }

    paths = {
        f"{prefix}/index.json": _file("index", "Index", "What exists, and where"),
        f"{prefix}/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "tags": ["files"],
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
            }
        },
        **lists("newsList", "news", "NewsList", "All news"),
        **lists("newsCategoryList", "news/category/{slug}", "NewsList", "News of one category", (SLUG,)),
        **lists("newsRegionList", "news/region/{code}", "NewsList", "News of one district or village", (CODE,)),
        f"{prefix}/news/{{id}}.json": _file("newsItem", "NewsItem", "One news item", (ITEM_ID,)),
        f"{prefix}/clarifications.json": _file("clarifications", "NewsList", "Clarifications of hoaxes: first"),
        f"{prefix}/clarifications/page/{{page}}.json": _file(
            "clarificationsPage", "NewsList", "Clarifications of hoaxes: a further page", (PAGE_PARAMETER,)
        ),
        **lists("directoryList", "directory", "ListingList", "The directory"),
        **lists("directoryCategoryList", "directory/category/{category}", "ListingList", "One category", (CATEGORY,)),
        f"{prefix}/directory/{{id}}.json": _file("listingItem", "ListingItem", "One directory listing", (ITEM_ID,)),
        f"{prefix}/regions.json": _file("regions", "Regions", "Districts and villages"),
        f"{prefix}/agencies.json": _file("agencies", "Agencies", "Agencies (OPD)"),
        f"{prefix}/kim-groups.json": _file("kimGroups", "KimGroups", "KIM groups"),
        f"{prefix}/changes.json": _file("changes", "Changes", "What changed lately"),
        f"{prefix}/search/": {
            "get": {
                "operationId": "search",
                "summary": "Search published news and directory listings",
                "tags": ["dynamic"],
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "maxLength": SEARCH_MAX_LENGTH},
                    },
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                    {"name": "type", "in": "query", "schema": {"enum": ["news", "listing"]}},
                ],
                "responses": {
                    "200": _json_response("SearchResults", "Results (cacheable for a minute)."),
                    "400": _error("Empty or over-long q, or a bad page or type."),
                    "404": _error("A page past the last one."),
                    "429": _error(
                        "Too many searches from this address; retry after Retry-After seconds.", **RETRY_AFTER
                    ),
                },
            }
        },
        f"{prefix}/submissions/": {
            "post": {
                "operationId": "submissionCreate",
                "summary": "Send a KIM group's story for verification",
                "tags": ["dynamic"],
                "security": [{"kimGroupKey": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "allOf": [_ref("SubmissionInput")],
                                "properties": {
                                    "photos": _array(
                                        {"type": "string", "contentMediaType": "application/octet-stream"},
                                        description="JPEG, PNG, WebP or HEIC photos.",
                                    )
                                },
                            }
                        },
                        "application/json": {"schema": _ref("SubmissionInput")},
                    },
                },
                "responses": {
                    "201": _json_response("SubmissionReceipt", "Received: keep the receipt code."),
                    "200": _json_response("SubmissionReceipt", "The same story was already received."),
                    "400": {
                        "description": "A field to fix, or a body that is not a JSON object.",
                        "content": {"application/json": {"schema": {"oneOf": [_ref("FieldErrors"), _ref("Error")]}}},
                    },
                    "401": _error("Missing, unknown or revoked key."),
                    "429": _error("Too many submissions; retry after Retry-After seconds.", **RETRY_AFTER),
                },
            }
        },
        f"{prefix}/submissions/{{receipt}}/": {
            "get": {
                "operationId": "submissionStatus",
                "summary": "The public status of a submission",
                "tags": ["dynamic"],
                "parameters": [_path_parameter("receipt", {"type": "string"}, "The receipt code, SIAR-XXXX-XXXX.")],
                "responses": {
                    "200": _json_response("SubmissionStatus", "The status."),
                    "404": _error("No submission has this receipt code."),
                },
            }
        },
    }
    return paths


DESCRIPTION = f"""\
The public content of the site for the mobile app: static JSON files, rebuilt whenever something is published,
plus two dynamic endpoints (search, KIM submissions). Only published, verified items appear; withdrawn,
expired, unpublished and deleted items appear only as `delete` entries of the changes feed, never with content.

**Ids** are stable (the item's primary key); addresses are absolute; times are ISO 8601 with the site's zone
offset (WIB +07:00, WITA +08:00, WIT +09:00). Files answer conditional requests: send `If-None-Match` /
`If-Modified-Since`, and an unchanged file costs a 304. Labels are in Bahasa Indonesia.

**Lists.** News lists are newest first; their first document holds the newest items ({NEWS_PER_PAGE} to
{2 * NEWS_PER_PAGE - 1} once the list is that long) and `next` leads to older pages. Pages are numbered from
the oldest, so publishing changes only the first document: a cached older page stays valid. The directory is
alphabetical, {LISTINGS_PER_PAGE} per document. Always follow `next`; never build page addresses yourself.

**Sync.** Keep `since` (the `latest` of the last changes feed you applied) and the `version` of each reference file.
1. First start, or `since` is null or older than the feed's `from` (the feed covers {CHANGES_WINDOW_DAYS} days):
   load index.json and the lists you show, replacing what you had; then store the feed's `latest` as `since`.
   (All times carry the site's one offset, so they also compare correctly as strings.)
2. Otherwise GET changes.json and apply every entry whose `at` is at or after `since` minus
   {CHANGES_OVERLAP_MINUTES} minutes (a change is stamped when it is made and reaches a release moments later,
   so an entry may appear with a time just before your `since`): `delete` — drop the item (by `type` and `id`)
   from every cache and list; `upsert` — unless the copy you hold has the entry's `version`, fetch `api_url`
   and replace your copy (and its summary in the lists you keep). Then store `latest` as `since`. Entries
   carry only the latest change of each item, so an item edited five times costs one download.
3. For each of `references` whose `version` differs from the one you stored, fetch that file again. Names of
   categories, regions and agencies inside items you cached may be older than these files: show the names from
   the reference files (match by id or code).
"""


def openapi_document(*, server_url: str, api_prefix: str = "/api/v1") -> dict:
    """The OpenAPI document of this site's API (the server is the site's own address)."""
    return {
        "openapi": OPENAPI_VERSION,
        "jsonSchemaDialect": DIALECT,
        "info": {
            "title": "Siar app API",
            "version": "1",
            "description": DESCRIPTION,
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": server_url}],
        "tags": [
            {"name": "files", "description": "Static files, rebuilt on publication."},
            {"name": "dynamic", "description": "Answered by the application server."},
        ],
        "paths": _paths(api_prefix),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "kimGroupKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The key the office issued to a KIM group: Authorization: Bearer <key>.",
                }
            },
        },
    }
