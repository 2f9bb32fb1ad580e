"""Labelled comment files and the figures that judge a filter on them.

A file is CSV (or tab- or semicolon-separated, as spreadsheets write it),
usually with a header. The text column is ``text`` (or ``body``, ``comment``,
``content``: the YouTube Spam Collection's ``CONTENT``, and a few more), the
label column ``label`` (or ``class``, ``spam``, ``toxic``, ``insult``…); other
names, or column numbers for a file with no header, can be given. A label is
1/spam/rejected/true (not to be published) or 0/ham/approved/false (to be
published). An optional ``page`` column gives the address of the page each
comment was posted on (or several, separated by spaces), so that a link back to
it reads as one.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

import numpy as np

from broadsheet.moderation.features import CommentText
from broadsheet.moderation.learned import NOT_PUBLISH, PUBLISH

TEXT_COLUMNS = (
    "text",
    "body",
    "comment",
    "content",
    "comment_text",
    "comment_content",
    "comment_body",
    "message",
    "sms",
    "tweet",
    "review",
)
# Columns named after what a 1 means (spam, or a toxic comment or an insult to
# reject), the broadest first: a file labelled for several kinds of abuse is
# read by its "toxic" column.
LABEL_COLUMNS = (
    "label",
    "class",
    "category",
    "target",
    "spam",
    "is_spam",
    "toxic",
    "is_toxic",
    "insult",
    "abusive",
)
DATE_COLUMNS = ("date", "created_at", "created")
PAGE_COLUMNS = ("page", "page_url", "permalink")
_NOT_PUBLISH_LABELS = ("1", "spam", "rejected", "true", "yes", "not_publish", "toxic", "abusive")
_PUBLISH_LABELS = ("0", "ham", "approved", "false", "no", "publish", "legit", "not_spam")
_LABELS = dict.fromkeys(_NOT_PUBLISH_LABELS, NOT_PUBLISH) | dict.fromkeys(_PUBLISH_LABELS, PUBLISH)


class LabelledFileError(ValueError):
    """The file cannot be read as labelled comments; the message says why and where."""


@dataclass
class Labelled:
    texts: list[str]
    labels: list[int]
    dates: list[str]
    pages: list[tuple[str, ...]] = field(default_factory=list)  # empty: no page column
    # Rows whose text is empty: nothing to learn or judge, so they are left out.
    empty: int = 0
    # Labels given as a share of raters (0.4) rather than a decision: 0.5 or more
    # is read as "do not publish".
    fractions: int = 0
    encoding: str = "utf-8"  # or "cp1252": the file was not UTF-8

    def __len__(self) -> int:
        return len(self.texts)

    def items(self) -> list[CommentText]:
        """The comments as the filter reads them."""
        if not self.pages:
            return [CommentText(t) for t in self.texts]
        return [CommentText(t, page=p) for t, p in zip(self.texts, self.pages, strict=True)]


def label_of(raw: str) -> int | None:
    """A label as written in a file (``spam``, ``1``, ``0.0``, ``0.7``…), or None if it is none."""
    raw = "_".join(raw.lower().split())  # "Not spam" is not_spam
    named = _LABELS.get({"legitimate": "legit"}.get(raw, raw))
    if named is not None:
        return named
    number = _number(raw)
    if number is None or not 0 <= number <= 1:
        return None
    return NOT_PUBLISH if number >= FRACTION_NOT_TO_PUBLISH else PUBLISH


# Collections rated by a crowd give each comment the share of its raters who found
# it toxic (Jigsaw's Civil Comments "target", from 0 to 1); the collection's own
# rule counts 0.5 or more as toxic.
FRACTION_NOT_TO_PUBLISH = 0.5


def is_fraction(raw: str) -> bool:
    """Whether a label is a share strictly between 0 and 1 (a rating, not a decision)."""
    number = _number(raw.strip())
    return number is not None and 0 < number < 1


def _number(raw: str) -> float | None:
    try:
        return float(raw) if raw and raw[0] in "0123456789." else None
    except ValueError:
        return None


def _find(header: Sequence[str], names: Sequence[str]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(name) for name in names if name in lowered), None)


def _column(
    header: Sequence[str], chosen: str | None, names: Sequence[str], what: str, path: Path
) -> int:
    """Where the ``what`` column is: the one ``chosen`` (a name or a number from 1), or the
    first of ``names`` the header has."""
    if chosen is not None and chosen.strip().isdigit():
        number = int(chosen)
        if not 1 <= number <= len(header):
            raise LabelledFileError(
                f"{path}: no column {number} for the {what} (the file has {len(header)})"
            )
        return number - 1
    found = _find(header, [chosen.strip().lower()] if chosen is not None else names)
    if found is None:
        looked = repr(chosen) if chosen is not None else ", ".join(names)
        found_names = ", ".join(h if len(h) <= 40 else h[:39] + "…" for h in header)
        raise LabelledFileError(
            f"{path}: no {what} column (looked for {looked}; found {found_names}). "
            f"Name it with --{what}-column: a name, or a number from 1 (if the file has no "
            "header, its first row is shown as the names)"
        )
    return found


def _delimiter(sample: str, path: Path) -> str:
    """The separator: a tab for a .tsv file or one whose lines all hold the same number
    of tabs; a semicolon when the first line has semicolons and no comma; else a comma."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and len(sample) >= 65536:
        lines.pop()  # the sample may end halfway through a line
    tabs = {line.count("\t") for line in lines if line}
    if len(tabs) == 1 and tabs != {0}:
        return "\t"
    first = lines[0] if lines else ""
    return ";" if ";" in first and "," not in first else ","


def read_labelled(
    path: Path | str, *, text_column: str | None = None, label_column: str | None = None
) -> Labelled:
    """Read labelled comments. ``text_column`` and ``label_column`` name the columns
    (or give their numbers, from 1) where the usual names are not used; with
    numbers, a first row whose label is not a label is taken for a header.

    A file is read as UTF-8; one that is not is read as Windows-1252, which is what
    a spreadsheet on Windows writes as "CSV" (``Labelled.encoding`` says which).
    """
    path = Path(path)
    try:
        return _read_labelled(path, "utf-8-sig", text_column, label_column)
    except _NotThisEncoding:
        pass
    try:
        return _read_labelled(path, "cp1252", text_column, label_column)
    except _NotThisEncoding as exc:
        raise LabelledFileError(
            f"{path}: neither UTF-8 nor Windows-1252 text ({exc.__cause__})"
        ) from None


class _NotThisEncoding(Exception):
    pass


def _read_labelled(
    path: Path, encoding: str, text_column: str | None, label_column: str | None
) -> Labelled:
    try:
        handle = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise LabelledFileError(f"{path}: {exc.strerror or exc}") from None
    data = Labelled([], [], [], encoding=encoding.removesuffix("-sig"))
    with handle:
        try:
            reader, header = _csv_rows(handle, path)
            at = _Columns(
                text=_column(header, text_column, TEXT_COLUMNS, "text", path),
                label=_column(header, label_column, LABEL_COLUMNS, "label", path),
                date=_find(header, DATE_COLUMNS),
                page=_find(header, PAGE_COLUMNS),
                width=len(header),
            )
            rows, first_line = reader, 2
            numbered = label_column is not None and label_column.strip().isdigit()
            if numbered and at.label < len(header) and label_of(header[at.label]) is not None:
                # No header: the first row is a comment.
                rows, first_line = iter([header, *reader]), 1
                at = replace(at, date=None, page=None)
            for line, row in enumerate(rows, start=first_line):
                if row:
                    _add_row(data, row, at, f"{path}, line {line}")
        except UnicodeDecodeError as exc:
            raise _NotThisEncoding from exc
        except csv.Error as exc:
            raise LabelledFileError(f"{path}: not a CSV file ({exc})") from None
    if not data.texts:
        raise LabelledFileError(f"{path}: no labelled rows")
    return data


@dataclass(frozen=True)
class _Columns:
    """Where each column is, counted from 0; the date and the page may be missing."""

    text: int
    label: int
    date: int | None
    page: int | None
    width: int  # the first line's columns


def _csv_rows(handle: TextIO, path: Path) -> tuple[Iterator[list[str]], list[str]]:
    """The rows after the first, and the first."""
    delimiter = _delimiter(handle.read(65536), path)
    handle.seek(0)
    # Tab-separated files do not quote: a quote mark is part of the text
    # (the SMS Spam Collection's messages start with them).
    if delimiter == "\t":
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(handle, delimiter=delimiter)
    try:
        return reader, next(reader)
    except StopIteration:
        raise LabelledFileError(f"{path}: the file is empty") from None


def _add_row(data: Labelled, row: list[str], at: _Columns, where: str) -> None:
    if len(row) <= max(at.text, at.label):
        raise LabelledFileError(f"{where}: too few columns")
    if any(cell.strip() for cell in row[at.width :]):
        # Read on, its cells would be taken from the wrong columns: "0,7" as a label of 0.
        raise LabelledFileError(
            f"{where}: {len(row)} columns where the first line has {at.width} "
            "(a decimal comma, or a comma in a text that is not in quotes?)"
        )
    raw = row[at.label]
    label = label_of(raw)
    if label is None:
        raise LabelledFileError(
            f"{where}: label {raw!r} is neither spam (1) nor ham (0), "
            "nor a share of raters between 0 and 1 (written with a point: 0.7)"
        )
    if not row[at.text].strip():
        data.empty += 1
        return
    data.fractions += is_fraction(raw)
    data.texts.append(row[at.text])
    data.labels.append(label)
    data.dates.append(row[at.date] if at.date is not None and at.date < len(row) else "")
    if at.page is not None:
        data.pages.append(tuple(row[at.page].split()) if at.page < len(row) else ())


def metrics(labels: Sequence[int], scores: Sequence[float], threshold: float = 0.5) -> dict:
    """Precision, recall and F1 of "not publish" at ``threshold``, ROC AUC, confusion matrix.

    The confusion matrix is ``[[true publish, false not-publish], [false publish,
    true not-publish]]`` (rows: the moderators' label; columns: the filter's).
    """
    y = np.asarray(labels)
    s = np.asarray(scores, dtype=float)
    predicted = (s >= threshold).astype(int)
    # On first use: scikit-learn takes a second and 60 MB to import, and the site's
    # pages (the Filter page reads ``thresholds`` from here) need none of it.
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support, roc_auc_score

    precision, recall, f1, _ = precision_recall_fscore_support(
        y, predicted, average="binary", pos_label=NOT_PUBLISH, zero_division=0
    )
    auc = float(roc_auc_score(y, s)) if len(set(y.tolist())) == 2 else None
    return {
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
        "roc_auc": round(auc, 4) if auc is not None else None,
        "confusion": confusion_matrix(y, predicted, labels=[PUBLISH, NOT_PUBLISH]).tolist(),
        "threshold": threshold,
        "examples": len(y),
        "thresholds": thresholds(labels, scores),
    }


# The thresholds ``evaluate`` shows side by side, for choosing the site's own.
SHOWN_THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def caught(
    labels: Sequence[int], scores: Sequence[float], at: Sequence[float]
) -> tuple[np.ndarray, np.ndarray, int]:
    """At each threshold of ``at``: how many not-to-publish comments a score at least
    that catches (hits), how many comments it catches in all (held), and how many are
    not to publish (one number)."""
    y = np.asarray(labels) == NOT_PUBLISH
    held = np.asarray(scores, dtype=float)[None, :] >= np.asarray(at, dtype=float)[:, None]
    return (held & y).sum(axis=1), held.sum(axis=1), int(y.sum())


def thresholds(
    labels: Sequence[int], scores: Sequence[float], at: Sequence[float] = SHOWN_THRESHOLDS
) -> list[dict]:
    """Precision and recall of "not publish" at each threshold of ``at``: what a
    site's hold and spam thresholds would catch, and how much of it wrongly."""
    hits, held, positives = caught(labels, scores, at)
    return [
        {
            "threshold": threshold,
            "precision": round(int(h) / int(n), 4) if n else None,
            "recall": round(int(h) / positives, 4) if positives else None,
        }
        for threshold, h, n in zip(at, hits, held, strict=True)
    ]
