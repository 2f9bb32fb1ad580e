"""Names that belong to members of staff, and how a name is compared with them.

A reader may call themselves what they like, except a name that readers would
take for a staff member's: the ``staff_name`` check refuses it unless its owner
is signed in. Two names are the same here when they look the same on the page:
case, spacing, compatibility forms (full-width, bold, ligatures), characters
that draw nothing, accents, and letters of other scripts drawn like Latin ones
do not tell them apart.

The names are kept in the shared cache, so that every app server sees the same
set and a comment costs one or two cache reads, not a scan of the accounts. A
change to an account, its groups or a group's permissions replaces the set's
generation (after the change commits), so no server keeps using the old one.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import product
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from broadsheet.moderation.apps import MODERATE
from broadsheet.moderation.folding import CAPITALS, SMALL, drawn, table

# Besides the Cyrillic and Greek look-alikes (``folding``), the ASCII that the Unicode
# confusables data gives as letters: 1, | and I as l, 0 as O. I stays I until case
# is folded.
_CAPITALS = CAPITALS | table("1I |I 0O")
# Pairs of Latin letters drawn like one letter: m is "rn", w is "vv". Compared
# after case is folded, so "SARN" is taken for "SAM" too, which costs nobody a
# real name.
_PAIRS = (("m", "rn"), ("w", "vv"))
# How many of a staff name's i's are tried both ways (i, and I drawn as l):
# 2**6 keys at most for one name.
_MOST_IS = 6

CACHE_KEY = "bs:staff-names"
_GENERATION_KEY = "bs:staff-names:generation"
# Changes made without a save (a queryset update, SQL by hand) have no signal to
# replace the set: it is rebuilt at least this often all the same.
CACHE_SECONDS = 600


def _shape(name: str) -> str:
    """The name as drawn, case kept, Latin capitals for their look-alikes."""
    return drawn(name).translate(_CAPITALS)


def _fold(shaped: str) -> str:
    """A shaped name's key: case folded, I as l, look-alikes Latin, one space between
    words, and punctuation and symbols as spaces ("Dana.Writer", "Dana Writer ✓")."""
    text = drawn(shaped.replace("I", "l").casefold()).translate(SMALL)
    for letter, pair in _PAIRS:
        text = text.replace(letter, pair)
    return " ".join(_NOT_A_LETTER.sub(" ", text).split())


_NOT_A_LETTER = re.compile(r"[\W_]")


def name_key(name: str) -> str:
    """What a name posted by a reader is compared by."""
    return _fold(_shape(name))


def _i_casings(shaped: str) -> Iterator[str]:
    """``shaped`` with each of its first i's written small and capital: "Ian" is
    read as "lan" when written so and as "ian" when written small."""
    places = [n for n, ch in enumerate(shaped) if ch in "iI"][:_MOST_IS]
    for letters in product("iI", repeat=len(places)):
        chars = list(shaped)
        for place, letter in zip(places, letters, strict=True):
            chars[place] = letter
        yield "".join(chars)


def reserved_keys(name: str) -> set[str]:
    """Every key a staff member's name is reserved under."""
    return {key for casing in _i_casings(_shape(name)) if (key := _fold(casing))}


def staff_accounts() -> Any:
    """Active accounts that are staff, superusers or may moderate (directly or by group)."""
    app_label, codename = MODERATE.split(".")
    may_moderate = Q(
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    ) | Q(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    )
    return (
        get_user_model()
        .objects.filter(Q(is_staff=True) | Q(is_superuser=True) | may_moderate, is_active=True)
        .distinct()
    )


# Words that say "this is the site speaking": reserved for every member of staff.
ROLE_NAMES = ("Admin", "Administrator", "Moderator", "Editor", "Staff", "Webmaster")


def shown_name(account: Any) -> str:
    """The name a staff member's comments are shown with (the comment form's rule)."""
    return account.get_full_name() or account.get_username()


def _build(accounts: Iterable[Any]) -> dict[str, list[int]]:
    """Each account's shown name, and the role words, reserved. A username is reserved
    only where it is what the account is shown as: many are a first name ("dana"), and
    every reader called Dana would be refused for an account nobody sees by that name."""
    owners: dict[str, list[int]] = {}
    roles = {key for role in ROLE_NAMES for key in reserved_keys(role)}
    for account in accounts:
        for key in reserved_keys(shown_name(account)) | roles:
            owners.setdefault(key, []).append(account.pk)
    return owners


def _generation() -> str:
    # A new token when the cache lost it, never a count that could start again at
    # a number whose set an older change left behind.
    return str(cache.get_or_set(_GENERATION_KEY, lambda: secrets.token_hex(8), timeout=None))


def staff_names() -> dict[str, list[int]]:
    """Each reserved key, with the ids of the accounts it belongs to."""
    key = f"{CACHE_KEY}:{_generation()}"
    owners = cache.get(key)
    if owners is None:
        owners = _build(staff_accounts())
        cache.set(key, owners, CACHE_SECONDS)
    return owners


def owners_of(name: str, *, roles: bool = True) -> list[int]:
    """The staff accounts ``name`` would be taken for; empty for anybody's name.

    A staff name of two words or more, or a role word, anywhere in it as whole words
    counts too: "Dana Writer (staff)" and "The real Dana Writer" are taken for Dana
    Writer, "Site Admin" for the site. A one-word name (an account shown by its user
    name, "dana") counts only alone: "Dana Smith" is anybody's. Without ``roles``,
    the role words are left out: the accounts whose own name it is.
    """
    names = staff_names()
    role_keys = _role_keys()
    words = name_key(name).split()[:_MOST_WORDS]
    owners: set[int] = set()
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            part = " ".join(words[start:end])
            if part in role_keys:
                if roles:
                    owners.update(names.get(part, ()))
            elif end - start > 1 or (start, end) == (0, len(words)):
                owners.update(names.get(part, ()))
    return sorted(owners)


@lru_cache(maxsize=1)
def _role_keys() -> frozenset[str]:
    return frozenset(key for role in ROLE_NAMES for key in reserved_keys(role))


def role_word_in(name: str) -> str | None:
    """The role word ("Editor") ``name`` holds as a whole word, as ROLE_NAMES writes it,
    or None: what to tell a reader whose name was refused for it alone."""
    words = set(name_key(name).split()[:_MOST_WORDS])
    return next((role for role in ROLE_NAMES if words & reserved_keys(role)), None)


# The words of a posted name looked at (a name is at most 200 characters).
_MOST_WORDS = 30


def forget_staff_names(**kwargs: Any) -> None:
    """A receiver: accounts, groups or permissions changed, so the set is built anew.

    Run after the change commits: a server that rebuilt the set in between would
    otherwise store what the database held before it.
    """
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: only once the rows are written
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return  # every sign-in saves that alone; it changes no name
    transaction.on_commit(
        lambda: cache.set(_GENERATION_KEY, secrets.token_hex(8), timeout=None),
        using=kwargs.get("using"),
    )
