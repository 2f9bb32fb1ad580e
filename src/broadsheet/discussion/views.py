from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core import signing
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.discussion import actions, pagecache, readers
from broadsheet.discussion.actions import FEATURED_MAX
from broadsheet.discussion.exceptions import CommentRefused, EditNotAllowed, RateLimited
from broadsheet.discussion.forms import CommentForm, EditForm, form_stamp, seconds_since_stamp
from broadsheet.discussion.mail import Following
from broadsheet.discussion.models import Comment
from broadsheet.discussion.policy import Submission
from broadsheet.discussion.quoting import quote_markdown
from broadsheet.discussion.rendering import render_discussion
from broadsheet.discussion.threads import ORDERS, load_page, thread_rank
from broadsheet.newsroom.middleware import sets_site_language, use_site_language
from broadsheet.newsroom.models import Article, SiteSettings

# An article's id as the page script sends it: digits that fit a 64-bit integer.
_ID = re.compile(r"[0-9]{1,18}")


def _order(request: HttpRequest) -> str:
    order = request.GET.get("order", "oldest")
    return order if order in ORDERS else "oldest"


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _cache_headers(request: HttpRequest, response: HttpResponse, personal: bool) -> None:
    if personal:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        # A shared cache may keep it but must ask again; the ETag makes asking cheap.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)


@sets_site_language  # from the stamp: a cache hit costs one query, the stamp's
def article_page(request: HttpRequest, slug: str) -> HttpResponse:
    if readers.is_personal(request):
        use_site_language(request)
        # Staff see drafts and scheduled articles too: that is the editors' preview.
        articles = Article.objects.all() if request.user.is_staff else Article.objects.live()
        article = get_object_or_404(
            articles.select_related("author", "section", "lead_image"), slug=slug
        )
        return _render_article(request, article, SiteSettings.for_request(request), personal=True)
    # Everyone else gets the page the shared cache holds, by the shortest way there.
    stamp = pagecache.stamp(slug)
    if stamp is None:
        raise Http404("No such article.")
    use_site_language(request, stamp.language)
    # Kept under what the page is drawn from (the order and page asked for, as read), not
    # the address as sent: ?fbclid=..., ?utm_source=... or made-up parameters name the
    # page everyone reads, where each kept a copy of its own and pushed others out.
    order, page = _order(request), _page_number(request)

    def draw() -> bytes | pagecache.Unkept:
        article = get_object_or_404(
            Article.objects.live().select_related("author", "section", "lead_image"),
            pk=stamp.article_pk,
        )
        site = SiteSettings.for_request(request)
        response, shown = _article_response(request, article, site, personal=False)
        # A page number past the last shows the last page; kept under each such number,
        # ?page=1000, ?page=1001, ... would fill the cache with copies of one page.
        return response.content if shown == page else pagecache.Unkept(response.content)

    address = f"{request.path}?order={order}&page={page}"
    return pagecache.served(request, stamp.etag(request, address), draw, stamp=form_stamp())


def _picks(article: Article) -> list[Comment]:
    """The comments moderators featured on ``article``, in the order they were picked."""
    picked = Comment.objects.filter(
        article=article, status=Comment.Status.APPROVED, featured_at__isnull=False
    )
    return list(picked.order_by("featured_at", "id")[:FEATURED_MAX])


def _stamp_of(request: HttpRequest) -> str:
    """The form shown again (to mend an error) keeps the time it was first served: a
    fresh one would make a reader who mends it quickly look like a bot."""
    posted = request.POST.get("stamp", "")
    return posted if seconds_since_stamp(posted) is not None else form_stamp()


def _render_article(
    request: HttpRequest, article: Article, site: SiteSettings, **options: Any
) -> HttpResponse:
    return _article_response(request, article, site, **options)[0]


def _article_response(
    request: HttpRequest,
    article: Article,
    site: SiteSettings,
    *,
    personal: bool,
    form: CommentForm | None = None,
    status: int = 200,
) -> tuple[HttpResponse, int]:
    """The article page, and the number of the page of its discussion it shows."""
    order = _order(request)
    own = readers.own_tokens(request)
    page = _page_number(request)
    # A reply sent back to be mended is shown on the page that holds the comment it
    # answers, whichever page the reader sent it from (the reply page, say).
    parent = form.parent if form is not None and form.is_bound else None
    if parent is not None:
        page = thread_rank(article, parent, own, order=order) // site.comments_per_page + 1
    discussion = load_page(
        article,
        page=page,
        per_page=site.comments_per_page,
        order=order,
        own_ids=own.keys(),
        max_depth=site.thread_depth,
    )
    saved = readers.saved_author(request)
    if form is None:
        form = CommentForm(article=article, user=request.user, initial=saved)
    # What the reader just did, said on their own page only: the shared copy, drawn for
    # everyone, never holds it (and the redirect's query keys it apart in browsers' and
    # proxies' caches, which key by the address as sent).
    deleted = personal and _deleted_own(request, article, own)
    notes = _mail_note(request, own) if personal else {}
    accepts = article.accepts_comments(site)
    held = article.holds_every_comment(site)
    if held:
        form.note_held()
    if parent is not None:
        form.note_replying()
    response = render(
        request,
        "discussion/article.html",
        {
            "article": article,
            "discussion": discussion,
            # The form is sent with the page and order the reader is on, to come back to them.
            "form_query": _discussion_query(discussion.order, discussion.number),
            "parent": parent,
            "comments_html": render_discussion(
                discussion.nodes,
                accepts_comments=accepts,
                user=request.user if personal else None,
                notes=notes,
            ),
            # The editors' picks lead the discussion's first page.
            "picks": _picks(article) if discussion.number == 1 else [],
            "form": form,
            "form_stamp": _stamp_of(request) if form is not None else form_stamp(),
            "accepts_comments": accepts,
            "comments_held": held,
            "deleted": deleted,
            # A form shown again keeps the reader's choice, ticked or not.
            "remember": request.POST.get("remember") == "on" if form.is_bound else bool(saved),
        },
        status=status,
    )
    _cache_headers(request, response, personal)
    return response, discussion.number


def _deleted_own(request: HttpRequest, article: Article, own: dict[int, str]) -> bool:
    """Whether ``?deleted=N`` names a comment of the reader's, on ``article``, that is
    deleted: a link that says so of anyone else's, or of nothing, shows no notice."""
    named = request.GET.get("deleted", "")
    if not _ID.fullmatch(named) or int(named) not in own:
        return False
    return Comment.objects.filter(
        pk=int(named), article=article, status=Comment.Status.DELETED
    ).exists()


def _mail_notes() -> dict[str, str]:
    return {
        Following.CONFIRMING: _(
            "We have sent a message to check your address: follow its link to start the e-mails."
        ),
        Following.UNCONFIRMED: _(
            "We sent a message to check your address a little while ago: follow its link "
            "to start the e-mails."
        ),
        Following.ON: _("Replies to this comment will be e-mailed to you."),
        Following.LATER: _(
            "Once your comment is published, we will send a message to check your address: "
            "follow its link to start the e-mails."
        ),
    }


# ``?mail=`` after posting: what came of the wish for reply e-mails, and the comment it
# is said under, signed, so that a link cannot make a reader's page say what did not
# happen.
def _mail_note_signer() -> signing.Signer:
    # Made at call time: a signer made on import would read the secret key then, and
    # generate it for a command that never signs anything.
    return signing.Signer(salt="broadsheet.discussion.mail-note")


def _mail_note(request: HttpRequest, own: dict[int, str]) -> dict[int, str]:
    """``?mail=``, set by ``post_comment``: the note said under the comment just posted,
    when that comment is the reader's own."""
    try:
        said = _mail_note_signer().unsign(request.GET.get("mail", ""))
    except signing.BadSignature:
        return {}
    following, _dot, pk = said.rpartition(".")
    note = _mail_notes().get(following)
    if note is None or not _ID.fullmatch(pk) or int(pk) not in own:
        return {}
    return {int(pk): note}


def _cross_site(request: HttpRequest) -> bool:
    """True when a browser tells us the post came from another site.

    The article page is the same for every anonymous reader (so it can be
    cached), which rules out a per-reader CSRF token in it. Browsers send
    Origin (and Sec-Fetch-Site) on every form POST; a post from a foreign
    origin is refused. Signed-in readers' pages are private and carry Django's
    token, which is checked as usual.
    """
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        return True
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin or origin == "null":
        return origin == "null"
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        # "http://[" and the like: no browser writes an address it cannot read, so
        # the post is not from one of our pages (and is refused, not a server error).
        return True
    return netloc != request.get_host()


def _accepted(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def refuse_forged_post(request: HttpRequest) -> HttpResponse | None:
    """The CSRF check for forms on cacheable pages (use with ``@csrf_exempt``).

    Signed-in readers get Django's token check; anonymous readers the
    same-origin check of ``_cross_site``. Returns a 403 response, or None.
    """
    if request.user.is_authenticated:
        checked = csrf_protect(_accepted)(request)
        return checked if checked.status_code == 403 else None
    if _cross_site(request):
        return HttpResponseForbidden(
            _("Forms can only be posted from this site's own pages."),
            content_type="text/plain; charset=utf-8",
        )
    return None


@csrf_exempt
@require_POST
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.live(), slug=slug)
    if (refused := refuse_forged_post(request)) is not None:
        return refused
    site = SiteSettings.for_request(request)
    form = CommentForm(request.POST, article=article, user=request.user)
    if not form.is_valid():
        return _render_article(request, article, site, personal=True, form=form, status=400)
    data = form.cleaned_data
    elapsed = seconds_since_stamp(request.POST.get("stamp", ""))
    submission = Submission(
        article=article,
        body=data["body"],
        author_name=data["author_name"],
        author_email=data["author_email"],
        author_url=data["author_url"],
        parent=form.parent,
        user=request.user,
        ip_address=_client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        channel="web",
        elapsed_seconds=elapsed,
        unstamped=elapsed is None,
        honeypot=request.POST.get("homepage", ""),
        notify_replies=data["notify_replies"],
        site=site,
    )
    try:
        posted = actions.post_comment(submission)
    except Article.DoesNotExist:
        raise Http404("The article was deleted as the comment was posted.") from None
    except RateLimited as exc:
        wait = ngettext(
            "Please wait %(seconds)s second.", "Please wait %(seconds)s seconds.", exc.retry_after
        ) % {"seconds": exc.retry_after}
        form.add_error(None, f"{exc.reason} {wait}")
        response = _render_article(request, article, site, personal=True, form=form, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except CommentRefused as exc:
        if exc.field is None:
            form.add_error(None, exc.reason)
            response = _render_article(request, article, site, personal=True, form=form, status=403)
            if exc.retry_after is not None:  # a timed block: when it lifts
                response["Retry-After"] = str(exc.retry_after)
            return response
        # A value the reader can mend (a staff member's name): shown as a form error is.
        form.add_error(_shown_field(form, exc.field), exc.reason)
        return _render_article(request, article, site, personal=True, form=form, status=400)
    comment = posted.comment
    own = [*readers.own_tokens(request), comment.pk]
    # In the order the reader was reading in (the form is sent with it).
    location = _comment_location(comment, site, own, mail=posted.following, order=_order(request))
    response = redirect(location)
    readers.remember_own(request, response, comment.pk, posted.edit_token)
    remember = request.POST.get("remember") == "on"
    readers.save_author(
        response,
        {k: data[k] for k in ("author_name", "author_email", "author_url")} if remember else None,
    )
    return response


def _shown_field(form: CommentForm, field: str) -> str | None:
    """The field an error goes by; above the form for the author fields of a signed-in
    reader, who is not shown them (the account gives the name)."""
    return field if form.is_anonymous or not field.startswith("author_") else None


def _discussion_query(order: str, page: int, **more: str | None) -> str:
    """``?order=newest&page=3…``: the page of a discussion, defaults left out."""
    params = {"order": order if order != "oldest" else None, "page": page if page > 1 else None}
    query = urlencode({k: v for k, v in {**params, **more}.items() if v is not None})
    return f"?{query}" if query else ""


def _comment_location(
    comment: Comment,
    site: SiteSettings,
    own_ids: Iterable[int] = (),
    *,
    mail: str = "",
    order: str = "oldest",
) -> str:
    """The address of ``comment`` on its article's page, in ``order``."""
    article = comment.article
    rank = thread_rank(article, comment, own_ids, order=order)
    page = rank // site.comments_per_page + 1
    # ``mail``: the reader's own page says what came of their wish for reply e-mails.
    said = _mail_note_signer().sign(f"{mail}.{comment.pk}") if mail else None
    query = _discussion_query(order, page, mail=said)
    return f"{article.get_absolute_url()}{query}#{comment.anchor}"


def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """Redirect to the page and anchor of comment ``pk``.

    With ``?on=<article id>`` (the page script asks so for a ``#comment-N`` its page
    does not hold), answer ``{"url": ...}`` for comment N of that article only, or
    for the comment of that article that Disqus knew as post N: the links
    ``#comment-N`` a site wrote before it moved in name WordPress's or Disqus's ids.
    """
    own = readers.own_tokens(request)
    on = request.GET.get("on", "")
    if not on:
        comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
        if not comment.article.is_live or not (comment.is_visible or pk in own):
            raise Http404("No such comment.")
        return redirect(_comment_location(comment, SiteSettings.for_request(request), own))
    # Bounded, as a database id is: a longer number is no article, and SQLite cannot
    # even be asked about it (an OverflowError, where PostgreSQL finds nothing).
    if not _ID.fullmatch(on):
        raise Http404("No such article.")
    shown = Comment.objects.filter(
        Q(status=Comment.Status.APPROVED) | Q(pk__in=own), article_id=int(on)
    ).select_related("article")
    comment = shown.filter(pk=pk).first() or shown.known_to_disqus_as(str(pk)).first()
    if comment is None or not comment.article.is_live:
        raise Http404("No such comment.")
    location = _comment_location(comment, SiteSettings.for_request(request), own)
    return JsonResponse({"url": location})


def _visible_comment(pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.visible().select_related("article"),
        pk=pk,
        article__in=Article.objects.live(),
    )


def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The form as a page of its own, answering (or quoting) one comment: works without JS."""
    parent = _visible_comment(pk)
    article = parent.article
    saved = readers.saved_author(request)
    initial = {"parent_id": parent.pk, **saved}
    if request.GET.get("quote"):
        initial["body"] = quote_markdown(parent) + "\n\n"
    form = CommentForm(article=article, user=request.user, initial=initial)
    site = SiteSettings.for_request(request)
    held = article.holds_every_comment(site)
    if held:
        form.note_held()
    form.note_replying()
    response = render(
        request,
        "discussion/reply.html",
        {
            "article": article,
            "parent": parent,
            "form": form,
            "form_stamp": form_stamp(),
            "accepts_comments": article.accepts_comments(site),
            "comments_held": held,
            "quoting": bool(request.GET.get("quote")),
            "remember": bool(saved),
        },
    )
    _cache_headers(request, response, readers.is_personal(request))
    return response


def _own_comment(request: HttpRequest, pk: int) -> tuple[Comment, str]:
    token = readers.own_tokens(request).get(pk)
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if token is None:
        raise Http404("This is not one of your recent comments.")
    return comment, token


@require_http_methods(["GET", "POST"])
def edit_own(request: HttpRequest, pk: int) -> HttpResponse:
    comment, token = _own_comment(request, pk)
    try:
        actions.check_edit_token(comment, token)
    except EditNotAllowed as exc:
        return render(request, "discussion/too_late.html", {"comment": comment, "reason": exc},
                      status=403)  # fmt: skip
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_comment(comment, form.cleaned_data["body"], token=token)
        except (EditNotAllowed, CommentRefused) as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(reverse("discussion:permalink", args=[comment.pk]))
    left = (comment.editable_until - timezone.now()).total_seconds()
    response = render(
        request, "discussion/edit.html",
        {"comment": comment, "form": form, "minutes_left": max(1, math.ceil(left / 60))},
        status=400 if form.errors else 200,
    )  # fmt: skip
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_http_methods(["GET", "POST"])
def delete_own(request: HttpRequest, pk: int) -> HttpResponse:
    comment, token = _own_comment(request, pk)
    try:
        # Asked first, as the edit page does: a button that can only be refused is not offered.
        actions.check_edit_token(comment, token)
        if request.method == "POST":
            actions.delete_own_comment(comment, token=token)
    except EditNotAllowed as exc:
        return render(request, "discussion/too_late.html", {"comment": comment, "reason": exc},
                      status=403)  # fmt: skip
    if request.method == "POST":
        # The reader's own page says it was done (``_deleted_own``).
        return redirect(f"{comment.article.get_absolute_url()}?deleted={comment.pk}#comments")
    response = render(request, "discussion/delete.html", {"comment": comment})
    patch_cache_control(response, private=True, no_cache=True)
    return response
