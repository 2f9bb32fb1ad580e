"""Blocking a comment's author, the list of blocks in force, and lifting one."""

from __future__ import annotations

import ipaddress
import itertools
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_bidi, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.discussion.models import Comment
from broadsheet.markup import html_text
from broadsheet.moderation import actions
from broadsheet.moderation.forms import BlockForm
from broadsheet.moderation.identity import normal_ip
from broadsheet.moderation.models import Block
from broadsheet.moderation.views import places
from broadsheet.moderation.views.decorators import moderator_required, needs
from broadsheet.moderation.views.paging import QUEUE_PAGE_SIZE


@moderator_required
@require_http_methods(["GET", "POST"])
@needs("moderation.add_block")
def block(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article", "user"), pk=pk)
    choices, ticked = _block_choices(comment)
    form = BlockForm(request.POST or None, choices=choices, ticked=ticked)
    if request.method == "POST" and form.is_valid():
        actions.block_author(
            comment,
            actor=request.user,
            kinds=form.cleaned_data["kinds"],
            days=form.duration_days,
            reason=form.cleaned_data["reason"],
        )
        # Back to the queue the moderator came from, at the comment; else the blocks.
        place = f"q-{comment.pk}"
        said = _("Blocked %(name)s.") % {"name": comment.author_name}
        places.say(request, messages.SUCCESS, said, place=place)
        return places.back(request, reverse("moderation:blocks"), place=place)
    came_from = places.back(request, reverse("moderation:queue"), given=request.GET)
    return render(
        request,
        "moderation/block.html",
        {
            "comment": comment,
            "form": form,
            "existing": actions.blocks_for(comment),
            # The queue's page the block was asked from (``next``), to go back to.
            "came_from": came_from.url if "next" in request.GET else "",
        },
        status=400 if form.errors else 200,
    )


# How far back the block page looks for other authors who used the same address.
SHARED_LOOKBACK = timedelta(days=90)


def _block_choices(comment: Comment) -> tuple[list[tuple[str, str]], list[str]]:
    """What the comment's author can be blocked by, each named with its value and how
    many other authors used it lately; and which to tick. An address others used too
    (an office, a school, a mobile network, a proxy) is shown but not ticked: blocking
    it blocks them all."""
    choices: list[tuple[str, str]] = []
    ticked: list[str] = []
    if comment.user is not None:
        choices.append((Block.Kind.USER, _choice(Block.Kind.USER, comment.user.get_username())))
        ticked.append(Block.Kind.USER)
    for kind, field, value in (
        (Block.Kind.EMAIL, "author_email", comment.author_email),
        (Block.Kind.IP, "ip_address", comment.ip_address),
    ):
        if not value:
            continue
        others = _other_authors(comment, field, value)
        label = _choice(kind, html_text(value))
        if others:
            label = ngettext(
                "%(choice)s (also used by %(count)s other author in the last %(days)s days: "
                "blocking it blocks them too)",
                "%(choice)s (also used by %(count)s other authors in the last %(days)s days: "
                "blocking it blocks them too)",
                others,
            ) % {"choice": label, "count": others, "days": SHARED_LOOKBACK.days}
        choices.append((kind, label))
        if not others:
            ticked.append(kind)
    return choices, ticked


def _choice(kind: str, value: str) -> str:
    """A value to block by as the form names it (E-mail: jane@example.org), the value
    kept apart by Unicode isolates from the words around it, which read right to left
    on a Hebrew site."""
    return pgettext("a value to block by", "%(kind)s: %(value)s") % {
        "kind": Block.Kind(kind).label,
        "value": f"\u2068{value}\u2069" if get_language_bidi() else value,
    }


def _other_authors(comment: Comment, field: str, value: str) -> int:
    """How many authors other than the comment's (by name and e-mail) posted lately with
    ``field`` equal to ``value``; for the address, with an address its block would also
    block (an IPv6 address is blocked with its /64: one office or home network)."""
    since = timezone.now() - SHARED_LOOKBACK
    others = Comment.objects.filter(created_at__gte=since).exclude(
        author_name=comment.author_name, author_email=comment.author_email
    )
    if field != "ip_address":
        return _authors(others.filter(**{field: value}))
    network = normal_ip(value)
    if ":" not in network:  # IPv4, written plainly or seen through IPv6
        return _authors(others.filter(ip_address__in=[network, f"::ffff:{network}"]))
    # IPv6: the addresses that start as the /64 is written, then compared by the key.
    rows = (
        others.filter(ip_address__istartswith=_written_start(network))
        .values_list("ip_address", "author_name", "author_email")
        .distinct()
    )
    return len({(name, email) for ip, name, email in rows if normal_ip(ip) == network})


def _authors(comments: QuerySet[Comment]) -> int:
    """How many authors (by name and e-mail) wrote ``comments``."""
    return comments.values("author_name", "author_email").distinct().count()


def _written_start(network: str) -> str:
    """What every address of an IPv6 /64 starts with as written (compressed): its
    first groups up to the first zero one, which "::" may stand for; "::" when all
    four are zero."""
    groups = [group.lstrip("0") for group in ipaddress.IPv6Address(network).exploded.split(":")]
    leading = list(itertools.takewhile(bool, groups[:4]))
    if not any(groups[:4]):
        return "::"
    return "".join(f"{group}:" for group in leading)


@moderator_required
@needs("moderation.view_block")
def blocks(request: HttpRequest) -> HttpResponse:
    active = Block.objects.active().select_related("created_by")
    page = Paginator(active, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    # The comments the page's blocks were made from that are still there, to link to.
    made_from = {b.author_comment for b in page.object_list if b.author_comment is not None}
    linked = set(Comment.objects.filter(pk__in=made_from).values_list("pk", flat=True))
    shown = places.drawn(request, [b.pk for b in page.object_list])
    return render(request, "moderation/blocks.html", {"page": page, "linked": linked, **shown})


@moderator_required
@require_POST
@needs("moderation.delete_block")
def unblock(request: HttpRequest, pk: int) -> HttpResponse:
    actions.unblock(get_object_or_404(Block, pk=pk), actor=request.user)
    # Back to the page of the list it was on, where its row was.
    at = request.POST.get("at", "")
    place = f"at-{at}" if at.isascii() and at.isdigit() and len(at) < 6 else ""
    places.say(request, messages.SUCCESS, _("Unblocked."), place=place)
    return places.back(request, reverse("moderation:blocks"), place=place)
