"""The JSON API, version 1. Each view reads the request, calls a form and an action,
and says what happened; the rules themselves live in discussion and moderation."""

from __future__ import annotations

import hmac
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict

from broadsheet import release
from broadsheet.api import openapi, parsing, serializers
from broadsheet.api.responses import ApiError, api_endpoint, json_response, no_content
from broadsheet.conf import conf
from broadsheet.discussion import actions, pagecache
from broadsheet.discussion.exceptions import CommentRefused, EditNotAllowed, RateLimited
from broadsheet.discussion.forms import CommentForm, EditForm
from broadsheet.discussion.models import Comment
from broadsheet.discussion.policy import Submission
from broadsheet.newsroom import indexing
from broadsheet.newsroom.models import Article, SiteSettings
from broadsheet.search import limits
from broadsheet.search.excerpts import Highlighter
from broadsheet.search.query import MAX_LENGTH, Query, Results, query_text

ORDERS = {"oldest": ("created_at", "id"), "newest": ("-created_at", "-id")}
# Bounded, so that no page number is too long to turn into an int or an OFFSET.
_PAGE = re.compile(r"[1-9][0-9]{0,8}")
_PAGE_ERROR = "Must be a whole number from 1 to 999999999."


@api_endpoint("GET")
def openapi_document(request: HttpRequest) -> HttpResponse:
    return json_response(openapi.document())


@api_endpoint("GET")
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = _live_article(slug)
    return json_response(serializers.article_data(request, found, site=SiteSettings.load()))


@api_endpoint("GET", "POST")
def article_comments(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "POST":
        return _post_comment(request, _live_article(slug))
    return _list_comments(request, slug)


@api_endpoint("GET")
def search(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("q", "")
    page_param = request.GET.get("page", "1")
    text = query_text(typed)
    query = Query.parse(text)
    errors = {}
    if len(typed.strip()) > MAX_LENGTH:
        errors["q"] = [f"Must be at most {MAX_LENGTH} characters."]
    elif not text:
        errors["q"] = ["Send one or more words to search for."]
    elif query.too_long:
        errors["q"] = [
            f"Words longer than {indexing.LONGEST_WORD} characters are not searched for."
        ]
    elif not query.terms:
        errors["q"] = ["Search for words: punctuation, symbols and emoji are not searched for."]
    if not _PAGE.fullmatch(page_param):
        errors["page"] = [_PAGE_ERROR]
    if errors:
        raise ApiError(400, errors)
    if wait := limits.wait(request):
        raise ApiError(
            429,
            "Too many searches from this address; try again in a minute.",
            headers={"Retry-After": str(wait)},
        )
    site = SiteSettings.load()
    found = Results(query, site.language)
    page, size = int(page_param), conf.API_PAGE_SIZE
    offset = (page - 1) * size
    count = found.count()
    if page > 1 and offset >= count:
        raise ApiError(404, {"page": [f"There is no page {page}."]})
    articles = found[offset : offset + size]
    highlighter = Highlighter.of(found, bool(articles))
    return json_response(
        {
            "count": count,
            "next": _next_page(request, page) if offset + size < count else None,
            "results": [
                serializers.search_result(request, a, site=site, highlighter=highlighter)
                for a in articles
            ],
        }
    )


@api_endpoint("PATCH", "DELETE")
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    # A deleted comment is gone for the API: deleting it again is a 404.
    own = Comment.objects.exclude(status=Comment.Status.DELETED).filter(pk=pk).first()
    if own is None:
        raise ApiError(404, "There is no such comment.")
    token = parsing.bearer_token(request)
    try:
        actions.check_edit_token(own, token)
    except EditNotAllowed as exc:
        raise _refused_edit(own, token, exc) from None
    if request.method == "DELETE":
        return _delete_comment(own, token)
    return _edit_comment(request, own, token)


@api_endpoint()
def not_found(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    raise ApiError(404, "There is no such API endpoint; see /api/v1/openapi.json.")


def _live_article(slug: str) -> Article:
    # The texts are the heavy part of the row, and no answer shows them.
    found = Article.objects.live().defer("summary", "body", "body_html").filter(slug=slug).first()
    if found is None:
        raise ApiError(404, "There is no such article.")
    return found


def _list_comments(request: HttpRequest, slug: str) -> HttpResponse:
    """A page of the article's comments, kept rendered as the article page is
    (``discussion.pagecache``): its ETag is made from the article's stamp, which every
    change to the article or its discussion moves, so a client holding the current page
    is answered 304 after one query, and any other gets the kept copy."""
    order = request.GET.get("order", "oldest")
    page_param = request.GET.get("page", "1")
    errors = {}
    if order not in ORDERS:
        errors["order"] = ["Must be oldest or newest."]
    if not _PAGE.fullmatch(page_param):
        errors["page"] = [_PAGE_ERROR]
    if errors:
        raise ApiError(400, errors)
    stamp = pagecache.stamp(slug)
    if stamp is None:
        raise ApiError(404, "There is no such article.")
    page, size = int(page_param), conf.API_PAGE_SIZE
    # Keyed by the parameters the page is drawn from, not the address as sent: a query
    # string padded with parameters the API does not read (?x=1, ?x=2, ...) names the
    # same kept page, where each would have kept a copy of its own and pushed readers'
    # pages out of the cache.
    etag = pagecache.etag_of(
        ["api-comments", release.fingerprint(), request.scheme, request.get_host(),
         request.path, order, page, size, stamp.article_pk, *stamp.values]
    )  # fmt: skip

    def draw() -> bytes:
        # The article as it is now: newer than the stamp, perhaps, never older.
        article = _live_article(slug)
        offset = (page - 1) * size
        # The stored count is the number of visible comments (discussion keeps it
        # so), which spares a COUNT over the discussion on every page.
        count = article.comment_count
        if page > 1 and offset >= count:
            raise ApiError(404, {"page": [f"There is no page {page}."]})
        # The page's ids first, from ``comment_flat_idx`` alone: a late page skips
        # index entries, not rows (page 400 of 20,000 comments read and skipped
        # 19,950 rows, 75 ms on PostgreSQL).
        page_ids = (
            Comment.objects.filter(article=article)
            .visible()
            .order_by(*ORDERS[order])
            .values("pk")[offset : offset + size]
        )
        rows = (
            Comment.objects.filter(pk__in=page_ids)
            .only(*serializers.COMMENT_FIELDS)
            .order_by(*ORDERS[order])
        )
        data = {
            "count": count,
            "next": _next_page(request, page, {"order": order}) if offset + size < count else None,
            "results": [serializers.comment_data(request, c) for c in rows],
        }
        return json_response(data).content

    return pagecache.served(request, etag, draw, content_type="application/json")


def _next_page(request: HttpRequest, page: int, params: dict[str, str] | None = None) -> str:
    """The address of the page after ``page``: with ``params`` (what the page is drawn
    from), those alone, else the query string as sent."""
    query = request.GET.copy() if params is None else QueryDict(mutable=True)
    if params is not None:
        query.update(params)
    query["page"] = str(page + 1)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _post_comment(request: HttpRequest, article: Article) -> HttpResponse:
    data = parsing.fields(
        parsing.read_object(request),
        strings=("author_name", "author_email", "author_url", "body"),
        integers=("parent_id",),
        booleans=("notify_replies",),
    )
    # The API takes no cookies, so it never acts for a signed-in user: user=None.
    form = CommentForm(data, article=article, user=None)
    if not form.is_valid():
        raise ApiError(400, _form_errors(form))
    cleaned = form.cleaned_data
    submission = Submission(
        article=article,
        body=cleaned["body"],
        author_name=cleaned["author_name"],
        author_email=cleaned["author_email"],
        author_url=cleaned["author_url"],
        parent=form.parent,
        user=None,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("User-Agent", ""),
        channel="api",
        elapsed_seconds=None,
        notify_replies=cleaned["notify_replies"],
    )
    try:
        posted = actions.post_comment(submission)
    except (RateLimited, CommentRefused) as exc:
        raise _refusal(exc) from None
    except Article.DoesNotExist:  # deleted by an editor as the comment was posted
        raise ApiError(404, "There is no such article.") from None
    data = serializers.own_comment_data(request, posted.comment, edit_token=posted.edit_token)
    response = json_response(data, status=201)
    response["Location"] = data["url"]
    return response


def _edit_comment(request: HttpRequest, own: Comment, token: str | None) -> HttpResponse:
    form = EditForm(parsing.fields(parsing.read_object(request), strings=("body",)))
    if not form.is_valid():
        raise ApiError(400, _form_errors(form))
    try:
        edited = actions.edit_comment(own, form.cleaned_data["body"], token=token)
    except EditNotAllowed as exc:  # the window closed while the request was read
        raise _refused_edit(own, token, exc) from None
    except (RateLimited, CommentRefused) as exc:
        raise _refusal(exc) from None
    return json_response(serializers.own_comment_data(request, edited))


def _delete_comment(own: Comment, token: str | None) -> HttpResponse:
    try:
        actions.delete_own_comment(own, token=token)
    except EditNotAllowed as exc:
        raise _refused_edit(own, token, exc) from None
    return no_content()


def _form_errors(form: CommentForm | EditForm) -> dict[str, list[str]]:
    return {
        field: [error["message"] for error in errors]
        for field, errors in form.errors.get_json_data().items()
    }


def _refusal(exc: RateLimited | CommentRefused) -> ApiError:
    if isinstance(exc, RateLimited):
        return ApiError(429, exc.reason, headers={"Retry-After": str(exc.retry_after)})
    if exc.field is not None:  # a value the poster can mend: a 400 on it, as the form's
        return ApiError(400, {exc.field: [exc.reason]})
    if exc.retry_after is not None:  # a timed block: when it lifts
        return ApiError(403, exc.reason, headers={"Retry-After": str(exc.retry_after)})
    return ApiError(403, exc.reason)


def _refused_edit(own: Comment, token: str | None, exc: EditNotAllowed) -> ApiError:
    """401 for a missing or wrong token, 403 for the right token too late.

    EditNotAllowed does not say which of the two it was, so the token is
    compared here once more.
    """
    if token is None:
        return ApiError(
            401,
            "Send the comment's edit token: Authorization: Bearer <edit_token>.",
            headers={"WWW-Authenticate": 'Bearer realm="broadsheet"'},
        )
    if not (
        own.edit_token_hash and hmac.compare_digest(actions.hash_token(token), own.edit_token_hash)
    ):
        return ApiError(
            401,
            "This is not the comment's edit token.",
            headers={"WWW-Authenticate": 'Bearer realm="broadsheet", error="invalid_token"'},
        )
    return ApiError(403, str(exc))
