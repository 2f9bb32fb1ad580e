"""Audit notes and block labels as versions before 2026-11-27 wrote them, read back into data.

Those versions wrote each entry's note as an English sentence ("Kept; 2 report(s)
dismissed.") and each block's author as "Jane (comment #12)". The upgrade
(migration ``0014_notes_as_data``) and the restore of an older backup read each
sentence of a kind listed here into the messages ``moderation.notes`` says in the
reader's language, and what the moderator typed in it (a block's reason) into the
note. A sentence is read only when writing its data back as those versions wrote
it gives the same text to the character: any other (a note a moderator wrote, a
sentence of another version, one whose values could be read two ways) is kept as
it was stored, and shown so.

The writers below are those versions' own wording, kept as it was: never change them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from broadsheet.moderation.models import AuditEntry, ModerationSettings
from broadsheet.newsroom.models import Article, SiteSettings

Message = dict[str, Any]
Read = tuple[list[Message], str]  # the messages, and what a person wrote

Action = AuditEntry.Action
KINDS = {"account": "user", "e-mail address": "email", "IP address": "ip"}
KIND_NAMES = {kind: name for name, kind in KINDS.items()}
_KIND = "|".join(map(re.escape, KINDS))
_LABEL = re.compile(r"(?P<name>.*) \(comment #(?P<comment>[0-9]+)\)", re.S)


def read_label(label: str) -> tuple[str, int] | None:
    """A block's author name and comment id from its label ("Jane (comment #12)")."""
    found = _LABEL.fullmatch(label)
    if found is None:
        return None
    name, comment = found["name"], int(found["comment"])
    return (name, comment) if f"{name} (comment #{comment})" == label else None


def read_note(action: str, note: str) -> Read | None:
    """The messages of an older entry's sentence ``note`` and the rest of it that a
    moderator typed; None when it is not one of those versions' sentences, exactly."""
    with translation.override("en"):
        for read, write in FORMS.get(action, ()):
            try:
                found = read(note)
                if found is not None and write(*found) == note:
                    return found
            except (ValueError, KeyError, ValidationError):
                continue
    return None


def write_note(action: str, said: list[Message], rest: str) -> str | None:
    """The sentence those versions wrote for ``said`` and ``rest`` (the upgrade undone);
    None when none of them wrote such an entry."""
    with translation.override("en"):
        for read, write in FORMS.get(action, ()):
            try:
                note = write(said, rest)
                if read(note) == (said, rest):
                    return note
            except (ValueError, KeyError, TypeError, ValidationError):
                continue
    return None


def upgrade_entry(fields: dict[str, Any]) -> None:
    """An audit entry's fields from a backup made before ``details``, read as the
    upgrade reads a live site's."""
    action, note = fields.get("action"), fields.get("note")
    if "details" in fields or not isinstance(action, str) or not isinstance(note, str):
        return
    if (found := read_note(action, note)) is not None:
        fields["details"], fields["note"] = found


def upgrade_block(fields: dict[str, Any]) -> None:
    """A block's fields from a backup made before ``author_name`` and ``author_comment``."""
    label = fields.get("label")
    if "author_name" in fields or "author_comment" in fields or not isinstance(label, str):
        return
    if (found := read_label(label)) is not None:
        fields["author_name"], fields["author_comment"] = found
        fields["label"] = ""


# Each kind of sentence: how it is read, and how it was written.


def _read_edited(note: str) -> Read | None:
    return ([{"code": "edited"}], "") if note == "A moderator edited the text." else None


def _write_edited(said: list[Message], rest: str) -> str:
    return "A moderator edited the text."


def _read_undid(note: str) -> Read | None:
    found = re.fullmatch(r"Undid “(.*)”\.", note, re.S)
    labels = {str(label): value for value, label in Action.choices}
    if found is None or found[1] not in labels:
        return None
    return [{"code": "undid", "action": labels[found[1]]}], ""


def _write_undid(said: list[Message], rest: str) -> str:
    return f"Undid “{Action(said[0]['action']).label}”."


def _read_hidden(note: str) -> Read | None:
    found = re.fullmatch(r"Hidden after (?:a reader's report|([0-9]+) readers' reports)\.", note)
    if found is None:
        return None
    return [{"code": "hidden", "reports": int(found[1] or 1)}], ""


def _write_hidden(said: list[Message], rest: str) -> str:
    n = said[0]["reports"]
    return "Hidden after a reader's report." if n == 1 else f"Hidden after {n} readers' reports."


def _read_kept(note: str) -> Read | None:
    found = re.fullmatch(r"Kept; ([0-9]+) report\(s\) dismissed\.", note)
    return ([{"code": "kept", "reports": int(found[1])}], "") if found else None


def _write_kept(said: list[Message], rest: str) -> str:
    return f"Kept; {said[0]['reports']} report(s) dismissed."


_BLOCKED = re.compile(
    rf"Blocked by (?P<kinds>(?:{_KIND})(?:, (?:{_KIND}))*) "
    r"for (?P<how>good|1 day|(?P<days>[0-9]+) days)(?P<again> \(replacing the block there was\))?\."
    r"(?: (?P<reason>.*))?",
    re.S,
)


def _read_blocked(note: str) -> Read | None:
    found = _BLOCKED.fullmatch(note)
    if found is None:
        return None
    days = int(found["days"]) if found["days"] else (1 if found["how"] == "1 day" else None)
    kinds = [KINDS[name] for name in found["kinds"].split(", ")]
    said = {"code": "blocked", "kinds": kinds, "days": days, "replaced": bool(found["again"])}
    return [said], found["reason"] or ""


def _write_blocked(said: list[Message], reason: str) -> str:
    days = said[0]["days"]
    how_long = ("for 1 day" if days == 1 else f"for {days} days") if days else "for good"
    named = ", ".join(KIND_NAMES[k] for k in said[0]["kinds"])
    again = " (replacing the block there was)" if said[0]["replaced"] else ""
    return f"Blocked by {named} {how_long}{again}. {reason}".strip()


def _author(label: str) -> Message:
    if label == "an author":
        return {}
    if (read := read_label(label)) is not None:
        return {"name": read[0], "comment": read[1]}
    return {"label": label}


def _author_label(said: Message) -> str:
    if "comment" in said:
        return f"{said['name']} (comment #{said['comment']})"
    return said.get("label") or "an author"


_BLOCK_CHANGED = re.compile(
    rf"Changed the block of (?P<author>.*) by (?P<kind>{_KIND}): now "
    r"(?:until (?P<until>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2})|for good)"
    r"(?: \((?P<reason>.*)\))?\.",
    re.S,
)


def _read_block_changed(note: str) -> Read | None:
    found = _BLOCK_CHANGED.fullmatch(note)
    if found is None:
        return None
    # As it was said then, in the server's time: kept without an offset.
    until = found["until"].replace(" ", "T") if found["until"] else None
    said = {
        "code": "block_changed",
        "kind": KINDS[found["kind"]],
        **_author(found["author"]),
        "until": until,
        "reason": found["reason"] or "",
    }
    return [said], ""


def _write_block_changed(said: list[Message], rest: str) -> str:
    message = said[0]
    until = f"until {message['until'].replace('T', ' ')}" if message["until"] else "for good"
    reason = f" ({message['reason']})" if message["reason"] else ""
    return (
        f"Changed the block of {_author_label(message)} by {KIND_NAMES[message['kind']]}: "
        f"now {until}{reason}."
    )


def _read_unblocked(note: str) -> Read | None:
    found = re.fullmatch(rf"Unblocked the ({_KIND}) of (.*)\.", note, re.S)
    if found is None:
        return None
    return [{"code": "unblocked", "kind": KINDS[found[1]], **_author(found[2])}], ""


def _write_unblocked(said: list[Message], rest: str) -> str:
    return f"Unblocked the {KIND_NAMES[said[0]['kind']]} of {_author_label(said[0])}."


_NUMBER = r"[0-9.e+-]+"
_THRESHOLDS = re.compile(rf"hold ({_NUMBER}) → ({_NUMBER}), spam ({_NUMBER}) → ({_NUMBER})")


def _read_thresholds(note: str) -> Read | None:
    found = _THRESHOLDS.fullmatch(note)
    if found is None:
        return None
    hold_from, hold_to, spam_from, spam_to = map(float, found.groups())
    return [{"code": "thresholds", "hold": [hold_from, hold_to], "spam": [spam_from, spam_to]}], ""


def _write_thresholds(said: list[Message], rest: str) -> str:
    (a, b), (c, d) = said[0]["hold"], said[0]["spam"]
    return f"hold {a:g} → {b:g}, spam {c:g} → {d:g}"


def _fields(model: type[models.Model], name: Callable[[str], str]) -> dict[str, Any]:
    """The model's fields by the name a sentence gave them."""
    return {name(str(f.verbose_name)): f for f in model._meta.concrete_fields if not f.primary_key}


def _value(field: Any, text: str, *, blank: str) -> Any:
    """The stored value a sentence's word stood for, as ``_said`` below wrote it."""
    if isinstance(field, models.BooleanField):
        if text not in ("on", "off"):
            raise ValueError(text)
        return text == "on"
    if text == blank:
        return None if field.null else ""
    if field.choices:
        labels = {_choice(str(label)): value for value, label in field.flatchoices}
        return labels[text]  # KeyError: a label of another version or language
    return field.to_python(text)


def _choice(label: str) -> str:
    return label[:1].lower() + label[1:]


def _said(field: Any, value: Any, *, blank: str) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if field.choices:
        return _choice(str(dict(field.flatchoices).get(value, value)))
    if blank == "none" and value in (None, ""):
        return "none"
    return str(value)


def _read_changes(
    model: type[models.Model], items: list[str], pattern: str, *, case: Callable, blank: str
) -> list[Message] | None:
    """Each item "<field><pattern's separator><old> → <new>" read into a change; None
    when a field is not the model's or a value could hold the arrow."""
    fields = _fields(model, case)
    names = "|".join(map(re.escape, sorted(fields, key=len, reverse=True)))
    changes = []
    for item in items:
        found = re.fullmatch(pattern.format(field=f"(?P<field>{names})"), item, re.S)
        if found is None or " → " in found["old"]:
            return None
        field = fields[found["field"]]
        changes.append(
            {
                "field": field.name,
                "from": _value(field, found["old"], blank=blank),
                "to": _value(field, found["new"], blank=blank),
            }
        )
    return changes


def _read_settings(note: str) -> Read | None:
    """The admin's moderation settings: "most links 2 → 5; hold first comments off → on"."""
    changes = _read_changes(
        ModerationSettings,
        note.split("; "),
        "{field} (?P<old>.*) → (?P<new>.*)",
        case=str,
        blank="None",
    )
    return ([{"code": "settings", "changes": changes}], "") if changes else None


def _write_settings(said: list[Message], rest: str) -> str:
    fields = {f.name: f for f in ModerationSettings._meta.concrete_fields}
    return "; ".join(
        f"{fields[c['field']].verbose_name} {_said(fields[c['field']], c['from'], blank='None')}"
        f" → {_said(fields[c['field']], c['to'], blank='None')}"
        for c in said[0]["changes"]
    )


def _read_site_settings(note: str) -> Read | None:
    """The site settings: "Site settings: Comment policy: a → b. Thread depth: 4 → 6."."""
    if not note.startswith("Site settings: ") or not note.endswith("."):
        return None
    names = "|".join(map(re.escape, _fields(SiteSettings, str.capitalize)))
    parts = re.split(f"(?:^| )({names}): ", note.removeprefix("Site settings:"))
    if parts[0] or len(set(parts[1::2])) != len(parts[1::2]):
        return None  # something before the first field, or a field named twice
    items = [f"{name}: {said}" for name, said in zip(parts[1::2], parts[2::2], strict=True)]
    changes = _read_changes(
        SiteSettings,
        items,
        r"{field}: (?P<old>.*) → (?P<new>.*)\.",
        case=str.capitalize,
        blank="none",
    )
    return ([{"code": "site_settings", "changes": changes}], "") if changes else None


def _write_site_settings(said: list[Message], rest: str) -> str:
    fields = {f.name: f for f in SiteSettings._meta.concrete_fields}
    items = [
        f"{str(fields[c['field']].verbose_name).capitalize()}: "
        f"{_said(fields[c['field']], c['from'], blank='none')} → "
        f"{_said(fields[c['field']], c['to'], blank='none')}."
        for c in said[0]["changes"]
    ]
    return " ".join(["Site settings:", *items])


_ARTICLE = re.compile(
    r"(?:(?P<open>Opened|Closed) comments\.)?(?: ?Comment policy: (?P<old>.*) → (?P<new>.*)\.)?",
    re.S,
)


def _read_article(note: str) -> Read | None:
    found = _ARTICLE.fullmatch(note)
    if not note or found is None:
        return None
    said: list[Message] = []
    if found["open"]:
        said.append({"code": "comments_opened" if found["open"] == "Opened" else "comments_closed"})
    if found["old"] is not None:
        field: Any = Article._meta.get_field("comment_policy")
        said.append(
            {
                "code": "comment_policy",
                "from": _value(field, found["old"], blank=""),
                "to": _value(field, found["new"], blank=""),
            }
        )
    return said, ""


def _write_article(said: list[Message], rest: str) -> str:
    field: Any = Article._meta.get_field("comment_policy")
    written = {
        "comments_opened": lambda m: "Opened comments.",
        "comments_closed": lambda m: "Closed comments.",
        "comment_policy": lambda m: (
            f"Comment policy: {_said(field, m['from'], blank='')} → "
            f"{_said(field, m['to'], blank='')}."
        ),
    }
    return " ".join(written[m["code"]](m) for m in said)


_PHRASES = r"“.*?”(?:, “.*?”)*"
_WORDS = re.compile(
    rf"(?P<verb>Added|Removed) (?P<phrases>{_PHRASES}) (?P<on>on|from) the (?P<list>hold|block) "
    r"list\.(?: |$)",
    re.S,
)


def _read_words(note: str, *, admin: bool) -> Read | None:
    """The word lists page's "Added “a”, “b” on the hold list. Removed “c” from the block
    list.", or the admin's one rule ("Removed “c” on the block list.")."""
    lists: dict[str, Message] = {}
    position = 0
    while position < len(note):
        found = _WORDS.match(note, position)
        if found is None:
            return None
        phrases = found["phrases"][1:-1].split("”, “")
        change = lists.setdefault(
            found["list"], {"list": found["list"], "added": [], "removed": []}
        )
        change["added" if found["verb"] == "Added" else "removed"].extend(phrases)
        position = found.end()
    if not lists or (
        admin and sum(len(c["added"]) + len(c["removed"]) for c in lists.values()) != 1
    ):
        return None
    return [{"code": "words", "lists": list(lists.values())}], ""


def _write_words(said: list[Message], rest: str, *, admin: bool = False) -> str:
    written = []
    for change in said[0]["lists"]:
        if change["added"]:
            phrases = ", ".join(f"“{p}”" for p in change["added"])
            written.append(f"Added {phrases} on the {change['list']} list.")
        if change["removed"]:
            phrases = ", ".join(f"“{p}”" for p in change["removed"])
            written.append(
                f"Removed {phrases} {'on' if admin else 'from'} the {change['list']} list."
            )
    return " ".join(written)


_RULE_CHANGED = re.compile(
    r"Changed “(?P<old>.*)” on the (?P<old_list>hold|block) list to "
    r"“(?P<new>.*)” on the (?P<new_list>hold|block) list\.",
    re.S,
)


def _read_rule_changed(note: str) -> Read | None:
    found = _RULE_CHANGED.fullmatch(note)
    if found is None:
        return None
    said = {
        "code": "rule_changed",
        "from": {"phrase": found["old"], "list": found["old_list"]},
        "to": {"phrase": found["new"], "list": found["new_list"]},
    }
    return [said], ""


def _write_rule_changed(said: list[Message], rest: str) -> str:
    old, new = said[0]["from"], said[0]["to"]
    return (
        f"Changed “{old['phrase']}” on the {old['list']} list to “{new['phrase']}” on the "
        f"{new['list']} list."
    )


Form = tuple[Callable[[str], Read | None], Callable[[list[Message], str], str]]
FORMS: dict[str, list[Form]] = {
    Action.EDIT: [(_read_edited, _write_edited)],
    Action.UNDO: [(_read_undid, _write_undid)],
    Action.HIDE: [(_read_hidden, _write_hidden)],
    Action.DISMISS: [(_read_kept, _write_kept)],
    Action.BLOCK: [
        (_read_blocked, _write_blocked),
        (_read_block_changed, _write_block_changed),
    ],
    Action.UNBLOCK: [(_read_unblocked, _write_unblocked)],
    Action.THRESHOLDS: [
        (_read_thresholds, _write_thresholds),
        (_read_settings, _write_settings),
    ],
    Action.SETTINGS: [
        (_read_site_settings, _write_site_settings),
        (_read_settings, _write_settings),
    ],
    Action.WORDS: [
        (lambda note: _read_words(note, admin=False), _write_words),
        (
            lambda note: _read_words(note, admin=True),
            lambda said, rest: _write_words(said, rest, admin=True),
        ),
        (_read_rule_changed, _write_rule_changed),
    ],
    Action.ARTICLE: [(_read_article, _write_article)],
}
