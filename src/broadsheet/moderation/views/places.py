"""Where a moderator lands after posting a form of the moderators' pages.

Without JavaScript a form's answer is a new page, read from its top: a moderator
working down a long list would start again at its head after each decision. So a
form sends them back to the page it was on (``next``), and the message saying what
was done is tagged with the place it is about (``at-3``: the third of the list,
where the comment after a decided one now is, or where an undone entry was;
``q-12``: comment 12, back in the list after an undo). The page draws the message
there, among the list, with the id ``said``, which the answer's address names
(``#said``): the browser opens the page at the message, with the list going on
under it, and a keyboard's next Tab is the message's Undo button, then the list.
A place the page does not show (the comment went on to another page) has the
message drawn at the top, which ``#said`` then names.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

# A message's extra tag naming its place: "place:at-3".
PLACE = "place:"
# A message whose decision the moderator's Undo takes back: it is drawn with the button.
UNDOABLE = "undoable"
# The id of a page's messages, wherever they are drawn.
SAID = "said"


def say(
    request: HttpRequest, level: int, text: str, *, place: str = "", undoable: bool = False
) -> None:
    """Add a message, to be drawn at ``place`` when the page shows it."""
    tags = [f"{PLACE}{place}"] if place else []
    if undoable:
        tags.append(UNDOABLE)
    messages.add_message(request, level, text, extra_tags=" ".join(tags))


def positions(ids: Sequence[int], *, by_id: str = "") -> dict[str, int]:
    """The places a page listing ``ids`` (in order) can draw a message at, and their
    positions (from 1): each position ("at-3"), one past the last (after the list),
    and, with ``by_id`` ("q-"), each row by its id ("q-12")."""
    found = {f"at-{n}": n for n in range(1, len(ids) + 2)}
    if by_id:
        found.update({f"{by_id}{pk}": n for n, pk in enumerate(ids, 1)})
    return found


def placed(request: HttpRequest, shown: dict[str, int]) -> int | None:
    """The position on the page (``positions``) where this request's messages are to
    be drawn, if it shows their place; else None (at the top)."""
    for message in messages.get_messages(request):
        for tag in message.extra_tags.split():
            if tag.startswith(PLACE) and tag.removeprefix(PLACE) in shown:
                return shown[tag.removeprefix(PLACE)]
    return None


def drawn(request: HttpRequest, ids: Sequence[int], *, by_id: str = "") -> dict[str, int | None]:
    """What a page listing ``ids`` needs to draw its messages at their place:
    ``said_at``, the position (``placed``), and ``said_last``, the one after the list."""
    return {
        "said_at": placed(request, positions(ids, by_id=by_id)),
        "said_last": len(ids) + 1,
    }


def back(
    request: HttpRequest,
    default: str,
    *,
    place: str = "",
    given: QueryDict | None = None,
) -> HttpResponseRedirect:
    """Back to the page the form was on (``next``: a path on this site, else
    ``default``); at its messages (``#said``) when they were given a place.
    ``given``: where ``next`` is read (the form posted, by default)."""
    target = (request.POST if given is None else given).get("next", "")
    on_site = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    )
    # Not redirect(): it would read a bare word ("queue") as the name of a view.
    target = target.partition("#")[0] if on_site else default
    return HttpResponseRedirect(f"{target}#{SAID}" if place else target)
