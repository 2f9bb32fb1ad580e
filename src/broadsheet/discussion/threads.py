"""Assembling one page of a discussion from stored rows.

A page is a run of threads (a top-level comment and all its replies). The
threads on it are picked by a subquery over ``(thread_key, thread)`` and their
comments come back in the same query, already in order; Python only links
children to parents. Replies whose parent a reader cannot see are kept under a
"removed" placeholder so that nothing visible disappears from the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article

ORDERS = ("oldest", "newest")


@dataclass
class Node:
    comment: Comment
    number: str = ""
    children: list[Node] = field(default_factory=list)
    # False for a placeholder standing in for a hidden parent of visible replies.
    shown: bool = True
    own: bool = False
    # Set on replies drawn flat below the deepest indented level: whom they answer.
    reply_to: Comment | None = None

    @property
    def pending(self) -> bool:
        return self.comment.status != Comment.Status.APPROVED


@dataclass
class DiscussionPage:
    nodes: list[Node]
    number: int
    num_pages: int
    thread_count: int
    order: str
    start: int  # number of the first thread on the page

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def page_numbers(self) -> list[int | None]:
        """The pages the pager links to by number: the first and last, and two on either
        side of this one; None where a run of pages is left out."""
        near = range(max(1, self.number - 2), min(self.num_pages, self.number + 2) + 1)
        wanted = sorted({1, self.num_pages, *near})
        numbers: list[int | None] = []
        for n in wanted:
            if numbers and n - (numbers[-1] or 0) == 2:
                numbers.append(n - 1)  # a gap of one page is shown, not left out
            elif numbers and n - (numbers[-1] or 0) > 2:
                numbers.append(None)
            numbers.append(n)
        return numbers


# What a reader's own comment may be and still be shown to them, as awaiting moderation:
# held, or filed as spam (never revealed to its poster, who sees it held like any other).
SHOWN_TO_AUTHOR = (Comment.Status.PENDING, Comment.Status.SPAM)


def visible_threads(article: Article, own_ids: Iterable[int] = ()):
    """Threads holding something this reader may see, as ``(thread_key, thread_id)`` rows."""
    own_ids = list(own_ids)
    seen = Q(status=Comment.Status.APPROVED)
    if own_ids:
        seen |= Q(pk__in=own_ids, status__in=SHOWN_TO_AUTHOR)
    return Comment.objects.filter(seen, article=article)


def thread_rank(
    article: Article, comment: Comment, own_ids: Iterable[int] = (), *, order: str = "oldest"
) -> int:
    """How many threads this reader sees come before ``comment``'s thread in ``order``.

    A comment whose thread is gone (its root deleted outside the actions, which leaves
    the thread empty) counts as the root of a thread of its own.
    """
    thread_id = comment.thread_id if comment.thread_id is not None else comment.pk
    if order == "newest":
        before = Q(thread_key__gt=comment.thread_key) | Q(
            thread_key=comment.thread_key, thread_id__gt=thread_id
        )
    else:
        before = Q(thread_key__lt=comment.thread_key) | Q(
            thread_key=comment.thread_key, thread_id__lt=thread_id
        )
    threads = visible_threads(article, own_ids).filter(before)
    return threads.values("thread_id").distinct().count()


def load_page(
    article: Article,
    *,
    page: int = 1,
    per_page: int = 50,
    order: str = "oldest",
    own_ids: Iterable[int] = (),
    max_depth: int = 4,
) -> DiscussionPage:
    own_ids = set(own_ids)
    newest = order == "newest"
    threads = visible_threads(article, own_ids).values("thread_key", "thread_id").distinct()
    thread_count = threads.count()
    num_pages = max(1, -(-thread_count // per_page))
    page = min(max(1, page), num_pages)
    offset = (page - 1) * per_page
    ordering = ("-thread_key", "-thread_id") if newest else ("thread_key", "thread_id")
    page_threads = threads.order_by(*ordering).values("thread_id")[offset : offset + per_page]
    rows = list(
        Comment.objects.filter(article=article, thread_id__in=page_threads)
        .in_thread_order(newest_first=newest)
        .defer("body", "user_agent", "edit_token_hash", "reasons", "origin")
        # Posted by the newsroom's own people: the page says so, as a name alone cannot.
        .annotate(by_staff=Coalesce("user__is_staff", False))
    )
    roots = _link(rows, own_ids)
    for root in roots:
        _clamp(root, level=0, max_depth=max(1, max_depth))
    if newest:
        start = thread_count - offset
        for i, node in enumerate(roots):
            node.number = str(start - i)
    else:
        start = offset + 1
        for i, node in enumerate(roots):
            node.number = str(start + i)
    return DiscussionPage(
        nodes=roots,
        number=page,
        num_pages=num_pages,
        thread_count=thread_count,
        order="newest" if newest else "oldest",
        start=start,
    )


def _link(rows: list[Comment], own_ids: set[int]) -> list[Node]:
    nodes = {c.pk: Node(c, own=c.pk in own_ids) for c in rows}
    roots: list[Node] = []
    for c in rows:
        node = nodes[c.pk]
        parent = nodes.get(c.parent_id) if c.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    # Keep what the reader may see, and placeholders for hidden parents of it.
    return [n for n in roots if _prune(n)]


def _prune(node: Node) -> bool:
    node.children = [child for child in node.children if _prune(child)]
    status = node.comment.status
    visible = status == Comment.Status.APPROVED or (node.own and status in SHOWN_TO_AUTHOR)
    if visible:
        return True
    if node.children:
        node.shown = False
        return True
    return False


def _clamp(node: Node, *, level: int, max_depth: int) -> None:
    """Keep replies at most ``max_depth`` levels in; deeper ones are drawn in order at
    that level, each saying whom it answers."""
    if level + 1 < max_depth:
        for child in node.children:
            _clamp(child, level=level + 1, max_depth=max_depth)
        return
    flat: list[Node] = []
    stack = list(reversed(node.children))
    while stack:
        child = stack.pop()
        flat.append(child)
        for grandchild in child.children:
            grandchild.reply_to = child.comment
        stack.extend(reversed(child.children))
        child.children = []
    node.children = flat
