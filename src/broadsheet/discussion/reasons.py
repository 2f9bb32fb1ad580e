"""A comment's stored reasons, said in the language of whoever reads them.

A check's reason is stored as the check said it, in English (``reason``), and,
when the sentence carries values (how many links, which listed word), also as
the sentence to translate (``msgid``) with those values (``params``). Each time
a reason is shown it is put into the active language: its ``msgid`` filled with
its ``params``, or, for a reason with no values, its ``reason`` looked up in the
catalogue. A reason stored by an older release (``reason`` alone) is translated
when its text is one the catalogue knows and otherwise shown as it was written,
and so is a reason whose ``msgid`` this version cannot fill: the English text is
never lost for want of a translation.

Words a check quotes (a listed word, the words the filter weighed most) are the
comment's own, not the site's: they are kept as they were, set apart from the
sentence around them on a right-to-left page. What the filter says of a comment's
shape among them ("a link", "asks for likes") is the program's own sentence, stored
as one (``{"msgid", "params"}``, alone or among words) and said in the reader's
language too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language_bidi, gettext, gettext_noop

Params = dict[str, Any]

# The placeholders a stored msgid may hold: a value as it is, or a number with a
# fixed count of decimals. A width ("%(x)999999s") is never honoured, so that a
# restored backup cannot make a page build an enormous string.
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\)(?:s|d|\.\df)|%)")
_ANY_PERCENT = re.compile(r"%")


def fill(text: str, params: Mapping[str, Any], *, bidi: bool = False, local: bool = False) -> str:
    """``text`` with its placeholders filled: a list of words quoted and joined with
    commas, each word set apart from the sentence when ``bidi``, and the program's
    own words among them (``spoken``) in the active language when ``local``."""
    if len(_ANY_PERCENT.findall(text)) != sum(
        1 + (m.group(0) == "%%") for m in _PLACEHOLDER.finditer(text)
    ):
        raise ValueError(f"A placeholder this version does not fill: {text!r}")
    values = {key: _value(value, bidi=bidi, local=local) for key, value in params.items()}
    return text % values


def _value(value: Any, *, bidi: bool, local: bool) -> Any:
    if isinstance(value, list):
        return ", ".join(_quoted(spoken(word, local=local), bidi=bidi) for word in value)
    if isinstance(value, str) and bidi:
        return f"\u2068{value}\u2069"
    return value


def spoken(word: object, *, local: bool = False) -> str:
    """One quoted word of a reason: a comment's word as it was written (a string); a
    phrase the program wrote (``{"msgid", "params"}``), in the active language when
    ``local``, else in English; or a list of both, joined by spaces (a pair of words)."""
    if isinstance(word, Mapping):
        msgid, params = word.get("msgid"), word.get("params", {})
        if not (isinstance(msgid, str) and isinstance(params, Mapping)):
            raise TypeError(word)
        return fill(gettext(msgid) if local and msgid else msgid, params)
    if isinstance(word, list):
        return " ".join(spoken(part, local=local) for part in word)
    return str(word)


def _quoted(word: str, *, bidi: bool) -> str:
    if not bidi:
        return f"“{word}”"
    return gettext("“%(phrase)s”") % {"phrase": f"\u2068{word}\u2069"}


def english(msgid: str, params: Params) -> str:
    """The reason as it is stored, in English: what older releases and backups read."""
    return fill(msgid, params)


def say(reason: object) -> str:
    """One stored reason (a dict from ``Comment.reasons``) in the active language."""
    if not isinstance(reason, Mapping):
        return str(reason)
    text = reason.get("reason")
    written = text if isinstance(text, str) else ""
    msgid, params = reason.get("msgid"), reason.get("params")
    if not (isinstance(msgid, str) and msgid and isinstance(params, Mapping)):
        return gettext(written) if written else ""
    try:
        said = fill(gettext(msgid), params, bidi=get_language_bidi(), local=True)
        before = reason.get("before", [])
        if not isinstance(before, list):
            raise TypeError(before)
        if earlier := " ".join(filter(None, map(say, before))):
            said += " " + gettext("Before the edit: %(reasons)s") % {"reasons": earlier}
    except (KeyError, TypeError, ValueError):
        return written  # as it was stored: this version cannot put it into words
    return said


def said_all(reasons: object) -> list[str]:
    """Every stored reason of a comment in the active language, empty ones left out."""
    if not isinstance(reasons, list):
        return []
    return [text for text in map(say, reasons) if text]


EDITED = gettext_noop(
    "Edited by its author while it was not published: an edit never publishes a comment."
)


def edited_note(reasons: object) -> Params:
    """The reason an unpublished comment's edit adds: that an edit never publishes it,
    with the reasons it had before (kept whole, to be said in each reader's language)."""
    before = [
        r for r in (reasons if isinstance(reasons, list) else [])
        if isinstance(r, Mapping) and isinstance(r.get("reason"), str) and r["reason"]
    ]  # fmt: skip
    written = " ".join(r["reason"] for r in before)
    return {
        "check": "edited",
        "action": "hold",
        "reason": EDITED + (f" Before the edit: {written}" if written else ""),
        "msgid": EDITED,
        "params": {},
        "before": before,
    }
