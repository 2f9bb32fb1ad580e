"""Two editors, or one in two tabs, saving the same article: the later save is refused.

The article's form carries what it was loaded from (``Loaded``: a digest of each
field's stored value, the notes by their WordPress ids, when it was last saved). A
save whose article has been saved since is refused and shown again: the fields the
editor left alone take the newer save's values, the ones both changed keep the
editor's text beside the other's (``Clash``), and the form now counts as loaded from
the newer save, so that saving it again, once looked over, goes through. Nothing
typed is lost, and nothing saved is overwritten unseen.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

# A field's value, as the guard compares it: text, or "" for none.
State = dict[str, str]


def same_text(value: str) -> str:
    """Text as compared: a browser sends a box's lines ended by CRLF, whatever they
    were stored with."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _digest(value: str) -> str:
    return hashlib.sha256(same_text(value).encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Loaded:
    """What a form was loaded from: each field's digest, the ids of the notes its
    boxes hold (box 1 first), and when the article was last saved."""

    digests: dict[str, str]
    notes: tuple[str, ...]
    at: datetime | None

    @classmethod
    def of(cls, state: State, notes: list[str], at: datetime | None) -> Loaded:
        return cls({name: _digest(value) for name, value in state.items()}, tuple(notes), at)

    def encode(self) -> str:
        return json.dumps(
            {
                "digests": self.digests,
                "notes": list(self.notes),
                "at": self.at.isoformat() if self.at else None,
            },
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, sent: str | None) -> Loaded | None:
        """The form's ``loaded`` as sent; None when absent or not one (a form from a
        script, or from before the guard), which is not guarded."""
        try:
            said = json.loads(sent or "")
            digests = {str(k): str(v) for k, v in dict(said["digests"]).items()}
            notes = tuple(str(note) for note in said["notes"])
            at = parse_datetime(said["at"]) if said.get("at") else None
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        return cls(digests, notes, at)

    def changed(self, state: State) -> set[str]:
        """The names whose value in ``state`` differs from what was loaded."""
        # A name missing on either side (a note added or removed) stands for "".
        names = set(state) | set(self.digests)
        empty = _digest("")
        return {
            name for name in names if _digest(state.get(name, "")) != self.digests.get(name, empty)
        }


@dataclass(frozen=True)
class Clash:
    """A field both saves changed, each its own way: the newer save's value (kept in
    the article) and the editor's (kept in the form), as shown, and the lines where
    they differ (``differing_lines``)."""

    label: str
    theirs: str
    yours: str
    lines: list[tuple[str, str]] = field(default_factory=list)

    @property
    def long(self) -> bool:
        return "\n" in self.theirs or "\n" in self.yours or len(self.theirs) > 200


def differing_lines(theirs: str, yours: str) -> list[tuple[str, str]]:
    """The lines where two texts differ, each with one line of context around it: as
    ``(kind, line)``, the kind "theirs" (only in the newer save), "yours", "same", or
    "gap" (lines alike left out)."""
    said: list[tuple[str, str]] = []
    lines = difflib.unified_diff(
        same_text(theirs).split("\n"), same_text(yours).split("\n"), n=1, lineterm=""
    )
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if said:
                said.append(("gap", ""))
            continue
        kind = {"-": "theirs", "+": "yours"}.get(line[:1], "same")
        said.append((kind, line[1:]))
    return said


@dataclass
class Conflict:
    """A refused save: when the article was saved since the form was loaded, the
    fields taken in from that save, and those both changed."""

    saved_at: datetime | None
    # When the form was loaded from (its article's last save then).
    since: datetime | None
    taken: list[str]
    clashes: list[Clash]
    # Notes the newer save removed that the editor had changed: their text, kept.
    orphans: list[str]
    # Filled in by the admin, which knows who saved it (its log).
    by: Any = None
    by_you: bool = False


def remapped_notes(data: Any, loaded: tuple[str, ...], now: list[str], prefix: str) -> list[str]:
    """The form's ``data`` (a mutable copy) with each note box's text moved to the box
    its note has now: boxes are numbered as readers see the notes, and a newer save
    may have numbered them otherwise. Returns the text of the notes no box holds now
    (the newer save removed them), which the form shows so that it is not lost."""
    sent = {note: data.get(f"{prefix}{number}") for number, note in enumerate(loaded, 1)}
    for number in range(1, max(len(loaded), len(now)) + 1):
        data.pop(f"{prefix}{number}", None)
    for number, note in enumerate(now, 1):
        if sent.get(note) is not None:
            data[f"{prefix}{number}"] = sent[note]
    return [text for note, text in sent.items() if note not in now and text and text.strip()]
