"""Cues: what comment spam asks of its readers, whatever the wording.

Each cue becomes one pseudo-word among the filter's features (``features``), so
the filter learns one weight for a whole family of tricks from every example of
it. A cue is not a rule: its weight comes from the site's decisions like any
other feature's.
"""

from __future__ import annotations

import re

# What comment spam asks of its readers, in whatever words: each cue is one
# feature, so the filter learns one weight for the whole family ("give it a
# like", "thumbs up if", "like this comment") from every example of it, and
# a new wording of an old trick is not a new word to it. Each cue is the
# substrings (space-separated) that every match contains, and a pattern over the
# lower-cased text: most comments contain none of the substrings, and looking
# for one is far cheaper than running the pattern (test_learned.py checks them).
CUES: dict[str, tuple[str, str]] = {
    "likes": (
        "like upvote thumb",
        r"\b(?:like|upvote)\s+(?:this\s+(?:comment|post)|if|for|my)\b|\bthumbs?\s*up\b"
        r"|\b(?:give|leave|drop|hit)\s+(?:it|me|this|us)\s+(?:a\s+)?(?:like|thumbs?)\b",
    ),
    "share": ("shar spread repost", r"\bshar(?:e|ing)\b|\bspread the word\b|\brepost\b"),
    "subscribe": (
        "sub follow add friend",
        r"\bsub(?:scri\w*|s|bing|bed)?\s*(?:to|4|for|back|me|my)\b|\bsubscri\w*"
        r"|\bfollow\s+(?:me|my|us|back)\b|\badd\s+me\b|\bfriend\s+me\b",
    ),
    "visit": (
        "check look visit click go type search",
        r"\b(?:check(?:ing)?|checkout|look|take a look)\s*(?:out|at|it)?\s+(?:my|this|our|me)\b"
        r"|\bvisit\b|\bclick\b|\bgo\s+to\s+(?:my|this|our)\b|\btype\s+in\b"
        r"|\bsearch\s+(?:for\s+)?\"?\w",
    ),
    "own_work": (
        "my our",
        r"\b(?:my|our)\s+(?:new\s+|own\s+|first\s+|latest\s+)?(?:channel|videos?|page|music"
        r"|songs?|band|blog|site|website|account|profile|covers?|tracks?|mixtape|album|playlist"
        r"|stream|shop|store|app|game|vlogs?|remix|beats?|raps?|art|book|podcast)\b",
    ),
    "money": (
        "money cash earn paypal bitcoin dollar free prize gift giveaway discount cheap loan casino"
        " hiring work $ € £",
        r"\b(?:money|cash|earn|paypal|bitcoin|dollars?|free|prizes?|gift\s*cards?|giveaway"
        r"|discount|cheap|loans?|casino|hiring|work\s+from\s+home)\b|[$€£]\s?\d",
    ),
    "contact": (
        "text call message msg dm mail contact whatsapp skype kik snapchat 0 1 2 3 4 5 6 7 8 9",
        r"\b(?:text|call|message|msg|dm|email|e-mail|contact|whatsapp|skype|kik|snapchat)"
        r"\s+(?:me|us|now)\b|\+?\d[\d\s().-]{8,}\d",
    ),
    "crowd": (
        "hey hi hello yo",
        r"\b(?:hey|hi|hello|yo)\s+(?:guys|everyone|everybody|people|all|y'?all|there)\b"
        r"|\byou\s+guys\b",
    ),
    "please": ("pl", r"\b(?:please|pls|plz|plox|plzz+|pleas+e+)\b"),
}
_CUES = [
    (name, tuple(needles.split()), re.compile(pattern)) for name, (needles, pattern) in CUES.items()
]


def cues(lowered: str) -> list[str]:
    """The names of the cues a lower-cased text shows."""
    contains = lowered.__contains__  # mapped over the needles: no Python loop per needle
    return [
        name
        for name, needles, pattern in _CUES
        if any(map(contains, needles)) and pattern.search(lowered)
    ]
