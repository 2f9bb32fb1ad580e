"""What an audit entry says, in the language of whoever reads it.

An entry keeps what happened as data (``AuditEntry.details``): a list of messages,
each a dict with a ``code`` and its values, such as ``{"code": "hidden", "reports": 3}``.
``say`` puts them into words through gettext each time the entry is shown, so that a
Hebrew site's audit log reads in Hebrew, entries written while it spoke English
included. What a person typed (a block's reason) is kept as they wrote it, in
``AuditEntry.note``, and follows the words. The builders below make each message;
the newsroom, which does not import moderation, writes its own through
``DISCUSSION_AUDIT``: ``comments_opened``, ``comments_closed``, ``comment_policy``
``{"from", "to"}``, ``article_deleted`` ``{"title", "comments"}`` and
``site_settings`` ``{"changes": [{"field", "from", "to"}]}``.

Messages come from the database and from restored backups: one this version cannot
put into words (an unknown code, a value missing) is shown as its JSON (keys sorted),
never refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import get_language_bidi, gettext, gettext_lazy, ngettext

from broadsheet.moderation.models import (
    LIST_NAMES,
    AuditEntry,
    Block,
    ModerationSettings,
    WordRule,
    author_said,
)
from broadsheet.newsroom.models import Article, SiteSettings

Message = dict[str, Any]

# What a block is by, in a sentence ("Blocked by e-mail address, IP address for good").
KIND_NAMES = {
    Block.Kind.USER: gettext_lazy("account"),
    Block.Kind.EMAIL: gettext_lazy("e-mail address"),
    Block.Kind.IP: gettext_lazy("IP address"),
}


# Writing: the message each action records.


def edited() -> Message:
    return {"code": "edited"}


def undid(action: str) -> Message:
    return {"code": "undid", "action": str(action)}


def hidden(reports: int) -> Message:
    return {"code": "hidden", "reports": reports}


def kept(dismissed: int) -> Message:
    return {"code": "kept", "reports": dismissed}


def blocked(kinds: Iterable[str], *, days: int | None, replaced: bool) -> Message:
    return {
        "code": "blocked",
        "kinds": [str(k) for k in kinds],
        "days": days or None,
        "replaced": replaced,
    }


def _author_of(block: Block) -> Message:
    """Who a block names, as a message keeps it (a block's row does not outlive it)."""
    if block.author_name or block.author_comment is not None:
        return {"name": block.author_name, "comment": block.author_comment}
    return {"label": block.label} if block.label else {}


def unblocked(block: Block) -> Message:
    """A block lifted before its end: when that would have been (None: never)."""
    until = block.expires_at.isoformat() if block.expires_at else None
    return {"code": "unblocked", "kind": block.kind, **_author_of(block), "until": until}


def block_changed(block: Block) -> Message:
    """A block's end or reason changed (the admin)."""
    until = block.expires_at.isoformat() if block.expires_at else None
    return {
        "code": "block_changed",
        "kind": block.kind,
        **_author_of(block),
        "until": until,
        "reason": block.reason,
    }


def thresholds(before: tuple[float, float], after: tuple[float, float]) -> Message:
    """The learned score's (hold, spam) thresholds, as the Filter page sets them."""
    return {"code": "thresholds", "hold": [before[0], after[0]], "spam": [before[1], after[1]]}


def settings_changed(changes: Iterable[tuple[str, Any, Any]]) -> Message:
    """Moderation settings changed: each (field name, value before, value after)."""
    return {
        "code": "settings",
        "changes": [{"field": name, "from": old, "to": new} for name, old, new in changes],
    }


def word_lists(changes: Mapping[str, tuple[Sequence[str], Sequence[str]]]) -> Message:
    """Rules added to and removed from each list: ``{list: (added, removed)}``."""
    return {
        "code": "words",
        "lists": [
            {"list": str(kind), "added": list(added), "removed": list(removed)}
            for kind, (added, removed) in changes.items()
        ],
    }


def rule_changed(before: WordRule, after: WordRule) -> Message:
    """One rule's phrase or list changed (the admin)."""
    return {
        "code": "rule_changed",
        "from": {"phrase": before.phrase, "list": before.list},
        "to": {"phrase": after.phrase, "list": after.list},
    }


# Reading: the messages put into words.


def say(details: object, note: str = "") -> str:
    """``details`` in the active language, then ``note`` as it was written."""
    said = [_say(m) for m in details] if isinstance(details, list) else [_as_data(details)]
    return " ".join(part for part in [*said, note] if part)


def _say(message: Any) -> str:
    try:
        return SAYINGS[message["code"]](message)
    except (KeyError, TypeError, ValueError, AttributeError):
        return _as_data(message)


def _as_data(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _typed(value: object) -> str:
    """A value that is not our words (a name, a phrase, a number), kept apart from the
    sentence around it in right-to-left text, where it would otherwise run into it."""
    text = str(value)
    return f"\u2068{text}\u2069" if get_language_bidi() else text


def _quoted(phrase: str) -> str:
    return gettext("“%(phrase)s”") % {"phrase": _typed(phrase)}


def _author(message: Message) -> str:
    name, label = message.get("name") or "", message.get("label") or ""
    found = author_said(name and _typed(name), message.get("comment"), label and _typed(label))
    return found or gettext("an author")


def _unblocked(message: Message) -> str:
    said = {"kind": KIND_NAMES[Block.Kind(message["kind"])], "author": _author(message)}
    if "until" not in message:  # written before 2026-11-27, which did not keep the end
        return gettext("Unblocked the %(kind)s of %(author)s.") % said
    if message["until"] is None:
        return gettext("Unblocked the %(kind)s of %(author)s, blocked for good.") % said
    return gettext("Unblocked the %(kind)s of %(author)s, blocked until %(until)s.") % {
        **said,
        "until": _until(message["until"]),
    }


def _kinds(message: Message) -> str:
    return ", ".join(str(KIND_NAMES[Block.Kind(kind)]) for kind in message["kinds"])


def _until(value: str) -> str:
    """A block's end: kept with its offset (older entries: as their sentence said it)."""
    moment = parse_datetime(value)
    if moment is None:
        raise ValueError(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "Y-m-d H:i")


def _field_name(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name  # a setting a later version no longer has


def _value(model: type[models.Model], name: str, value: Any) -> str:
    """A setting's value as a sentence says it: a switch on or off, a choice by its label."""
    if isinstance(value, bool):
        return gettext("on") if value else gettext("off")
    if value is None or value == "":
        return gettext("none")
    try:
        field: Any = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.choices:
        label = str(dict(field.flatchoices).get(value, value))
        # A choice reads as part of the sentence ("publish comments at once"); a
        # language's name is a name ("English", never "english").
        if name not in PROPER_NAMES:
            label = label[:1].lower() + label[1:]
        return _typed(label)
    return _typed(value)


# Settings whose choices are names, said as they are written.
PROPER_NAMES = {"language"}


def _blocked(message: Message) -> str:
    days, said = message.get("days"), {"kinds": _kinds(message)}
    if message.get("replaced"):
        if days:
            return ngettext(
                "Blocked by %(kinds)s for %(days)s day (replacing the block there was).",
                "Blocked by %(kinds)s for %(days)s days (replacing the block there was).",
                int(days),
            ) % {**said, "days": int(days)}
        return gettext("Blocked by %(kinds)s for good (replacing the block there was).") % said
    if days:
        return ngettext(
            "Blocked by %(kinds)s for %(days)s day.",
            "Blocked by %(kinds)s for %(days)s days.",
            int(days),
        ) % {**said, "days": int(days)}
    return gettext("Blocked by %(kinds)s for good.") % said


def _block_changed(message: Message) -> str:
    said = {"author": _author(message), "kind": KIND_NAMES[Block.Kind(message["kind"])]}
    until, reason = message.get("until"), message.get("reason") or ""
    if until and reason:
        text = gettext(
            "Changed the block of %(author)s by %(kind)s: now until %(until)s (%(reason)s)."
        )
    elif until:
        text = gettext("Changed the block of %(author)s by %(kind)s: now until %(until)s.")
    elif reason:
        text = gettext("Changed the block of %(author)s by %(kind)s: now for good (%(reason)s).")
    else:
        text = gettext("Changed the block of %(author)s by %(kind)s: now for good.")
    return text % {**said, "until": _until(until) if until else "", "reason": _typed(reason)}


def _thresholds(message: Message) -> str:
    (hold_from, hold_to), (spam_from, spam_to) = message["hold"], message["spam"]
    return gettext("hold %(hold_from)s → %(hold_to)s, spam %(spam_from)s → %(spam_to)s") % {
        "hold_from": _typed(f"{float(hold_from):g}"),
        "hold_to": _typed(f"{float(hold_to):g}"),
        "spam_from": _typed(f"{float(spam_from):g}"),
        "spam_to": _typed(f"{float(spam_to):g}"),
    }


def _changes(model: type[models.Model], changes: list[Message], sentence: Callable) -> list[str]:
    return [
        sentence(
            _field_name(model, change["field"]),
            _value(model, change["field"], change["from"]),
            _value(model, change["field"], change["to"]),
        )
        for change in changes
    ]


def _settings(message: Message) -> str:
    def sentence(field: str, old: str, new: str) -> str:
        return gettext("%(field)s %(old)s → %(new)s") % {"field": field, "old": old, "new": new}

    return "; ".join(_changes(ModerationSettings, message["changes"], sentence))


def _site_settings(message: Message) -> str:
    def sentence(field: str, old: str, new: str) -> str:
        said = {"field": capfirst(field), "old": old, "new": new}
        return gettext("%(field)s: %(old)s → %(new)s.") % said

    return " ".join(
        [gettext("Site settings:"), *_changes(SiteSettings, message["changes"], sentence)]
    )


def _words(message: Message) -> str:
    said = []
    for change in message["lists"]:
        listed = LIST_NAMES[WordRule.List(change["list"])]
        if change.get("added"):
            phrases = ", ".join(_quoted(p) for p in change["added"])
            said.append(
                gettext("Added %(phrases)s on the %(listed)s list.")
                % {"phrases": phrases, "listed": listed}
            )
        if change.get("removed"):
            phrases = ", ".join(_quoted(p) for p in change["removed"])
            said.append(
                gettext("Removed %(phrases)s from the %(listed)s list.")
                % {"phrases": phrases, "listed": listed}
            )
    return " ".join(said)


def _rule_changed(message: Message) -> str:
    old, new = message["from"], message["to"]
    return gettext(
        "Changed %(old)s on the %(old_list)s list to %(new)s on the %(new_list)s list."
    ) % {
        "old": _quoted(old["phrase"]),
        "old_list": LIST_NAMES[WordRule.List(old["list"])],
        "new": _quoted(new["phrase"]),
        "new_list": LIST_NAMES[WordRule.List(new["list"])],
    }


def _comment_policy(message: Message) -> str:
    return gettext("Comment policy: %(old)s → %(new)s.") % {
        "old": _value(Article, "comment_policy", message["from"]),
        "new": _value(Article, "comment_policy", message["to"]),
    }


def _article_deleted(message: Message) -> str:
    comments = int(message["comments"])
    return ngettext(
        "Deleted the story “%(title)s” with its %(count)s comment.",
        "Deleted the story “%(title)s” with its %(count)s comments.",
        comments,
    ) % {"title": _typed(message["title"]), "count": comments}


def _count(message: Message) -> int:
    return int(message["reports"])


SAYINGS: dict[str, Callable[[Message], str]] = {
    "edited": lambda m: gettext("A moderator edited the text."),
    "undid": lambda m: (
        gettext("Undid “%(action)s”.") % {"action": AuditEntry.Action(m["action"]).label}
    ),
    "hidden": lambda m: (
        ngettext(
            "Hidden after a reader's report.", "Hidden after %(count)s readers' reports.", _count(m)
        )
        % {"count": _count(m)}
    ),
    "kept": lambda m: (
        ngettext(
            "Kept; %(count)s report dismissed.", "Kept; %(count)s reports dismissed.", _count(m)
        )
        % {"count": _count(m)}
    ),
    "blocked": _blocked,
    "unblocked": _unblocked,
    "block_changed": _block_changed,
    "thresholds": _thresholds,
    "settings": _settings,
    "words": _words,
    "rule_changed": _rule_changed,
    "comments_opened": lambda m: gettext("Opened comments."),
    "comments_closed": lambda m: gettext("Closed comments."),
    "comment_policy": _comment_policy,
    "article_deleted": _article_deleted,
    "site_settings": _site_settings,
}
