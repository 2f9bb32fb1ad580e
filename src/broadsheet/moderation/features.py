"""What the learned filter sees of a comment: normalised text turned into hashed features.

The features are stateless (feature hashing), so the model stores no vocabulary
and a new word needs no refit. Text is normalised the way comments arrive from
every source (HTML entities and ``<br>`` from imports, look-alike Unicode
letters, links written in many shapes) and a few readable pseudo-words describe
the comment's shape ("has 2 links", "mostly capitals"), so that the reasons
shown to moderators can name them.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from django.utils.translation import gettext_noop

from broadsheet.discussion.reasons import spoken
from broadsheet.moderation.cues import cues
from broadsheet.moderation.folding import undisguised

# A feature as moderators read it (``described``): a word, a phrase, or a pair of them.
Described = str | dict[str, Any] | list[str | dict[str, Any]]

# Bump when the features change: a stored model built on other features cannot be used.
FEATURES_VERSION = 6

N_WORD_FEATURES = 2**18
N_CHAR_FEATURES = 2**18
N_META_FEATURES = 2**12  # the shape and cue pseudo-words, a block of their own
N_FEATURES = N_WORD_FEATURES + N_CHAR_FEATURES + N_META_FEATURES
META_START = N_WORD_FEATURES + N_CHAR_FEATURES
# Each block is scaled to unit length, then by its weight: the shape and cue
# block at half, so that a few pseudo-words inform the score without outvoting
# the text (measured leave-one-file-out: AUC falls both at 0.35 and at 1).
BLOCK_WEIGHTS = np.array([1.0, 1.0, 0.5])
CHAR_SIZES = (3, 4, 5)  # character n-gram lengths
WITHIN_WORDS = False  # character n-grams only inside words (and at their edges)
TF = "binary"  # term weight: "raw" count, "log" (1 + count) or "binary" (present or not)

_BR = re.compile(r"<\s*br\s*/?\s*>|<\s*/?\s*p\s*>", re.IGNORECASE)
# Attributes are read up to 500 characters: unbounded, "<a " repeated made every
# match scan to the end of the comment (a quarter of a second for 10,000 characters).
_HREF = re.compile(
    r"""<\s*a\s[^>]{0,500}?href\s*=\s*["']?([^"'\s>]{1,2000})[^>]{0,500}>""", re.IGNORECASE
)
_ANCHOR = re.compile(
    r"""<\s*a\s[^>]{0,500}?href\s*=\s*["']?([^"'\s>]{1,2000})[^>]{0,500}>(.{0,500}?)"""
    r"""<\s*/\s*a\s*>""",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]{0,200}>")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_SCHEME_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"']+|\bwww\.[^\s<>\"']+", re.IGNORECASE)
# A bare domain (with any subdomains), also the "example . com" spelling that
# dodges link detection. _MAYBE_DOMAIN is its cheap first test: the dot and TLD.
_TLD = (
    r"\s?\.\s?(com|net|org|info|biz|co|io|ly|me|tv|us|uk|ru|de|gl|"
    r"be|to|cc|xyz|site|online|club|shop|store|app|link|page)\b"
)
_BARE_DOMAIN = re.compile(
    r"\b((?:[a-z0-9-]{1,63}\.){0,4}[a-z0-9][a-z0-9-]{1,62})" + _TLD + r"(/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_MAYBE_DOMAIN = re.compile(_TLD, re.IGNORECASE)
# An e-mail address, found from the start of its run of address characters only (the
# punctuation before its first letter is kept, in group 1): tried from every position
# of a long run without "@" ("a.a.a.…"), the search took a quarter of a second.
_EMAIL = re.compile(r"(?<![\w.+-])([.+-]*)\b[\w.+-]++@[\w-]+\.[\w.-]+\b")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|[#@$€£]|\d+")
_REPEAT = re.compile(r"(.)\1{2,}")


def _anchor(match: re.Match) -> str:
    """A link as its target, and its text when the text is not the target again."""
    href, label = match.group(1), match.group(2).strip()
    if not label or label == href or _SCHEME_URL.fullmatch(label):
        return f" {href} "
    return f" {label} {href} "


def clean_markup(text: str) -> str:
    """Decode entities and ``<br>``, keep link targets, drop other tags and invisible marks."""
    if "&" in text:
        text = html.unescape(html.unescape(text))
    if "<" in text:
        text = _BR.sub("\n", text)
        text = _ANCHOR.sub(_anchor, text)
        text = _HREF.sub(lambda m: f" {m.group(1)} ", text)
        text = _TAG.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    # NFKC folds the look-alike letters spammers use (full-width, bold maths) to plain ones.
    return unicodedata.normalize("NFKC", text)


def _domain(url: str) -> str:
    url = re.sub(r"^(?:https?|ftp)://", "", "".join(url.lower().split()))
    host = url.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    host = host.removeprefix("www.")
    parts = [p for p in host.split(".") if p]
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


def count_links(body: str, *, site: tuple[str, ...] = ()) -> int:
    """Links in a comment: with a scheme, www., or a bare (even spaced-out) domain;
    those to the ``site``'s own host names do not count."""
    text = clean_markup(body)
    if "@" in text:
        text = _EMAIL.sub(r"\1 ", text)
    found = [m.group(0) for m in _SCHEME_URL.finditer(text)]
    found += [m.group(0) for m in _BARE_DOMAIN.finditer(_SCHEME_URL.sub(" ", text))]
    return sum(not (site and _on_site(_address(link), site)) for link in found)


@dataclass(frozen=True)
class Normalised:
    text: str  # lower-case, links, e-mails and numbers replaced by placeholders
    shape: tuple[str, ...]  # readable pseudo-words describing the comment


_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_ASCII_CAPITALS = bytes(range(65, 91))


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _cased(text: str, lowered: str) -> tuple[int, int]:
    """Letters that have a case, and how many of them are capitals (counted with numpy)."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data) - len(data.translate(None, _ASCII_LETTERS)), len(data) - len(
            data.translate(None, _ASCII_CAPITALS)
        )
    raised = text.upper()
    if not len(text) == len(lowered) == len(raised):  # "ß".upper() is "SS": count one by one
        letters = [c for c in text if c.lower() != c.upper()]
        return len(letters), sum(c.isupper() for c in letters)
    original, low, high = _codes(text), _codes(lowered), _codes(raised)
    return int((low != high).sum()), int(((original != low) & (low != high)).sum())


def _address(url: str) -> str:
    """A link as compared with the site's addresses: no scheme or ``www.``, host lower-cased."""
    url = re.sub(r"^(?:https?|ftp)://", "", "".join(url.split()), flags=re.IGNORECASE)
    url = url.rstrip(".,;:!?)]}'\"")  # the sentence's punctuation, not the link's
    cut = min((i for i in map(url.find, "/?#") if i >= 0), default=len(url))
    host = url[:cut].lower().split("@")[-1].split(":", 1)[0].removeprefix("www.").rstrip(".")
    return host + url[cut:]


def _on_page(address: str, page: Iterable[str]) -> bool:
    """Whether a link (as ``_address`` gives it) points at one of the page's addresses."""
    for own in page:
        own = _address(own).rstrip("/")
        if address.startswith(own) and (len(address) == len(own) or address[len(own)] in "/?&#"):
            return True
    return False


def _on_site(address: str, site: Iterable[str]) -> bool:
    """Whether a link's host is one of the site's (``.example.com`` also takes its subdomains)."""
    host = re.split(r"[/?#]", address, maxsplit=1)[0]
    return any(
        host == h or (h.startswith(".") and (host == h[1:] or host.endswith(h))) for h in site
    )


def normalise(
    body: str,
    *,
    author_url: str = "",
    page: tuple[str, ...] = (),
    site: tuple[str, ...] = (),
) -> Normalised:
    """The text as the filter reads it, and its shape words.

    ``page`` are the addresses of the page the comment is on and ``site`` the
    site's own host names (``CommentText``): a link to them is written
    ``xpagelinkx`` or ``xsitelinkx`` instead of ``xurlx`` and is not counted
    among the comment's links, since a reader pointing at the article (or a
    moment of it) is not advertising anything.
    """
    text = clean_markup(body)
    links: list[str] = []

    def link(match: re.Match) -> str:
        if page or site:
            address = _address(match.group(0))
            if _on_page(address, page):
                return " xpagelinkx "
            if _on_site(address, site):
                return " xsitelinkx "
        links.append(_domain(match.group(0)))
        return " xurlx "

    # The cheap tests first: most comments have no e-mail address and no link.
    if "@" in text:
        text = _EMAIL.sub(r"\1 xemailx ", text)
    lowered = text.lower()
    if "://" in text or "www." in lowered:
        text = _SCHEME_URL.sub(link, text)
    if _MAYBE_DOMAIN.search(text):
        text = _BARE_DOMAIN.sub(link, text)
    lowered = text.lower()
    letters, upper = _cased(text, lowered)
    # Read through its disguises, as the word lists read it: "v1agra", "v i a g r a"
    # and "vіagra" with a Cyrillic і are the same word as "viagra" (features v6).
    lowered = undisguised(text).text
    cued = cues(lowered)
    text = _NUMBER.sub(" xnumx ", lowered)
    text = _REPEAT.sub(r"\1\1", text)
    split = text.split()
    text = " ".join(split)

    words = len(split)
    shape = [f"xlinks{min(len(links), 3)}x"]
    shape += [f"xcuex{name}" for name in cued]
    shape += [f"xdomainx{d}" for d in dict.fromkeys(links)]
    shape.append(f"xlenx{sum(words > n for n in (3, 12, 40))}")
    if letters >= 8 and upper / letters > 0.6:
        shape.append("xshoutx")
    if author_url:
        shape.append("xauthorurlx")
        shape.append(f"xauthordomainx{_domain(author_url)}")
    return Normalised(text=text, shape=tuple(shape))


# The hashed columns. Words (and shape words) are hashed with MurmurHash3, as
# scikit-learn's ``HashingVectorizer`` does, and remembered per process; word
# pairs and character n-grams are hashed from those codes with numpy, a whole
# batch of comments at once, so learning from a large import costs seconds.
_U64 = np.uint64
_M1, _M2 = _U64(0xFF51AFD7ED558CCD), _U64(0xC4CEB9FE1A85EC53)
_PAIR, _GRAM = _U64(0x9E3779B97F4A7C15), _U64(0x100000001B3)


def _mix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser (in place): every input bit reaches every output bit."""
    h ^= h >> _U64(33)
    h *= _M1
    h ^= h >> _U64(33)
    h *= _M2
    h ^= h >> _U64(33)
    return h


def word_tokens(n: Normalised) -> list[str]:
    """The words of the text, in order (the pairs of neighbours are features too)."""
    return _WORD.findall(n.text)


# Token -> hash, kept per process: words recur, and a dict lookup is much
# cheaper than hashing again. Bounded; it only ever holds what hashing gives.
_hashes: dict[str, int] = {}
_HASHES_KEPT = 200_000


@functools.cache
def _murmurhash3_32() -> Callable[..., int]:
    # scikit-learn is imported on first use, not with this module: importing it
    # takes about a second, which every ``broadsheet`` command would pay.
    from sklearn.utils import murmurhash3_32

    return murmurhash3_32


def _hash(token: str) -> int:
    code = _hashes.get(token)
    if code is None:
        code = _murmurhash3_32()(token, seed=0, positive=True)
        if len(_hashes) < _HASHES_KEPT:
            _hashes[token] = code
    return code


def word_column(token: str) -> int:
    """The column a word, a pair of words ("a b") or a shape word lands in."""
    parts = token.split(" ")
    if len(parts) == 2 and all(parts):
        return int(
            _pair_columns(np.array([_hash(parts[0])], _U64), np.array([_hash(parts[1])], _U64))[0]
        )
    return _hash(token) & (N_WORD_FEATURES - 1)


def meta_column(token: str) -> int:
    """The column a shape or cue pseudo-word lands in."""
    return META_START + (_hash(token) & (N_META_FEATURES - 1))


def _pair_columns(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    return (_mix(first * _PAIR + second) & _U64(N_WORD_FEATURES - 1)).astype(np.int64)


@dataclass(frozen=True)
class CommentText:
    """The parts of a comment the filter reads."""

    body: str
    author_url: str = ""
    # Where it was posted: the addresses of its page ("example.com/article/slug/";
    # a page may have several) and the site's own host names ("example.com").
    page: tuple[str, ...] = ()
    site: tuple[str, ...] = ()


def _word_entries(normed: list[Normalised]) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every word, pair of neighbouring words and shape pseudo-word."""
    codes: list[int] = []
    rows: list[int] = []
    shape_codes: list[int] = []
    shape_rows: list[int] = []
    known = _hashes.get  # most words were hashed before: look them up without a call
    for row, n in enumerate(normed):
        words = word_tokens(n)
        codes += [known(w) or _hash(w) for w in words]
        rows += [row] * len(words)
        shape_codes += [known(s) or _hash(s) for s in n.shape]
        shape_rows += [row] * len(n.shape)
    code = np.asarray(codes, dtype=_U64)
    row_of = np.asarray(rows, dtype=np.int64)
    # Pairs: neighbours within one comment.
    same = row_of[1:] == row_of[:-1]
    pairs = _pair_columns(code[:-1][same], code[1:][same])
    columns = np.concatenate(
        [
            (code & _U64(N_WORD_FEATURES - 1)).astype(np.int64),
            pairs,
            META_START + (np.asarray(shape_codes, dtype=np.int64) & (N_META_FEATURES - 1)),
        ]
    )
    return np.concatenate([row_of, row_of[:-1][same], np.asarray(shape_rows, np.int64)]), columns


def _char_entries(normed: list[Normalised]) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every character n-gram of each padded text."""
    texts = [f" {n.text} " for n in normed]
    codes = _codes("".join(texts)).astype(_U64)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    # Characters left in its comment from each position: a gram must fit.
    room = np.repeat(np.cumsum(lengths), lengths) - np.arange(len(codes), dtype=np.int64)
    space = np.concatenate([[0], np.cumsum(codes == _U64(32))]) if WITHIN_WORDS else None
    rows, columns = [], []
    # FNV-1a over code points, one more character per pass: h[i] covers text[i : i + size].
    h = (codes ^ _U64(0xCBF29CE484222325)) * _GRAM
    for size in range(1, max(CHAR_SIZES) + 1):
        if size > 1:
            h = h[:-1]
            h ^= codes[size - 1 :]
            h *= _GRAM
        if size not in CHAR_SIZES:
            continue
        keep = room[: len(h)] >= size
        if space is not None and size > 2:
            # Within words only: no space inside the gram (its ends may be the padding).
            start = np.flatnonzero(keep)
            keep[start[space[start + size - 1] != space[start + 1]]] = False
        rows.append(row_of[: len(h)][keep])
        gram = h[keep]
        gram += _U64(size)
        columns.append((_mix(gram) & _U64(N_CHAR_FEATURES - 1)).astype(np.int64))
    return np.concatenate(rows), np.concatenate(columns) + N_WORD_FEATURES


def _matrix(normed: list[Normalised]) -> sp.csr_matrix:
    indptr, columns, data = _rows(normed)
    X = sp.csr_matrix((data, columns, indptr), shape=(len(normed), N_FEATURES))
    X.has_sorted_indices = True
    return X


def _rows(normed: list[Normalised]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows' features as a CSR matrix holds them (``indptr``, columns, values), in
    plain arrays: scoring one comment needs no matrix, and building scipy's checks
    every index's type, work the dot product does not need."""
    word_rows, word_columns = _word_entries(normed)
    char_rows, char_columns = _char_entries(normed)
    # One sort of (row, column) keys puts the entries in row and column order and
    # brings repeats together, for the matrix's sorted, duplicate-free rows.
    keys = np.concatenate([word_rows, char_rows]) * N_FEATURES
    keys += np.concatenate([word_columns, char_columns])
    keys, counts = np.unique(keys, return_counts=True)
    rows, columns = np.divmod(keys, N_FEATURES)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(normed)))])
    # Term weights: presence, so a word said five times is not five times the evidence
    # (measured: better than counts or log counts on every held-out file).
    if TF == "binary":
        data = np.ones(len(keys))
    else:
        data = counts.astype(np.float64)
        if TF == "log":
            np.log1p(data, out=data)
    _unit_blocks(indptr, columns, data)
    return indptr, columns, data


def _unit_blocks(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray) -> None:
    """Scale each row's blocks (words, characters, shape) to unit length on their own, in place."""
    rows = len(indptr) - 1
    row_of = np.repeat(np.arange(rows), np.diff(indptr))
    block = (indices >= N_WORD_FEATURES).astype(np.int64) + (indices >= META_START)
    group = row_of * 3 + block
    norms = np.sqrt(np.bincount(group, weights=data**2, minlength=3 * rows))
    data /= np.maximum(norms[group], 1e-12)
    data *= BLOCK_WEIGHTS[block]


def weigh_characters(
    indptr: np.ndarray,
    indices: np.ndarray,
    data: np.ndarray,
    document_counts: np.ndarray,
    documents: int,
) -> None:
    """Weigh the character n-grams by their inverse document frequency, in place.

    ``document_counts[c]`` is how many of the ``documents`` learned from had character
    column ``N_WORD_FEATURES + c``; the weight is ``log((documents + 1) / (count + 1)) + 1``
    (scikit-learn's smoothed IDF), and the character block is scaled back to unit length.
    A gram in nearly every comment (" th", "the ") then says little, a rarer one more.
    """
    chars = np.flatnonzero((indices >= N_WORD_FEATURES) & (indices < META_START))
    counts = document_counts[indices[chars] - N_WORD_FEATURES].astype(np.float64)
    data[chars] *= np.log((documents + 1.0) / (counts + 1.0)) + 1.0
    _unit_blocks(indptr, indices, data)


@dataclass(frozen=True)
class Vector:
    """One comment's features: sorted columns and their values."""

    columns: np.ndarray
    values: np.ndarray
    words: dict[str, int]  # each word token and its column, for the reasons


def vectorize(item: CommentText) -> Vector:
    n = _normalised(item)
    _, columns, values = _rows([n])
    words = word_tokens(n)
    # The columns of the words and pairs, for the reasons: as word_column gives them,
    # hashed all at once (one pair at a time took twice the time of the whole scoring
    # of a short comment, and three times that of a long one).
    codes = np.fromiter((_hash(w) for w in words), dtype=_U64, count=len(words))
    named = dict(zip(words, (codes & _U64(N_WORD_FEATURES - 1)).tolist(), strict=True))
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    named.update(zip(pairs, _pair_columns(codes[:-1], codes[1:]).tolist(), strict=True))
    named.update({t: meta_column(t) for t in n.shape})
    return Vector(columns, values, named)


def featurize(items: Iterable[CommentText]) -> sp.csr_matrix:
    """A sparse matrix of hashed features, one row per comment."""
    return _matrix([_normalised(i) for i in items])


def _normalised(item: CommentText) -> Normalised:
    return normalise(item.body, author_url=item.author_url, page=item.page, site=item.site)


# The shape pseudo-words as a moderator would say them (translated when shown).
_SHAPES = {
    "xauthorurlx": gettext_noop("gave a website"),
    "xshoutx": gettext_noop("mostly capitals"),
    "xlenx0": gettext_noop("very short"),
    "xlenx1": gettext_noop("short"),
    "xlenx2": gettext_noop("medium length"),
    "xlenx3": gettext_noop("long"),
    "xurlx": gettext_noop("a link"),
    "xpagelinkx": gettext_noop("a link to this page"),
    "xsitelinkx": gettext_noop("a link to this site"),
    "xnumx": gettext_noop("a number"),
    "xemailx": gettext_noop("an e-mail address"),
    "xcuexlikes": gettext_noop("asks for likes"),
    "xcuexshare": gettext_noop("asks to share"),
    "xcuexsubscribe": gettext_noop("asks for subscribers or followers"),
    "xcuexvisit": gettext_noop("asks to visit or search"),
    "xcuexown_work": gettext_noop("promotes own work"),
    "xcuexmoney": gettext_noop("money or offers"),
    "xcuexcontact": gettext_noop("asks to be contacted"),
    "xcuexcrowd": gettext_noop("addresses everyone"),
    "xcuexplease": gettext_noop("pleads"),
}


def _phrase(msgid: str, **params: str) -> dict[str, Any]:
    return {"msgid": msgid, "params": params}


def described(token: str) -> Described:
    """A feature as a moderator would read it, kept as data so that each moderator
    reads it in their own language (``discussion.reasons.spoken``): a comment's word
    as it is, a shape pseudo-word as the phrase that says it, a pair as both."""
    if token.startswith("xlinks"):
        n = token[6]
        if n == "0":
            return _phrase(gettext_noop("no link"))
        many = gettext_noop("%(n)s+ link(s)") if n == "3" else gettext_noop("%(n)s link(s)")
        return _phrase(many, n=n)
    if token.startswith("xdomainx"):
        return _phrase(gettext_noop("link to %(host)s"), host=token[8:])
    if token.startswith("xauthordomainx"):
        return _phrase(gettext_noop("website %(host)s"), host=token[14:])
    if token in _SHAPES:
        return _phrase(_SHAPES[token])
    words = token.split(" ")
    if not any(word in _SHAPES for word in words):
        return token
    return [_phrase(_SHAPES[word]) if word in _SHAPES else word for word in words]


def readable(token: str) -> str:
    """A feature as a moderator would say it, in English."""
    return spoken(described(token))
