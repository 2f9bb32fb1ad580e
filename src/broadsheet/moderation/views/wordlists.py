"""The word lists: the hold list and the block list, edited as two lists of rules.

Saving says how many of the site's recent published comments each new rule would
have caught, and a rule that would have caught too many is saved only once the
moderator ticks it (a second submit): published comments are the ones moderators
wanted, so a rule catching many of them is almost surely a slip such as ``*a*``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_http_methods

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions, wordmatch
from broadsheet.moderation.forms import WordListsForm
from broadsheet.moderation.models import LIST_NAMES, WordRule, phrase_problem
from broadsheet.moderation.views.decorators import moderator_required, needs

EDIT = ["moderation.add_wordrule", "moderation.change_wordrule", "moderation.delete_wordrule"]


@dataclass(frozen=True)
class Found:
    """A rule of one list, with how many recent published comments it catches."""

    kind: str
    reach: wordmatch.Reach
    problem: str = ""  # why it would not be accepted now, for a rule stored before

    @property
    def phrase(self) -> str:
        return self.reach.phrase

    @property
    def key(self) -> str:
        """What its confirm box sends back: the list, then the rule as written."""
        return f"{self.kind}:{self.phrase}"

    @property
    def listed(self) -> str:
        return str(LIST_NAMES[WordRule.List(self.kind)])

    @property
    def caught(self) -> str:
        return self.reach.said


@moderator_required
@require_http_methods(["GET", "HEAD", "POST"])
@needs("moderation.view_wordrule")
def word_lists(request: HttpRequest) -> HttpResponse:
    stored: dict[str, list[str]] = {kind: [] for kind in LIST_NAMES}
    for phrase, kind in WordRule.objects.values_list("phrase", "list").order_by("phrase"):
        stored[kind].append(phrase)
    may_edit = request.user.has_perms(EDIT)
    form = WordListsForm(request.POST if request.method == "POST" else None, stored=stored)
    texts = _Texts()
    new: list[Found] = []
    asking: list[Found] = []
    confirmed: set[str] = set()
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("You may not change the word lists.")
        if form.is_valid():
            pairs = form.new_rules()
            reaches = (
                wordmatch.rule_reach([phrase for _, phrase in pairs], texts.get()) if pairs else []
            )
            new = [Found(kind, reach) for (kind, _), reach in zip(pairs, reaches, strict=True)]
            confirmed = set(request.POST.getlist("confirm"))
            asking = [f for f in new if f.reach.too_broad and f.key not in confirmed]
            if not asking:
                wanted = {kind: form.cleaned_data[kind] for kind in LIST_NAMES}
                try:
                    actions.save_word_lists(wanted, actor=request.user)
                except ValidationError as exc:
                    # Another moderator removed a rule of the form meanwhile, and it is
                    # one that may not be added again as it is.
                    form.add_error(None, exc)
                else:
                    _tell(request, new)
                    return redirect("moderation:words")
            asking = [f for f in new if f.reach.too_broad]  # each asked again, ticked or not
    return render(
        request,
        "moderation/words.html",
        {
            "form": form,
            "may_edit": may_edit,
            "asking": asking,
            "others": [f for f in new if not f.reach.too_broad] if asking else [],
            "confirmed": confirmed,
            "stale": _stale(stored, texts),
            "limit": wordmatch.RECENT_PUBLISHED,
            "broad_share": f"{wordmatch.BROAD_SHARE * 100:g} %",
        },
        status=400 if form.errors else 200,
    )


class _Texts:
    """The recent published comments' match text, read once a request and only if needed."""

    def __init__(self) -> None:
        self._texts: list[wordmatch.MatchText] | None = None

    def get(self) -> list[wordmatch.MatchText]:
        if self._texts is None:
            self._texts = wordmatch.recent_published_texts()
        return self._texts


def _stale(stored: dict[str, list[str]], texts: _Texts) -> list[Found]:
    """Stored rules that would not be accepted now, or that catch too many published
    comments. Trying every stored rule on the recent comments takes seconds for a list
    of thousands, so the answer is kept in the shared cache until the lists or the
    newest published comment change (or ``STALE_SECONDS`` pass)."""
    if not any(stored.values()):
        return []
    newest = Comment.objects.filter(status=Comment.Status.APPROVED).aggregate(Max("pk"))
    # In the site's language too: a rule's problem is kept as said.
    lists = sorted((k, sorted(v)) for k, v in stored.items())
    said = repr((lists, newest["pk__max"], get_language()))
    key = "bs:wordlists:stale:" + hashlib.sha256(said.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _try_stored(stored, texts)
        cache.set(key, found, STALE_SECONDS)
    return found


STALE_SECONDS = 600


def _try_stored(stored: dict[str, list[str]], texts: _Texts) -> list[Found]:
    found = []
    for kind, phrases in stored.items():
        if not phrases:
            continue
        for reach in wordmatch.rule_reach(phrases, texts.get()):
            problem = phrase_problem(reach.phrase) or ""
            if problem or reach.too_broad:
                found.append(Found(kind, reach, problem))
    return found


def _tell(request: HttpRequest, new: list[Found]) -> None:
    """Say what the save did, and how many published comments each new rule would have caught."""
    if not new:
        messages.success(request, gettext("Saved the word lists."))
        return
    said = ngettext(
        "Saved the word lists, with %(count)s new rule.",
        "Saved the word lists, with %(count)s new rules.",
        len(new),
    )
    messages.success(request, said % {"count": len(new)})
    for rule in sorted(new, key=lambda f: -f.reach.caught):
        messages.info(
            request,
            gettext("“%(phrase)s” (%(listed)s list) would have caught %(caught)s.")
            % {"phrase": rule.phrase, "listed": rule.listed, "caught": rule.caught},
        )
