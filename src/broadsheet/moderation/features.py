"""What the learned filter sees of a comment: normalised text turned into hashed features.

The features are stateless (feature hashing), so the model stores no vocabulary
and a new word needs no refit. Text is normalised the way comments arrive from
every source (HTML entities and ``<br>`` from imports, look-alike Unicode
letters, links written in many shapes) and a few readable pseudo-words describe
the comment's shape ("has 2 links", "mostly capitals"), so that the reasons
shown to moderators can name them.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

# Bump when the features change: a stored model built on other features cannot be used.
FEATURES_VERSION = 1

N_WORD_FEATURES = 2**18
N_CHAR_FEATURES = 2**18
N_FEATURES = N_WORD_FEATURES + N_CHAR_FEATURES

_BR = re.compile(r"<\s*br\s*/?\s*>|<\s*/?\s*p\s*>", re.IGNORECASE)
_HREF = re.compile(r"""<\s*a\s[^>]*?href\s*=\s*["']?([^"'\s>]+)[^>]*>""", re.IGNORECASE)
_ANCHOR = re.compile(
    r"""<\s*a\s[^>]*?href\s*=\s*["']?([^"'\s>]+)[^>]*>(.{0,500}?)<\s*/\s*a\s*>""",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]{0,200}>")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_SCHEME_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"']+|\bwww\.[^\s<>\"']+", re.IGNORECASE)
# A bare domain, also the "example . com" spelling that dodges link detection.
_BARE_DOMAIN = re.compile(
    r"\b([a-z0-9][a-z0-9-]{1,62})\s?\.\s?(com|net|org|info|biz|co|io|ly|me|tv|us|uk|ru|de|gl|"
    r"be|to|cc|xyz|site|online|club|shop|store|app|link|page)\b(/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|[#@$€£]|\d+")
_REPEAT = re.compile(r"(.)\1{2,}")
_SPACE = re.compile(r"\s+")


def _anchor(match: re.Match) -> str:
    """A link as its target, and its text when the text is not the target again."""
    href, label = match.group(1), match.group(2).strip()
    if not label or label == href or _SCHEME_URL.fullmatch(label):
        return f" {href} "
    return f" {label} {href} "


def clean_markup(text: str) -> str:
    """Decode entities and ``<br>``, keep link targets, drop other tags and invisible marks."""
    text = html.unescape(html.unescape(text))
    text = _BR.sub("\n", text)
    text = _ANCHOR.sub(_anchor, text)
    text = _HREF.sub(lambda m: f" {m.group(1)} ", text)
    text = _TAG.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    # NFKC folds the look-alike letters spammers use (full-width, bold maths) to plain ones.
    return unicodedata.normalize("NFKC", text)


def _domain(url: str) -> str:
    url = re.sub(r"^(?:https?|ftp)://", "", url.lower())
    host = url.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    host = host.removeprefix("www.")
    parts = [p for p in host.split(".") if p]
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


def count_links(body: str) -> int:
    """Links in a comment: with a scheme, www., or a bare (even spaced-out) domain."""
    text = _EMAIL.sub(" ", clean_markup(body))
    with_scheme = len(_SCHEME_URL.findall(text))
    return with_scheme + len(_BARE_DOMAIN.findall(_SCHEME_URL.sub(" ", text)))


@dataclass(frozen=True)
class Normalised:
    text: str  # lower-case, links, e-mails and numbers replaced by placeholders
    shape: tuple[str, ...]  # readable pseudo-words describing the comment


def normalise(body: str, *, author_url: str = "") -> Normalised:
    text = clean_markup(body)
    links: list[str] = []

    def link(match: re.Match) -> str:
        links.append(_domain(match.group(0)))
        return " xurlx "

    text = _EMAIL.sub(" xemailx ", text)
    text = _SCHEME_URL.sub(link, text)
    text = _BARE_DOMAIN.sub(link, text)
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    text = _NUMBER.sub(" xnumx ", text.lower())
    text = _REPEAT.sub(r"\1\1", text)
    text = _SPACE.sub(" ", text).strip()

    words = len(text.split())
    shape = [f"xlinks{min(len(links), 3)}x"]
    shape += [f"xdomainx{d}" for d in dict.fromkeys(links)]
    shape.append(f"xlenx{sum(words > n for n in (3, 12, 40))}")
    if len(letters) >= 8 and upper / len(letters) > 0.6:
        shape.append("xshoutx")
    if author_url:
        shape.append("xauthorurlx")
        shape.append(f"xauthordomainx{_domain(author_url)}")
    return Normalised(text=text, shape=tuple(shape))


def word_tokens(n: Normalised) -> list[str]:
    """Unigrams, bigrams and the shape words: what the reasons can name."""
    words = _WORD.findall(n.text)
    tokens = list(words)
    tokens += [f"{a} {b}" for a, b in itertools.pairwise(words)]
    tokens += n.shape
    return tokens


def char_grams(n: Normalised) -> list[str]:
    text = f" {n.text} "
    return [text[i : i + size] for size in (3, 4, 5) for i in range(len(text) - size + 1)]


@dataclass(frozen=True)
class CommentText:
    """The parts of a comment the filter reads."""

    body: str
    author_url: str = ""


# Token -> column, kept per process: n-grams recur, and a dict lookup is much
# cheaper than hashing again. Bounded; it only ever holds what hashing gives.
_columns: dict[str, int] = {}
_COLUMNS_KEPT = 100_000


def _column(token: str, size: int, offset: int) -> int:
    column = _columns.get(token)
    if column is None:
        column = abs(murmurhash3_32(token, seed=0)) % size + offset
        if len(_columns) < _COLUMNS_KEPT:
            _columns[token] = column
    return column


def word_column(token: str) -> int:
    """The column a word token (or shape word) lands in."""
    return _column(token, N_WORD_FEATURES, 0)


def _block(columns: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Counts per column, scaled to unit length (each block on its own)."""
    if not columns:
        return np.empty(0, dtype=np.int64), np.empty(0)
    index, counts = np.unique(np.asarray(columns, dtype=np.int64), return_counts=True)
    values = counts.astype(np.float64)
    return index, values / np.sqrt(values @ values)


@dataclass(frozen=True)
class Vector:
    """One comment's features: sorted columns and their values."""

    columns: np.ndarray
    values: np.ndarray
    words: dict[str, int]  # each word token and its column, for the reasons


def vectorize(item: CommentText) -> Vector:
    n = normalise(item.body, author_url=item.author_url)
    tokens = word_tokens(n)
    words = {t: word_column(t) for t in tokens}
    word_index, word_values = _block([words[t] for t in tokens])
    char_index, char_values = _block(
        [_column("c" + g, N_CHAR_FEATURES, N_WORD_FEATURES) for g in char_grams(n)]
    )
    return Vector(
        np.concatenate([word_index, char_index]), np.concatenate([word_values, char_values]), words
    )


def featurize(items: Iterable[CommentText]) -> sp.csr_matrix:
    """A sparse matrix of hashed features, one row per comment."""
    vectors = [vectorize(i) for i in items]
    indptr = np.cumsum([0] + [len(v.columns) for v in vectors])
    columns = np.concatenate([v.columns for v in vectors]) if vectors else np.empty(0)
    values = np.concatenate([v.values for v in vectors]) if vectors else np.empty(0)
    return sp.csr_matrix((values, columns, indptr), shape=(len(vectors), N_FEATURES))


def readable(token: str) -> str:
    """A shape pseudo-word as a moderator would say it."""
    if token.startswith("xlinks"):
        n = token[6]
        return "no link" if n == "0" else f"{n}{'+' if n == '3' else ''} link(s)"
    if token.startswith("xdomainx"):
        return f"link to {token[8:]}"
    if token.startswith("xauthordomainx"):
        return f"website {token[14:]}"
    names = {
        "xauthorurlx": "gave a website",
        "xshoutx": "mostly capitals",
        "xlenx0": "very short",
        "xlenx1": "short",
        "xlenx2": "medium length",
        "xlenx3": "long",
        "xurlx": "a link",
        "xnumx": "a number",
        "xemailx": "an e-mail address",
    }
    if token in names:
        return names[token]
    return " ".join(names.get(w, w) for w in token.split(" "))
