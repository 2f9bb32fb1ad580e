"""The moderation queue, by tab, and the decisions taken from it (and undone)."""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from broadsheet.discussion import indexing, tally
from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from broadsheet.moderation.models import AuditEntry, ModerationSettings, Report
from broadsheet.moderation.views import paging, places
from broadsheet.moderation.views.decorators import moderator_required
from broadsheet.moderation.views.paging import QUEUE_PAGE_SIZE, ByIds, Counted, page_query
from broadsheet.newsroom.models import Article

Status = Comment.Status
DECISIONS = {"approve", "reject", "spam", "delete", "restore"}
# A published comment's other buttons: not decisions on its status.
FEATURING = {"feature", "unfeature"}
TABS = {
    # The tab holds comments (plural in Hebrew); a comment's status is one comment's.
    "pending": pgettext_lazy("queue tab", "Pending"),
    "reported": gettext_lazy("Reported"),
    "spam": gettext_lazy("Spam"),
    "decided": gettext_lazy("Recently decided"),
}
RECENT = timedelta(days=2)
# The longest text a moderator's search takes: a sentence, a link or an address.
SEARCH_MAX = 200


def _tab_counts(user: Any) -> dict[str, int]:
    # Pending and Spam: stored, kept by the database in every change's transaction
    # (counting 150,000 waiting comments took 80 ms on PostgreSQL, on every page).
    waiting = tally.counts()
    return {
        "pending": waiting[Status.PENDING],
        "spam": waiting[Status.SPAM],
        "reported": Report.objects.filter(status=Report.Status.OPEN)
        .values("comment")
        .distinct()
        .count(),
        "decided": _recent_decisions(user).count(),
    }


# Who decided what is the audit log's to tell.
READS_LOG = "moderation.view_auditentry"


def _recent_decisions(user: Any) -> QuerySet[AuditEntry]:
    """Decisions of the last two days that still stand (``actions.standing``): one undone,
    or overtaken by a later decision on its comment, is not listed. A moderator who may
    not read the audit log is shown their own only, which they may want to undo."""
    recent = AuditEntry.objects.filter(created_at__gte=timezone.now() - RECENT)
    if not user.has_perm(READS_LOG):
        recent = recent.filter(actor=user)
    return actions.standing(recent)


def _tabs(user: Any) -> list[tuple[str, str, int]]:
    counts = _tab_counts(user)
    return [(key, str(label), counts[key]) for key, label in TABS.items()]


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


def with_links(comments: list[Comment]) -> None:
    """Give the comments of one story one article, its addresses made once (``url``,
    and ``settings_url``, its comment settings), not for each comment it has."""
    articles: dict[int, Article] = {}
    for c in comments:
        article = articles.get(c.article_id)
        if article is None:
            article = articles[c.article_id] = c.article
            article.url = article.get_absolute_url()  # type: ignore[attr-defined]
            article.settings_url = reverse(  # type: ignore[attr-defined]
                "moderation:story", args=[article.pk]
            )
        c.article = article


# The tabs that can be read in another order: their status and their default order.
ORDERED_TABS = {"pending": (Status.PENDING, "oldest"), "spam": (Status.SPAM, "newest")}
# Each order: how the queue names it, and how the rows are sorted.
ORDERS = {
    "oldest": (gettext_lazy("oldest first"), ("created_at", "id")),
    "newest": (gettext_lazy("newest first"), ("-created_at", "-id")),
    # The filter's surest first: a screenful of near-certain spam to tick at once.
    "score": (
        gettext_lazy("highest score first"),
        (F("score").desc(nulls_last=True), "created_at", "id"),
    ),
    "lowest": (
        gettext_lazy("lowest score first"),
        (F("score").asc(nulls_last=True), "created_at", "id"),
    ),
}
ORDER_LABELS = {key: label for key, (label, _) in ORDERS.items()}


def _search_text(value: str) -> str:
    """What a moderator searched for, as one phrase: white space made single, control
    characters (a NUL, which PostgreSQL refuses) dropped, at most SEARCH_MAX letters."""
    printable = "".join(ch for ch in value if ch.isprintable() or ch.isspace())
    return " ".join(printable.split())[:SEARCH_MAX]


def _address(query: str) -> str | None:
    """``query`` as an IP address, if it is one."""
    with contextlib.suppress(ValueError):
        return str(ipaddress.ip_address(query))
    return None


def _search(query: str, *, among: int | None = None, in_order: bool = False) -> Q:
    """Comments whose text, author's name, e-mail or website holds ``query`` (letter
    case aside), found in the comments' text index, or posted from the address
    ``query`` is (an index of its own). ``among`` and ``in_order``: as
    ``indexing.holding`` takes them."""
    match = indexing.holding(query, among=among, in_order=in_order)
    if (address := _address(query)) is not None:
        match |= Q(ip_address=address)
    return match


def _shown(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """``comments`` with what a queue shows of each: its article, the comment it
    answers, its open reports."""
    return comments.select_related("article", "parent").prefetch_related(
        Prefetch(
            "reports",
            queryset=Report.objects.filter(status=Report.Status.OPEN),
            to_attr="open_reports",
        )
    )


NEWEST = ("-created_at", "-id")


# A search's matches are counted up to this many, or up to the end of the page asked
# for if it lies further: past it the page says "more than" (a phrase most of
# 1,000,000 comments hold took 0.9 s to count on PostgreSQL).
COUNT_UP_TO = 1_000


class _Tab(ByIds[Comment]):
    """The Pending or Spam tab's comments in the tab's order, as a paginator's list:
    counted by the stored count (``tally``: the pager counts nothing), paged on their
    ids alone, which ``comment_queue_idx`` holds, and only the page's rows read with
    what the queue shows."""

    def shown(self, rows: QuerySet[Comment]) -> QuerySet[Comment]:
        return _shown(rows)


class _Found(_Tab):
    """A search's or a story's comments, newest first, as a paginator's list: counted
    and paged on the comments' own table (ids, in order), and only the page's rows
    read with what the queue shows of them. Sorted with their articles' and parents'
    columns, the matches of a phrase most comments hold were all carried through the
    sort: 250 ms for 60,000 of 100,000 comments on SQLite, where the ids take 70.

    ``matching(in_order)``: the comments, told whether a page of them will be found
    by reading the comments newest first (``indexing.in_order``); ``counted(upto)``:
    how many they are, up to ``upto`` and one more, where it can be told sooner than
    by counting them. ``reach``: where the page asked for ends, None to count to the
    end. The count goes as far as ``COUNT_UP_TO``, the page and the choice of
    ``in_order`` need (``upto``); past it ``more`` is true and the count one more
    than ``upto``, so that the page after it can be asked for. ``among``: the
    latest comments the search was confined to (``indexing.SHORT_AMONG``), if it was.
    ``sort``: the matches are found by reading comments that are all read anyway (a
    story's, up to ``indexing.READ_UP_TO``): they are sorted, never read newest first
    (which reads the site's comments in that order), so the count goes as far as
    ``COUNT_UP_TO`` and the page only."""

    def __init__(
        self,
        matching: Callable[[bool], QuerySet[Comment]],
        counted: Callable[[int], int | None] = lambda upto: None,
        *,
        reach: int | None = None,
        among: int | None = None,
        sort: bool = False,
    ) -> None:
        super().__init__(Comment.objects.none(), 0)
        self.matching = matching
        self.counted = counted
        self.reach = reach
        self.among = among
        self.sort = sort
        self.upto = 0
        self.more = False
        self._found: int | None = None

    def count(self) -> int:
        if self._found is not None:
            return self._found
        if self.reach is None:
            self._found = self.matching(False).count()
            return self._found
        choosing = 0 if self.sort else indexing.in_order_from(self.reach)
        self.upto = max(COUNT_UP_TO, self.reach, choosing)
        found = self.counted(self.upto)
        if found is None:
            found = self.matching(False).order_by().values("pk")[: self.upto + 1].count()
        self.more = found > self.upto
        self._found = found
        return found

    @property
    def more_than(self) -> int | None:
        """What the page says there are more than, in thousands, when it was not
        counted to the end."""
        return self.upto // COUNT_UP_TO * COUNT_UP_TO if self.more else None

    def _rows(self, index: slice) -> list[Comment]:
        start, stop = index.start or 0, self.count() if index.stop is None else index.stop
        if stop <= start:
            return []
        in_order = not self.sort and indexing.in_order(self.count(), stop)
        found = indexing.newest_first(self.matching(in_order), in_order=in_order)
        page = found.values("pk")[index]
        return list(self.shown(Comment.objects.filter(pk__in=page)).order_by(*NEWEST))


def _queue_rows(
    tab: str,
    author_of: Comment | None,
    order: str,
    query: str = "",
    story: Article | None = None,
    *,
    reach: int = QUEUE_PAGE_SIZE,
    counts: dict[str, int] | None = None,
) -> QuerySet[Comment] | _Found | _Tab:
    """The comments a queue page lists. ``reach``: how far into a search's matches
    the page asked for ends (its number times the page size); ``counts``: the tabs'
    counts, when they were read already."""
    comments = _shown(Comment.objects.all())
    if author_of is not None:
        if author_of.user_id:
            match = Q(user_id=author_of.user_id)
        elif author_of.author_email:
            match = Q(author_email=author_of.author_email)
        else:
            match = Q(pk=author_of.pk)
        return comments.filter(match).order_by(*NEWEST)
    if query or story:
        among = Comment.objects.filter(article=story).count() if story and query else None
        alone = story is None and _address(query) is None
        # A phrase the index cannot find, over the whole site: the latest comments.
        latest = indexing.SHORT_AMONG if alone and query and not indexing.indexed(query) else None

        def matching(in_order: bool) -> QuerySet[Comment]:
            found = Comment.objects.all()
            if story is not None:
                found = found.filter(article=story)
            if latest is not None:
                found = found.filter(indexing.latest(latest))
            if query:
                found = found.filter(_search(query, among=among, in_order=in_order))
            return found

        def counted(upto: int) -> int | None:
            # A phrase alone: counted in the index (on SQLite).
            return indexing.count_holding(query, upto=upto) if query and alone else None

        if not query:  # a story's comments: counted in its index, to the end
            return _Found(matching)
        # A story's comments, read one by one (``indexing.holding``): its matches sorted.
        sort = among is not None and among <= indexing.READ_UP_TO
        return _Found(matching, counted, reach=reach, among=latest, sort=sort)
    if tab in ORDERED_TABS:
        status, _ = ORDERED_TABS[tab]
        known = tally.counts()[status] if counts is None else counts[tab]
        return _Tab(Comment.objects.filter(status=status).order_by(*ORDERS[order][1]), known)
    # Reported: the most reported first.
    return (
        comments.filter(reports__status=Report.Status.OPEN)
        .annotate(report_count=Count("reports"))
        .order_by("-report_count", "created_at", "id")
    )


# The largest id a database column holds (a signed 64-bit integer).
_MAX_ID = 2**63 - 1


def _comments(n: int) -> str:
    return ngettext("%(count)s comment", "%(count)s comments", n) % {"count": n}


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
    story = None
    if (story_pk := _id(request.GET.get("story", ""))) is not None and author_of is None:
        story = get_object_or_404(Article, pk=story_pk)
    query = _search_text(request.GET.get("q", "")) if author_of is None else ""
    # A tab, not an author's, a story's or a search's list.
    listing = author_of is None and story is None and not query
    tabs = _tabs(request.user)
    counts = {key: n for key, _, n in tabs}
    per_page = QUEUE_PAGE_SIZE
    if tab == "decided" and listing:
        entries = _recent_decisions(request.user).select_related(
            "actor", "comment", "comment__article"
        )
        # Counted once, for the tab (the count of the decisions that still stand, each
        # looked up against later ones, took 7 ms among 150,000 entries on PostgreSQL).
        counted = Counted(entries, per_page, count=counts[tab])
        decided = counted.get_page(request.GET.get("page"))
        with_links([e.comment for e in decided.object_list if e.comment])
        return render(
            request,
            "moderation/decided.html",
            {
                "tab": tab,
                "tabs": tabs,
                "listing": True,
                "page": decided,
                "page_query": page_query(tab=tab),
                **places.drawn(request, [e.pk for e in decided.object_list]),
            },
        )
    # Only the Pending and Spam tabs have an order to choose ("" elsewhere).
    order = default = ""
    if tab in ORDERED_TABS and listing:
        default = ORDERED_TABS[tab][1]
        order = request.GET.get("order", "")
        order = order if order in ORDERS else default
    rows = _queue_rows(
        tab, author_of, order, query, story,
        reach=paging.reach(request.GET.get("page", ""), per_page), counts=counts,
    )  # fmt: skip
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    comments = list(page.object_list)
    _with_histories(comments)
    with_links(comments)
    # "Select all" without JavaScript: the same page again with every box ticked. The
    # ticks are not carried on ("next" leaves them out): the page a decision returns
    # to holds comments nobody has read yet.
    unpicked = request.GET.copy()
    picked = unpicked.pop("pick", None) == ["all"]
    here = request.path + (f"?{unpicked.urlencode()}" if unpicked else "")
    unpicked["pick"] = "all"
    return render(
        request,
        "moderation/queue.html",
        {
            "tab": tab,
            "tabs": tabs,
            "page": page,
            "comments": comments,
            "author_of": author_of,
            "query": query,
            "story": story,
            "listing": listing,
            # A search counted so far ("more than"), and confined to the latest comments.
            "more_than": rows.more_than if isinstance(rows, _Found) else None,
            "among": rows.among if isinstance(rows, _Found) else None,
            "here": here,
            # Where the message of a comment's own button, or of an undo, is drawn.
            **places.drawn(request, [c.pk for c in comments], by_id="q-"),
            "undoes": True,
            "picked": picked,
            "pick_all": f"?{unpicked.urlencode()}",
            "order": order,
            "orders": ORDER_LABELS if order else {},
            # The score meter's bands: held from the hold threshold, spam from the spam one.
            "rules": ModerationSettings.load(),
            "page_query": page_query(
                tab=tab,
                author=author_of and author_of.pk,
                story=story and story.pk,
                q=query,
                order=order != default and order,
            ),
        },
    )


def _back(request: HttpRequest, place: str = "") -> HttpResponseRedirect:
    """Back to the page the form was on (``next``: a path on this site), else the queue;
    at its message, drawn at ``place`` (``places.back``)."""
    return places.back(request, reverse("moderation:queue"), place=place)


def _position(shown: list[int], pk: int | None) -> str:
    """The place of a decision on comment ``pk`` of a page that showed ``shown`` (in
    order): its position there, where the comment after it then is in a tab (the
    decided one left it), or it still is in a search's list."""
    return f"at-{shown.index(pk) + 1}" if pk in shown else ""


@moderator_required
@require_POST
def decide_many(request: HttpRequest) -> HttpResponse:
    """The queue's one form: a button on one comment ("approve:12"), or bulk on the ticked ones."""
    if one := request.POST.get("one"):
        action, _, pk = one.partition(":")
        ids = [pk]
        if action in FEATURING:
            listed = list(_shown_statuses(request.POST.getlist("was")))
            return _feature(request, pk, featured=action == "feature", shown=listed)
    else:
        action = request.POST.get("action", "")
        ids = request.POST.getlist("ids")
    pks = [_id(i) for i in ids]
    if action not in DECISIONS | {"keep"} or None in pks:
        return HttpResponseBadRequest("Unknown decision.")
    if not ids:
        messages.warning(request, gettext("Tick at least one comment first."))
        return _back(request)
    comments = list(Comment.objects.filter(pk__in=pks).order_by("pk"))
    # A comment another moderator decided since this page was shown is left to their
    # decision: the page showed it as it no longer is.
    shown = _shown_statuses(request.POST.getlist("was"))
    # A comment's own button: back where it was. A bulk decision: at the top, its buttons'.
    place = _position(list(shown), pks[0]) if one else ""
    changed = [c for c in comments if shown.get(c.pk, c.status) != c.status]
    comments = [c for c in comments if c not in changed]
    if changed:
        now = ", ".join(
            gettext("#%(id)s is now %(status)s")
            % {"id": c.pk, "status": c.get_status_display().lower()}
            for c in changed
        )
        said = ngettext(
            "%(count)s comment was decided by someone else after this page was shown "
            "(%(now)s): left as it is.",
            "%(count)s comments were decided by someone else after this page was shown "
            "(%(now)s): left as it is.",
            len(changed),
        )
        places.say(
            request, messages.WARNING, said % {"count": len(changed), "now": now}, place=place
        )
        if not comments:
            return _back(request, place)
    if action == "keep":
        actions.dismiss_reports_many(comments, actor=request.user)
    else:
        actions.moderate_many(comments, action, actor=request.user)
    label = gettext("Kept") if action == "keep" else AuditEntry.Action(action).label
    said = gettext("%(decision)s: %(comments)s.")
    said %= {"decision": label, "comments": _comments(len(comments))}
    places.say(request, messages.SUCCESS, said, place=place, undoable=True)
    return _back(request, place)


def _feature(request: HttpRequest, pk: str, *, featured: bool, shown: list[int]) -> HttpResponse:
    """A comment's button "Feature" (or "Stop featuring"): one comment at a time."""
    number = _id(pk)
    if number is None:
        return HttpResponseBadRequest("Unknown comment.")
    comment = get_object_or_404(Comment, pk=number)
    place = _position(shown, number)
    try:
        entry = actions.feature(comment, actor=request.user, featured=featured)
    except ValueError as refused:
        places.say(request, messages.WARNING, str(refused), place=place)
        return _back(request, place)
    if entry is None:
        said = gettext("Nothing changed.")
    elif featured:
        said = gettext("#%(id)s is among the story's editors' picks.") % {"id": comment.pk}
    else:
        said = gettext("#%(id)s is no longer featured.") % {"id": comment.pk}
    places.say(request, messages.SUCCESS if entry else messages.INFO, said, place=place)
    return _back(request, place)


def _shown_statuses(values: list[str]) -> dict[int, str]:
    """``{comment id: status}`` from the queue's "was" fields ("12:pending")."""
    shown = {}
    for value in values:
        pk, _, status = value.partition(":")
        if (number := _id(pk)) is not None and status in Comment.Status.values:
            shown[number] = status
    return shown


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
    if comment is None:
        return f"#{entry.comment_id}"
    return gettext("#%(id)s by %(name)s") % {"id": entry.comment_id, "name": comment.author_name}


def _undid(decision: str, what: str) -> str:
    return gettext("Undid “%(decision)s” on %(what)s.") % {"decision": decision, "what": what}


@moderator_required
@require_POST
def undo(request: HttpRequest) -> HttpResponse:
    given = request.POST.get("entry", "")
    if not given:  # the moderator's own last decision (the u key), bulk ones whole
        undone, changed = actions.undo_last(request.user)
        # One comment, back in the list: the page opens on it. A bulk one: at the top.
        place = f"q-{undone[0].comment_id}" if len(undone) == 1 else ""
        if undone:
            decision = undone[0].reverts.get_action_display()  # type: ignore[union-attr]
            what = _which(undone[0]) if len(undone) == 1 else _comments(len(undone))
            places.say(request, messages.SUCCESS, _undid(decision, what), place=place)
        if changed:
            said = ngettext(
                "%(count)s comment was changed since by someone else: left as it is.",
                "%(count)s comments were changed since by someone else: left as it is.",
                changed,
            )
            places.say(request, messages.WARNING, said % {"count": changed}, place=place)
        if not undone and not changed:
            messages.info(request, gettext("Nothing to undo."))
        return _back(request, place)
    # That entry, or nothing: a malformed one is no reason to undo another.
    entry_id = _id(given)
    if entry_id is None:
        return HttpResponseBadRequest("No such entry.")
    entries = AuditEntry.objects.all()
    if not request.user.has_perm(READS_LOG):  # the entries their tab shows them
        entries = entries.filter(actor=request.user.pk)
    entry = get_object_or_404(entries, pk=entry_id)
    # Recently decided: where the entry was in the list (it leaves it), the next one.
    at = _id(request.POST.get("at", ""))
    place = f"at-{at}" if at is not None else ""
    try:
        actions.undo(entry, actor=request.user)
    except ValueError as exc:
        places.say(request, messages.WARNING, str(exc), place=place)
    else:
        said = _undid(entry.get_action_display(), _which(entry))
        places.say(request, messages.SUCCESS, said, place=place)
    return _back(request, place)
