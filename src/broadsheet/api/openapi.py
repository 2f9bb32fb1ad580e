"""The OpenAPI 3.1 description of API version 1, served at /api/v1/openapi.json.

Built per request so that the limits it states are the tunables in force.
tests/api/test_openapi.py holds it to the URL patterns and the views.
"""

from __future__ import annotations

from typing import Any

from broadsheet.conf import conf
from broadsheet.discussion.forms import CommentForm, name_limit
from broadsheet.newsroom.indexing import LONGEST_WORD
from broadsheet.search.query import MAX_LENGTH, MAX_WORDS

Schema = dict[str, Any]


def _ref(name: str, kind: str = "schemas") -> Schema:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(schema: Schema, description: str, **extra: Any) -> Schema:
    content = {"application/json": {"schema": schema}}
    return {"description": description, "content": content, **extra}


_TIME = {"type": "string", "format": "date-time"}
_TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
_URL = {"type": "string", "format": "uri"}
# A timed block's 403: the seconds until it lifts (absent for a block for good, or
# for any other refusal).
_BLOCK_LEFT = {
    "schema": {"type": "integer", "minimum": 1},
    "description": "Only when the author is blocked for a time: seconds until the block ends.",
}


# Some character other than white space, anywhere in the text.
_SEEN = r"^[\s\S]*\S[\s\S]*$"


# What a name may not hold anywhere but at its ends, where it is trimmed away: a line
# break (as str.splitlines finds one), the controls and noncharacters of the Basic
# Multilingual Plane that markup.NOT_IN_HTML refuses, and lone surrogates.
_NOT_IN_NAME = r"\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
# The white space normalize_text trims from the ends (str.strip's), spelled out: regular
# expression engines disagree on what \s holds.
_OUTER_SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_NAME = (
    f"^[{_OUTER_SPACE}]*[^{_NOT_IN_NAME}]*[^{_NOT_IN_NAME}{_OUTER_SPACE}][^{_NOT_IN_NAME}]*"
    f"[{_OUTER_SPACE}]*$"
)


def _form_limit(name: str) -> int:
    limit = getattr(CommentForm.base_fields[name], "max_length", None)
    assert isinstance(limit, int), name
    return limit


def _text(limit: int) -> Schema:
    """A text the form requires: lengths count code points once outer white space is
    trimmed, and text of nothing but white space is missing.

    The pattern is anchored and spelled out where a bare ``\\S`` would do: Schemathesis
    folds an unanchored pattern and the lengths into ``^\\S{1,n}$``, and would then
    send no text with a space in it.
    """
    return {"type": "string", "minLength": 1, "maxLength": limit, "pattern": _SEEN}


def _schemas() -> dict[str, Schema]:
    email = {"type": "string", "format": "email", "maxLength": _form_limit("author_email")}
    public_comment: dict[str, Schema] = {
        "id": {"type": "integer"},
        "parent_id": {
            "type": ["integer", "null"],
            "description": "The comment this one answers. It may not be in the list: "
            "only approved comments are.",
        },
        "author_name": {"type": "string"},
        "author_url": {"type": "string", "description": "Empty when the author gave none."},
        "body": {
            "type": "string",
            "description": "The text as the author wrote it (a Markdown subset), with "
            "line endings as \\n and outer white space trimmed.",
        },
        "body_html": {"type": "string", "description": "The body rendered and sanitized."},
        "created_at": _TIME,
        "edited_at": _TIME_OR_NULL,
        "featured": {
            "type": "boolean",
            "description": "Among its article's editors' picks, which moderators chose.",
        },
        "url": {**_URL, "description": "The comment's permalink on the site."},
    }
    own: dict[str, Schema] = {
        "status": {
            "type": "string",
            "enum": ["approved", "pending"],
            "description": "pending: waiting for a moderator; not shown to readers yet.",
        },
        "editable_until": {
            **_TIME,
            "description": "The author may change or delete the comment until then.",
        },
        **public_comment,
    }
    article: dict[str, Schema] = {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "url": _URL,
        "published_at": _TIME,
        "comment_count": {"type": "integer", "description": "Approved comments."},
        "comments_open": {
            "type": "boolean",
            "description": "Whether the article accepts comments now.",
        },
        "comments_held": {
            "type": "boolean",
            "description": "Whether every comment posted now waits for a moderator "
            "before it is shown (the article's own comment policy, or the site's).",
        },
    }
    return {
        "Article": _object(article),
        "SearchResult": _object(
            {
                **article,
                "excerpt": {
                    "type": "string",
                    "description": "Plain text: a few dozen words of the body around the "
                    "words found, with … where it is cut; the summary (perhaps empty) when "
                    "only the headline, summary, section, tags or byline hold them.",
                },
            }
        ),
        "SearchPage": _page("Articles found, on all pages.", "SearchResult"),
        "Comment": _object(public_comment),
        "CommentPage": _page("Approved comments in all.", "Comment"),
        "OwnComment": _object(own),
        "PostedComment": _object(
            {
                "edit_token": {
                    "type": "string",
                    "description": "Shown this once: keep it to edit or delete the comment.",
                },
                **own,
            }
        ),
        "NewComment": {
            "type": "object",
            "additionalProperties": False,
            "required": ["author_name", "body"],
            "properties": {
                "author_name": {
                    **_text(name_limit()),
                    "pattern": _NAME,
                    "description": "One line, once white space at its ends is trimmed, "
                    "without control characters (tab aside) or noncharacters, and with at "
                    "least one character that can be seen: format characters (zero-width "
                    "spaces and joiners, direction marks), lone combining marks and blank "
                    "letters such as U+3164 do not count, which the pattern cannot say. The "
                    "pattern also cannot name the noncharacters beyond U+FFFF, which are "
                    "refused too.",
                },
                "author_email": {
                    # "" is an empty field of the web form: no address, as null is.
                    "anyOf": [email, {"const": ""}, {"type": "null"}],
                    "description": "Never shown.",
                },
                "author_url": {
                    "type": ["string", "null"],
                    "maxLength": _form_limit("author_url"),
                    "description": "An http or https address; one given without a scheme "
                    "(example.org/me) is stored with https://, which counts toward the "
                    "length. Empty or null: none.",
                },
                "body": _text(conf.COMMENT_MAX_LENGTH),
                "parent_id": {
                    "type": ["integer", "null"],
                    "minimum": 1,
                    "description": "An approved comment on the same article.",
                },
                "notify_replies": {
                    "type": ["boolean", "null"],
                    "default": False,
                    "description": "E-mail author_email (required then) when a reply to "
                    "this comment is shown. The first time an address asks, it is sent "
                    "one e-mail to confirm it is theirs; nothing else is sent to it until "
                    "then.",
                },
            },
            # Replies are e-mailed to an address, which must then be given.
            "if": {
                "required": ["notify_replies"],
                "properties": {"notify_replies": {"const": True}},
            },
            "then": {"required": ["author_email"], "properties": {"author_email": email}},
            "description": "author_name may not be a member of staff's name (a 400 on "
            "author_name). Lengths count Unicode code points.",
        },
        "CommentEdit": {
            "type": "object",
            "additionalProperties": False,
            "required": ["body"],
            "properties": {"body": _text(conf.COMMENT_MAX_LENGTH)},
        },
        "Errors": _object(
            {
                "errors": {
                    "type": "object",
                    "description": 'Messages by field; "__all__" holds those about the '
                    "request as a whole.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                }
            }
        ),
    }


def _object(properties: dict[str, Schema]) -> Schema:
    return {"type": "object", "required": list(properties), "properties": properties}


def _page_number(items: str) -> Schema:
    """The ``page`` parameter of a paged list of ``items``."""
    return {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999, "default": 1},
        "description": f"Pages hold {conf.API_PAGE_SIZE} {items}.",
    }


def _page(counted: str, item: str) -> Schema:
    """A page of a paged list: how many in all (``counted``), the next page's address,
    and this page's ``item`` objects."""
    return _object(
        {
            "count": {"type": "integer", "description": counted},
            "next": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The next page, or null on the last.",
            },
            "results": {"type": "array", "items": _ref(item)},
        }
    )


def _responses() -> dict[str, Schema]:
    errors = _ref("Errors")
    bearer = {
        "schema": {"type": "string"},
        "description": 'Bearer realm="broadsheet"',
        "required": True,
    }
    retry_after = {
        "schema": {"type": "integer"},
        "description": "Seconds to wait before trying again.",
        "required": True,
    }
    return {
        "NotModified": {"description": "The ETag sent in If-None-Match still holds."},
        "BadRequest": _json(errors, "The request or one of its fields is invalid."),
        "Unauthorized": _json(
            errors,
            "The Authorization header is missing or holds another comment's token.",
            headers={"WWW-Authenticate": bearer},
        ),
        "NotFound": _json(errors, "No such article, comment or page."),
        "TooLarge": _json(errors, "The request body is larger than the server accepts."),
        "NotJson": _json(errors, "The body is not sent as application/json (UTF-8)."),
        "TooManySearches": _json(
            errors,
            "Too many searches from this address in a minute (the site's search page counts too).",
            headers={"Retry-After": retry_after},
        ),
        "TooMany": _json(
            errors, "Too many comments too fast.", headers={"Retry-After": retry_after}
        ),
        "Unavailable": _json(
            errors,
            "The site's database or cache is not answering (restarting, unreachable), or "
            "nothing can be stored (the disk full or read-only): nothing was changed; try "
            "again after Retry-After seconds.",
            headers={"Retry-After": retry_after},
        ),
    }


def _unavailable(paths: dict[str, Schema]) -> dict[str, Schema]:
    """``paths`` with a 503 for each operation that reads the database or the cache:
    every one but this document's, which is drawn from the code and settings alone."""
    for path, item in paths.items():
        for method, operation in item.items():
            if method != "parameters" and path != "/openapi.json":
                operation["responses"]["503"] = _ref("Unavailable", "responses")
    return paths


def _link(operation: str, **parameters: str) -> Schema:
    return {"operationId": operation, "parameters": parameters}


def _own(operation: str) -> Schema:
    """The comment just posted, with its token in the header the operation's security
    scheme names (an embedded runtime expression, as OpenAPI allows)."""
    parameters = {
        "path.id": "$response.body#/id",
        "header.Authorization": "Bearer {$response.body#/edit_token}",
    }
    return _link(operation, **parameters)


_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _paths() -> dict[str, Schema]:
    token_only: list[dict[str, list[str]]] = [{"editToken": []}]
    return {
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document.",
                "responses": {
                    "200": {"description": "The OpenAPI document.", "content": {
                        "application/json": {"schema": {"type": "object"}}}},
                    "304": _ref("NotModified", "responses"),
                },
            }
        },
        "/articles/{slug}": {
            "parameters": [_SLUG],
            "get": {
                "operationId": "getArticle",
                "summary": "A published article and the state of its discussion.",
                "responses": {
                    "200": _json(_ref("Article"), "The article.", links={
                        "ListComments": _link("listComments", slug="$response.body#/slug"),
                        "PostComment": _link("postComment", slug="$response.body#/slug"),
                    }),
                    "304": _ref("NotModified", "responses"),
                    "404": _ref("NotFound", "responses"),
                },
            },
        },
        "/articles/{slug}/comments": {
            "parameters": [_SLUG],
            "get": {
                "operationId": "listComments",
                "summary": "The article's approved comments, flat, by time.",
                "parameters": [
                    {"name": "order", "in": "query", "schema": {
                        "type": "string", "enum": ["oldest", "newest"], "default": "oldest"}},
                    _page_number("comments"),
                ],
                "responses": {
                    "200": _json(_ref("CommentPage"), "One page of comments."),
                    "304": _ref("NotModified", "responses"),
                    "400": _ref("BadRequest", "responses"),
                    "404": _ref("NotFound", "responses"),
                },
            },
            "post": {
                "operationId": "postComment",
                "summary": "Post a comment or a reply.",
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": _ref("NewComment")}}},
                "responses": {
                    "201": _json(
                        _ref("PostedComment"),
                        "Stored. Keep edit_token: it is not shown again.",
                        headers={"Location": {"schema": _URL, "required": True,
                                              "description": "The comment's permalink."}},
                        links={"EditComment": _own("editComment"),
                               "DeleteComment": _own("deleteComment")},
                    ),
                    "400": _ref("BadRequest", "responses"),
                    "403": _json(_ref("Errors"), "Comments are closed, or the author is "
                                 "blocked.", headers={"Retry-After": _BLOCK_LEFT}),
                    "404": _ref("NotFound", "responses"),
                    "413": _ref("TooLarge", "responses"),
                    "415": _ref("NotJson", "responses"),
                    "429": _ref("TooMany", "responses"),
                },
            },
        },
        "/search": {
            "get": {
                "operationId": "searchArticles",
                "summary": "Published articles holding every word searched for, best first.",
                "description": "As the site's search page finds them (docs/reading.md, "
                "\"Search\"): in the headline, summary, body, section, tags and byline; "
                "the last word also begins longer words; Hebrew and Arabic words with or "
                f"without their prefixes. Words past the {MAX_WORDS}th are not searched for.",
                "parameters": [
                    {"name": "q", "in": "query", "required": True, "schema": {
                        "type": "string", "minLength": 1, "maxLength": MAX_LENGTH},
                     "description": "The words, as a reader types them: words in quotes, or "
                     "joined by punctuation (co-op), are found side by side; no other operators. "
                     "Without a single word (only punctuation, symbols or emoji) it is "
                     f"a 400, as it is when every word is longer than {LONGEST_WORD} "
                     "characters (such words are not searched for)."},
                    _page_number("articles"),
                ],
                "responses": {
                    "200": _json(_ref("SearchPage"), "One page of articles found."),
                    "304": _ref("NotModified", "responses"),
                    "400": _ref("BadRequest", "responses"),
                    "404": _ref("NotFound", "responses"),
                    "429": _ref("TooManySearches", "responses"),
                },
            },
        },
        "/comments/{id}": {
            "parameters": [_ID],
            "patch": {
                "operationId": "editComment",
                "summary": "Change the text of one's own comment, within the edit window.",
                "security": token_only,
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": _ref("CommentEdit")}}},
                "responses": {
                    "200": _json(_ref("OwnComment"), "Changed."),
                    "400": _ref("BadRequest", "responses"),
                    "401": _ref("Unauthorized", "responses"),
                    "403": _json(_ref("Errors"), "The edit window has passed, or moderation "
                                 "refuses the new text.", headers={"Retry-After": _BLOCK_LEFT}),
                    "404": _ref("NotFound", "responses"),
                    "413": _ref("TooLarge", "responses"),
                    "415": _ref("NotJson", "responses"),
                    "429": _ref("TooMany", "responses"),
                },
            },
            "delete": {
                "operationId": "deleteComment",
                "summary": "Delete one's own comment, within the edit window.",
                "security": token_only,
                "responses": {
                    "204": {"description": "Deleted."},
                    "401": _ref("Unauthorized", "responses"),
                    "403": _json(_ref("Errors"), "The edit window has passed."),
                    "404": _ref("NotFound", "responses"),
                },
            },
        },
    }  # fmt: skip


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Broadsheet API",
            "version": "1",
            "summary": "Read a discussion, post to it, change one's own comments, and "
            "search the articles.",
            "description": (
                'Every response is JSON, errors included: `{"errors": {field: [message]}}`. '
                "The API uses no cookies and needs no CSRF token; the only credential is the "
                "edit token returned when a comment is posted. Text comes back exactly as "
                "sent, except that line endings become \\n and outer white space is trimmed; "
                "text that cannot be stored (a NUL, an unpaired surrogate) is refused. "
                "A method a path does not list answers 405."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": _unavailable(_paths()),
        "components": {
            "schemas": _schemas(),
            "responses": _responses(),
            "securitySchemes": {
                "editToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The edit_token returned when the comment was posted.",
                }
            },
        },
    }
