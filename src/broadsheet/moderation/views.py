"""The moderators' pages and the readers' report form.

Moderating (the queue, decisions, blocks, the audit log, the filter's figures) is for
staff who may change comments (``MODERATE``; the Moderators group has it): an editor who
only writes articles does not see commenters' addresses or decide on their comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.discussion.models import Comment
from broadsheet.discussion.views import refuse_forged_post
from broadsheet.moderation import actions, learned, outcomes
from broadsheet.moderation.apps import MODERATE
from broadsheet.moderation.forms import BlockForm, ReportForm
from broadsheet.moderation.identity import keyed_hash, normal_ip
from broadsheet.moderation.models import AuditEntry, Block, ModerationSettings, Report
from broadsheet.newsroom.models import Article

Status = Comment.Status
DECISIONS = {"approve", "reject", "spam", "delete", "restore"}
TABS = {
    "pending": "Pending",
    "reported": "Reported",
    "spam": "Spam",
    "decided": "Recently decided",
}
RECENT = timedelta(days=2)
QUEUE_PAGE_SIZE = 50


def _tab_counts() -> dict[str, int]:
    by_status = dict(
        Comment.objects.filter(status__in=[Status.PENDING, Status.SPAM])
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "pending": by_status.get(Status.PENDING, 0),
        "spam": by_status.get(Status.SPAM, 0),
        "reported": Report.objects.filter(status=Report.Status.OPEN)
        .values("comment")
        .distinct()
        .count(),
        "decided": _recent_decisions().count(),
    }


def _recent_decisions():
    """Decisions of the last two days that still stand (``actions.standing``): one undone,
    or overtaken by a later decision on its comment, is not listed."""
    return actions.standing(AuditEntry.objects.filter(created_at__gte=timezone.now() - RECENT))


def _tabs() -> list[tuple[str, str, int]]:
    counts = _tab_counts()
    return [(key, label, counts[key]) for key, label in TABS.items()]


def _with_histories(comments: list[Comment]) -> None:
    """Attach each comment's author history (their other comments by status): one query.

    An author is known by their account, else their e-mail address; one who gave
    neither has no history to show (a name alone is anybody's)."""
    users = {c.user_id for c in comments if c.user_id}
    emails = {c.author_email for c in comments if not c.user_id and c.author_email}
    by_user: dict[int, dict[str, int]] = {}
    by_email: dict[str, dict[str, int]] = {}
    if users or emails:
        rows = (
            Comment.objects.filter(Q(user_id__in=users) | Q(author_email__in=emails))
            .values_list("user_id", "author_email", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for user_id, email, status, n in rows:
            if user_id:
                by_user.setdefault(user_id, {}).setdefault(status, 0)
                by_user[user_id][status] += n
            if email:
                by_email.setdefault(email, {}).setdefault(status, 0)
                by_email[email][status] += n
    for c in comments:
        if not c.user_id and not c.author_email:
            c.history = {"unknown": True}  # type: ignore[attr-defined]
            continue
        counts = dict(by_user.get(c.user_id, {}) if c.user_id else by_email.get(c.author_email, {}))
        counts[c.status] = max(0, counts.get(c.status, 0) - 1)  # the others: not this one
        decided = sum(counts.get(s, 0) for s in (Status.APPROVED, Status.REJECTED, Status.SPAM))
        approved = counts.get(Status.APPROVED, 0)
        c.history = {  # type: ignore[attr-defined]
            "others": sum(counts.values()),
            "approved": approved,
            "rate": round(100 * approved / decided) if decided else None,
        }


# The tabs that can be read in another order: their status and their default order.
ORDERED_TABS = {"pending": (Status.PENDING, "oldest"), "spam": (Status.SPAM, "newest")}
# Each order: how the queue names it, and how the rows are sorted.
ORDERS = {
    "oldest": ("oldest first", ("created_at", "id")),
    "newest": ("newest first", ("-created_at", "-id")),
    # The filter's surest first: a screenful of near-certain spam to tick at once.
    "score": ("highest score first", (F("score").desc(nulls_last=True), "created_at", "id")),
    "lowest": ("lowest score first", (F("score").asc(nulls_last=True), "created_at", "id")),
}
ORDER_LABELS = {key: label for key, (label, _) in ORDERS.items()}


def _queue_rows(tab: str, author_of: Comment | None, order: str):
    comments = Comment.objects.select_related("article", "parent").prefetch_related(
        Prefetch(
            "reports",
            queryset=Report.objects.filter(status=Report.Status.OPEN),
            to_attr="open_reports",
        )
    )
    if author_of is not None:
        if author_of.user_id:
            match = Q(user_id=author_of.user_id)
        elif author_of.author_email:
            match = Q(author_email=author_of.author_email)
        else:
            match = Q(pk=author_of.pk)
        return comments.filter(match).order_by("-created_at", "-id")
    if tab in ORDERED_TABS:
        status, _ = ORDERED_TABS[tab]
        return comments.filter(status=status).order_by(*ORDERS[order][1])
    # Reported: the most reported first.
    return (
        comments.filter(reports__status=Report.Status.OPEN)
        .annotate(report_count=Count("reports"))
        .order_by("-report_count", "created_at", "id")
    )


def _page_query(**params: object) -> str:
    """The list's own parameters for its pager's links: "tab=spam&" ("" without any)."""
    given = {name: value for name, value in params.items() if value}
    return urlencode(given) + "&" if given else ""


# The largest id a database column holds (a signed 64-bit integer).
_MAX_ID = 2**63 - 1


def needs(permission: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A page for those with ``permission`` only (403 for others): blocks and the audit log
    have their own, which the Moderators group holds and an operator may take away."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied(f"This page needs the permission {permission}.")
            return view(request, *args, **kwargs)

        return checked

    return wrap


def moderator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff with ``MODERATE`` only: others signed in get 403, everyone else the sign-in page."""
    return staff_member_required(needs(MODERATE)(view))


def _comments(n: int) -> str:
    return "1 comment" if n == 1 else f"{n} comments"


def _id(value: str) -> int | None:
    """A row id written in a form or a query (ASCII digits, in range), else None."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= _MAX_ID:
        return int(value)
    return None


@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "pending")
    if tab not in TABS:
        tab = "pending"
    author_of = None
    if author := request.GET.get("author", ""):
        pk = _id(author)
        author_of = get_object_or_404(Comment, pk=pk) if pk is not None else None
    tabs = _tabs()
    per_page = QUEUE_PAGE_SIZE
    if tab == "decided" and author_of is None:
        entries = _recent_decisions().select_related("actor", "comment", "comment__article")
        page = Paginator(entries, per_page).get_page(request.GET.get("page"))
        return render(
            request,
            "moderation/decided.html",
            {"tab": tab, "tabs": tabs, "page": page, "page_query": _page_query(tab=tab)},
        )
    # Only the Pending and Spam tabs have an order to choose ("" elsewhere).
    order = default = ""
    if tab in ORDERED_TABS and author_of is None:
        default = ORDERED_TABS[tab][1]
        order = request.GET.get("order", "")
        order = order if order in ORDERS else default
    rows = _queue_rows(tab, author_of, order)
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    comments = list(page.object_list)
    _with_histories(comments)
    return render(
        request,
        "moderation/queue.html",
        {
            "tab": tab,
            "tabs": tabs,
            "page": page,
            "comments": comments,
            "author_of": author_of,
            "here": request.get_full_path(),
            "order": order,
            "orders": ORDER_LABELS if order else {},
            # The score meter's bands: held from the hold threshold, spam from the spam one.
            "rules": ModerationSettings.load(),
            "page_query": _page_query(
                tab=tab,
                author=author_of and author_of.pk,
                order=order != default and order,
            ),
        },
    )


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the page the form was on (``next``: a path on this site), else the queue."""
    target = request.POST.get("next", "")
    on_site = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    )
    # Not redirect(): it would read a bare word ("queue") as the name of a view.
    return HttpResponseRedirect(target if on_site else reverse("moderation:queue"))


@moderator_required
@require_POST
def decide_many(request: HttpRequest) -> HttpResponse:
    """The queue's one form: a button on one comment ("approve:12"), or bulk on the ticked ones."""
    if one := request.POST.get("one"):
        action, _, pk = one.partition(":")
        ids = [pk]
    else:
        action = request.POST.get("action", "")
        ids = request.POST.getlist("ids")
    pks = [_id(i) for i in ids]
    if action not in DECISIONS | {"keep"} or None in pks:
        return HttpResponseBadRequest("Unknown decision.")
    if not ids:
        messages.warning(request, "Tick at least one comment first.")
        return _back(request)
    comments = list(Comment.objects.filter(pk__in=pks).order_by("pk"))
    if action == "keep":
        for comment in comments:
            actions.dismiss_reports(comment, actor=request.user)
    else:
        actions.moderate_many(comments, action, actor=request.user)
    label = "Kept" if action == "keep" else AuditEntry.Action(action).label
    messages.success(
        request, f"{label}: {_comments(len(comments))}. Press u (or Undo my last decision) to undo."
    )
    return _back(request)


@moderator_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """One comment in the queue, whatever its status: among its author's comments."""
    found = get_object_or_404(Comment, pk=pk)
    return redirect(f"{reverse('moderation:queue')}?author={found.pk}#q-{found.pk}")


@moderator_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in DECISIONS:
        return HttpResponseBadRequest("Unknown decision.")
    comment = get_object_or_404(Comment, pk=pk)
    actions.moderate(comment, AuditEntry.Action(action), actor=request.user)
    return _back(request)


def _which(entry: AuditEntry) -> str:
    """The comment an entry is about, as a message names it: "#592 by Jane"."""
    comment = entry.comment
    return f"#{entry.comment_id} by {comment.author_name}" if comment else f"#{entry.comment_id}"


@moderator_required
@require_POST
def undo(request: HttpRequest) -> HttpResponse:
    given = request.POST.get("entry", "")
    if not given:  # the moderator's own last decision (the u key), bulk ones whole
        undone, changed = actions.undo_last(request.user)
        if undone:
            decision = undone[0].reverts.get_action_display()  # type: ignore[union-attr]
            what = _which(undone[0]) if len(undone) == 1 else _comments(len(undone))
            messages.success(request, f"Undid “{decision}” on {what}.")
        if changed:
            them = "1 comment was" if changed == 1 else f"{changed} comments were"
            messages.warning(request, f"{them} changed since by someone else: left as it is.")
        if not undone and not changed:
            messages.info(request, "Nothing to undo.")
        return _back(request)
    # That entry, or nothing: a malformed one is no reason to undo another.
    entry_id = _id(given)
    if entry_id is None:
        return HttpResponseBadRequest("No such entry.")
    entry = get_object_or_404(AuditEntry, pk=entry_id)
    try:
        actions.undo(entry, actor=request.user)
    except ValueError as exc:
        messages.warning(request, str(exc))
    else:
        messages.success(request, f"Undid “{entry.get_action_display()}” on {_which(entry)}.")
    return _back(request)


@moderator_required
@require_http_methods(["GET", "POST"])
@needs("moderation.add_block")
def block(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    available = [
        kind
        for kind, present in (
            (Block.Kind.USER, comment.user_id),
            (Block.Kind.EMAIL, comment.author_email),
            (Block.Kind.IP, comment.ip_address),
        )
        if present
    ]
    form = BlockForm(request.POST or None, available=available)
    if request.method == "POST" and form.is_valid():
        actions.block_author(
            comment,
            actor=request.user,
            kinds=form.cleaned_data["kinds"],
            days=form.duration_days,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, f"Blocked {comment.author_name}.")
        return redirect("moderation:blocks")
    return render(
        request,
        "moderation/block.html",
        {"comment": comment, "form": form, "existing": actions.blocks_for(comment)},
        status=400 if form.errors else 200,
    )


@moderator_required
@needs("moderation.view_block")
def blocks(request: HttpRequest) -> HttpResponse:
    active = Block.objects.active().select_related("created_by")
    page = Paginator(active, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/blocks.html", {"page": page})


@moderator_required
@require_POST
@needs("moderation.delete_block")
def unblock(request: HttpRequest, pk: int) -> HttpResponse:
    actions.unblock(get_object_or_404(Block, pk=pk), actor=request.user)
    messages.success(request, "Unblocked.")
    return redirect("moderation:blocks")


@moderator_required
@needs("moderation.view_auditentry")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor", "comment", "comment__article")
    if action := request.GET.get("action"):
        entries = entries.filter(action=action)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/log.html",
        {
            "page": page,
            "actions": AuditEntry.Action.choices,
            "current": action,
            "page_query": _page_query(action=action),
        },
    )


@moderator_required
@require_http_methods(["GET", "HEAD", "POST"])
def filter_outcomes(request: HttpRequest) -> HttpResponse:
    """How the learned score has done against the moderators' decisions, threshold by
    threshold; an editor who may change the moderation settings can set the thresholds here."""
    rules = ModerationSettings.load()
    may_change = request.user.has_perm("moderation.change_moderationsettings")
    errors: dict[str, str] = {}
    found = None  # read when shown or its suggestions taken, not for a typed change
    if request.method == "POST":
        if not may_change:
            return HttpResponseForbidden("You may not change the moderation settings.")
        wanted = {k: request.POST.get(k, "") for k in ("hold_threshold", "spam_threshold")}
        if request.POST.get("suggested"):
            found = outcomes.site_outcomes(rules=rules)
            if found.suggested_hold is None:
                return HttpResponseBadRequest("No thresholds are suggested yet.")
            # Without a suggested spam threshold the site's own stays (raised to the hold).
            spam = found.suggested_spam or max(rules.spam_threshold, found.suggested_hold)
            wanted = {"hold_threshold": str(found.suggested_hold), "spam_threshold": str(spam)}
        errors = _set_thresholds(request, wanted)
        if not errors:
            return redirect("moderation:filter")
    return render(
        request,
        "moderation/filter.html",
        {
            "outcomes": found or outcomes.site_outcomes(rules=rules),
            "latest": outcomes.LATEST,
            "enough": outcomes.ENOUGH,
            "spam_precision": outcomes.SPAM_PRECISION,
            "model": learned.model_summary(),
            "rules": rules,
            "may_change": may_change,
            "errors": errors,
            "entered": request.POST if errors else {},
        },
        status=400 if errors else 200,
    )


_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


def _set_thresholds(request: HttpRequest, wanted: dict[str, str]) -> dict[str, str]:
    """Set the hold and spam thresholds; the errors, if they cannot be."""
    values = {}
    for name, value in wanted.items():
        # Plainly written decimals only: float() would also take "1e-400" (-0.0
        # with a sign), "0.0_1" and "inf", which no one types for a threshold.
        value = value.strip()
        if not _DECIMAL.fullmatch(value):
            return {name: "A score threshold is a number between 0 and 1."}
        values[name] = float(value)
    hold, spam = values["hold_threshold"], values["spam_threshold"]
    try:
        changed = actions.set_thresholds(hold, spam, actor=request.user)
    except ValidationError as exc:
        return {field: " ".join(texts) for field, texts in exc.message_dict.items()}
    if changed:
        messages.success(request, f"Thresholds set: hold from {hold:g}, spam from {spam:g}.")
    return {}


def _reporter_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return keyed_hash("reporter-user", str(request.user.pk))
    return keyed_hash("reporter-ip", normal_ip(request.META.get("REMOTE_ADDR") or "unknown"))


# The form is shown to anonymous readers on a cacheable page, so it carries no
# per-reader CSRF token: a cross-site post is refused by its Origin instead, by
# the same check as the comment form's (signed-in readers get the token check).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.visible().select_related("article"),
        pk=pk,
        article__in=Article.objects.live(),
    )
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if (refused := refuse_forged_post(request)) is not None:
            return refused
        if form.is_valid():
            made = actions.report(
                comment,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
                reporter_key=_reporter_key(request),
            )
            response = render(
                request, "moderation/reported.html", {"comment": comment, "again": made is None}
            )
            patch_cache_control(response, private=True, no_cache=True)
            return response
        status = 400
    hide_after = ModerationSettings.load().reports_to_hide
    response = render(
        request,
        "moderation/report.html",
        {"comment": comment, "form": form, "hide_after": hide_after},
        status=status,
    )
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response
