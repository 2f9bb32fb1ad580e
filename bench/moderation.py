"""Benchmark of the learned moderation filter on labelled comment files.

    python bench/moderation.py DIR [--held-out DIR2] [--epochs 5] [--no-pages] [--json]
                               [--text-column NAME] [--label-column NAME]

DIR holds CSV (or .tsv) files of labelled comments (text,label, the YouTube
Spam Collection's CONTENT,CLASS, or columns named as for `moderation train`;
an optional page column gives the address of the page each comment was on).
On a site the filter knows the page every comment was posted on, and reads a
link back to it as such (features.py); the YouTube Spam Collection's files have
no page column, so for them the videos named in the collection's description
stand in (YOUTUBE_SPAM_COLLECTION below), and (a) is also shown as if the page
were unknown. ``--no-pages`` leaves them out altogether. Prints:

(a) leave-one-file-out: train a fresh filter on all files but one, evaluate on
    that one: precision, recall, F1 (of "not to publish", at score 0.5) and ROC
    AUC, next to a plain TF-IDF + logistic regression for comparison; then all
    files mixed, in 5-fold cross-validation; with --held-out DIR2, each file of
    DIR2 judged by a filter trained on all of DIR (comments of other sources
    that played no part in choosing the features); DIR with a single file is
    cut into five stratified parts that stand in for files;
(b) replay: each file in date order, every comment scored before the filter
    learns its label (as on a live site, one moderator decision at a time): the
    cumulative number of mistakes as the filter learns;
(c) speed: time to score one comment (median and 95th percentile), with and
    without the reasons, and time for one moderator decision to be learned.

A script, not a test: it needs no database and never touches the site.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import precision_recall_curve  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from broadsheet.moderation import learned  # noqa: E402
from broadsheet.moderation.evaluation import (  # noqa: E402
    Labelled,
    LabelledFileError,
    metrics,
    read_labelled,
    thresholds,
)
from broadsheet.moderation.features import CommentText  # noqa: E402
from broadsheet.moderation.learned import SpamFilter  # noqa: E402


def trade_off(labels: list[int], scores: np.ndarray, recall: float = 0.93) -> dict:
    """What other thresholds would give: the best F1, the precision at a recall, and
    the thresholds (0.01 apart) at which precision is at least 0.98 with that recall."""
    precision, recalls, cuts = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recalls / np.maximum(precision + recalls, 1e-12)
    best = int(np.argmax(f1[:-1]))
    grid = [round(t / 100, 2) for t in range(1, 100)]
    meeting = [
        row["threshold"]
        for row in thresholds(labels, scores, at=grid)
        if row["precision"] is not None and row["precision"] >= 0.98 and row["recall"] >= recall
    ]
    return {
        "best_f1": round(float(f1[best]), 4),
        "best_f1_threshold": round(float(cuts[best]), 3),
        f"precision_at_recall_{recall}": round(float(precision[recalls >= recall].max()), 4),
        "meets_targets": _span(meeting),
        "meets_targets_at": meeting,
    }


def _span(thresholds: list[float]) -> str:
    return f"{thresholds[0]:.2f}-{thresholds[-1]:.2f}" if thresholds else "none"


def shared_thresholds(rows: list[dict]) -> list[float]:
    """The thresholds at which every file judged meets both targets."""
    sets = [set(row["broadsheet_trade_off"]["meets_targets_at"]) for row in rows]
    return sorted(set.intersection(*sets)) if sets else []


# The page of each file of the YouTube Spam Collection (Alberto, Lochter and
# Almeida, 2015): the video its comments were posted under, as the collection's
# description lists them. A comment linking to the video itself reads as a link
# to its page, as a Broadsheet site reads a link to the article under discussion.
YOUTUBE_SPAM_COLLECTION = {
    "Youtube01-Psy.csv": "9bZkp7q19f0",
    "Youtube02-KatyPerry.csv": "CevxZvSJLk8",
    "Youtube03-LMFAO.csv": "KQ6zr6kCPj8",
    "Youtube04-Eminem.csv": "uelHwf8o7_U",
    "Youtube05-Shakira.csv": "pRpeEdMmmQ0",
}


def load(directory: Path, *, pages: bool = True, **columns: str | None) -> dict[str, Labelled]:
    files = sorted([*directory.glob("*.csv"), *directory.glob("*.tsv")])
    if not files:
        sys.exit(f"{directory}: no .csv or .tsv files")
    try:
        data = {f.name: read_labelled(f, **columns) for f in files}
    except LabelledFileError as exc:
        sys.exit(str(exc))
    for name, d in data.items():
        if len(set(d.labels)) < 2:
            sys.exit(f"{directory / name}: every comment has the same label; nothing to judge")
        video = YOUTUBE_SPAM_COLLECTION.get(name)
        if not pages:
            d.pages = []
        elif video and not d.pages:
            d.pages = [(f"youtube.com/watch?v={video}", f"youtu.be/{video}")] * len(d)
    return data


def folds_of(data: dict[str, Labelled], folds: int = 5) -> dict[str, Labelled]:
    """One file cut into ``folds`` stratified parts, standing in for files: leaving
    each out in turn is then k-fold cross-validation of that file."""
    (name, d), *_ = data.items()
    split = StratifiedKFold(folds, shuffle=True, random_state=0)
    parts = {}
    for n, (_, part) in enumerate(split.split(np.zeros(len(d)), d.labels), start=1):
        parts[f"{name} fold {n}"] = replace(
            d,
            texts=[d.texts[i] for i in part],
            labels=[d.labels[i] for i in part],
            dates=[d.dates[i] for i in part],
            pages=[d.pages[i] for i in part] if d.pages else [],
        )
    return parts


def page_unknown(data: dict[str, Labelled]) -> dict[str, Labelled]:
    """The same files with no page given."""
    return {name: replace(d, pages=[]) for name, d in data.items()}


def train_like_the_command(items: list[CommentText], labels: list[int], epochs: int) -> SpamFilter:
    """Exactly what `broadsheet moderation train --epochs N` does."""
    spam_filter = SpamFilter()
    learned.train(spam_filter, items, labels, epochs=epochs)
    return spam_filter


def judged(
    name: str, test: Labelled, train: list[Labelled], epochs: int, baseline: bool = True
) -> dict:
    """A filter (and the TF-IDF baseline) trained on ``train``, judging one file."""
    items = [item for d in train for item in d.items()]
    labels = [y for d in train for y in d.labels]
    spam_filter = train_like_the_command(items, labels, epochs)
    scores = spam_filter.scores(test.items())
    row = {
        "file": name,
        "broadsheet": metrics(test.labels, scores),
        # What the default site settings would file as spam outright.
        "broadsheet_at_spam_threshold": metrics(test.labels, scores, SPAM_THRESHOLD),
        "broadsheet_trade_off": trade_off(test.labels, scores),
    }
    if baseline:
        texts = [t for d in train for t in d.texts]
        tfidf = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
        tfidf.fit(texts, labels)
        row["tfidf_logreg"] = metrics(test.labels, tfidf.predict_proba(test.texts)[:, 1])
    return row


def leave_one_file_out(data: dict[str, Labelled], epochs: int, **kw) -> list[dict]:
    return [
        judged(name, test, [d for other, d in data.items() if other != name], epochs, **kw)
        for name, test in data.items()
    ]


def held_out(
    data: dict[str, Labelled], others: dict[str, Labelled], epochs: int, **kw
) -> list[dict]:
    return [judged(name, test, list(data.values()), epochs, **kw) for name, test in others.items()]


SPAM_THRESHOLD = 0.95  # ModerationSettings.spam_threshold's default


def pooled_cross_validation(data: dict[str, Labelled], epochs: int, folds: int = 5) -> dict:
    """All files mixed, k folds: the filter judging comments like those it learned from."""
    items = [item for d in data.values() for item in d.items()]
    labels = [y for d in data.values() for y in d.labels]
    order = np.random.default_rng(1).permutation(len(items))
    scores, truth = [], []
    for fold in np.array_split(order, folds):
        held = set(fold.tolist())
        train = [i for i in order if i not in held]
        spam_filter = train_like_the_command(
            [items[i] for i in train], [labels[i] for i in train], epochs
        )
        scores += spam_filter.scores([items[i] for i in fold]).tolist()
        truth += [labels[i] for i in fold]
    return {**metrics(truth, scores), **trade_off(truth, np.asarray(scores))}


def each_cross_validated(data: dict[str, Labelled], epochs: int, folds: int = 5) -> list[dict]:
    """Each file on its own in k stratified folds, next to TF-IDF on the same folds: a
    site's filter learning from that site's own moderators."""
    rows = []
    for name, d in data.items():
        items, labels = d.items(), np.asarray(d.labels)
        ours, theirs = np.zeros(len(items)), np.zeros(len(items))
        split = StratifiedKFold(folds, shuffle=True, random_state=0)
        for train, test in split.split(np.zeros(len(items)), labels):
            spam_filter = train_like_the_command(
                [items[i] for i in train], labels[train].tolist(), epochs
            )
            ours[test] = spam_filter.scores([items[i] for i in test])
            tfidf = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
            tfidf.fit([d.texts[i] for i in train], labels[train])
            theirs[test] = tfidf.predict_proba([d.texts[i] for i in test])[:, 1]
        truth = labels.tolist()
        rows.append({
            "file": name,
            "comments": len(items),
            "not_to_publish": round(float(labels.mean()), 3),
            "broadsheet": {**metrics(truth, ours), **trade_off(truth, ours)},
            "tfidf_logreg": {**metrics(truth, theirs), **trade_off(truth, theirs)},
        })  # fmt: skip
    return rows


def _order_by_date(d: Labelled) -> list[int]:
    # Rows without a date keep their place after the dated row before them.
    keyed, last = [], ""
    for i, date in enumerate(d.dates):
        last = date or last
        keyed.append((last, i))
    return [i for _, i in sorted(keyed)]


def replay(data: dict[str, Labelled], checkpoints: int = 50) -> list[dict]:
    rows = []
    for name, d in data.items():
        spam_filter = SpamFilter()
        mistakes = unscored = 0
        curve = []
        order = _order_by_date(d)
        items = d.items()
        for n, i in enumerate(order, start=1):
            item = items[i]
            label = d.labels[i]
            if spam_filter.can_score:
                mistakes += int((spam_filter.score(item) >= 0.5) != bool(label))
            else:
                unscored += 1  # nothing of one kind learned yet: no score at all
            # As a moderator's decision is learned: alone, remembered for undo.
            spam_filter.learn([item], [label], keys=[f"comment:{i}"])
            if n % checkpoints == 0 or n == len(order):
                curve.append((n, mistakes))
        half = len(order) // 2
        at_half = next(m for n, m in curve if n >= half)
        rows.append(
            {
                "file": name,
                "comments": len(order),
                "mistakes": mistakes,
                "unscored": unscored,
                "second_half_error_rate": round((mistakes - at_half) / (len(order) - half), 4),
                "curve": curve,
            }
        )
    return rows


def speed(data: dict[str, Labelled], epochs: int) -> dict:
    names = list(data)
    train = [item for n in names[:-1] for item in data[n].items()]
    labels = [y for n in names[:-1] for y in data[n].labels]
    spam_filter = train_like_the_command(train, labels, epochs)
    items = data[names[-1]].items()
    for item in items[:20]:  # warm up
        spam_filter.judge(item)

    def timed(fn) -> list[float]:
        out = []
        for item in items:
            start = time.perf_counter()
            fn(item)
            out.append((time.perf_counter() - start) * 1000)
        return out

    score_ms = timed(spam_filter.score)
    judge_ms = timed(spam_filter.judge)
    # A news site's long comments: legitimate ones of the files run together, about
    # 1,500 and 10,000 characters (the default longest comment), 30 of each.
    texts = [t for d in data.values() for t, y in zip(d.texts, d.labels, strict=True) if not y]
    long_ms = {}
    for size in (1_500, 10_000):
        long_items, start = [], 0
        for _ in range(30):
            text = ""
            while len(text) < size:
                text += texts[start % len(texts)] + " "
                start += 1
            long_items.append(CommentText(text[:size]))
        times = []
        for item in long_items:
            began = time.perf_counter()
            spam_filter.score(item)
            times.append((time.perf_counter() - began) * 1000)
        long_ms[f"score_{size}_characters"] = times
    learn_ms = []
    for n, item in enumerate(items[:30]):
        start = time.perf_counter()
        spam_filter.learn([item], [0], keys=[f"comment:{n}"])
        blob = spam_filter.dumps()
        SpamFilter.loads(blob)
        learn_ms.append((time.perf_counter() - start) * 1000)

    def summary(values: list[float]) -> dict:
        return {
            "median_ms": round(statistics.median(values), 3),
            "p95_ms": round(float(np.percentile(values, 95)), 3),
        }

    return {
        "score": summary(score_ms),
        "score_with_reasons": summary(judge_ms),
        **{name: summary(times) for name, times in long_ms.items()},
        "learn_one_decision_and_store": summary(learn_ms),
        "model_bytes": len(spam_filter.dumps()),
    }


def _fmt(m: dict) -> str:
    return f"P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  AUC {m['roc_auc']:.4f}"


def _print_judged(rows: list[dict]) -> None:
    for row in rows:
        print(f"  {row['file']}")
        ours = row["broadsheet"]
        print(f"    Broadsheet     {_fmt(ours)}  confusion {ours['confusion']}")
        print(f"    TF-IDF+LogReg  {_fmt(row['tfidf_logreg'])}")
        auto = row["broadsheet_at_spam_threshold"]
        print(f"    Broadsheet at the spam threshold {SPAM_THRESHOLD}: "
              f"P {auto['precision']:.3f}  R {auto['recall']:.3f}")  # fmt: skip
        t = row["broadsheet_trade_off"]
        print(f"    Broadsheet best F1 {t['best_f1']:.3f} (at {t['best_f1_threshold']}), "
              f"precision at recall 0.93: {t['precision_at_recall_0.93']:.3f}")  # fmt: skip
        print(f"    Broadsheet meets P >= 0.98 with R >= 0.93 at thresholds {t['meets_targets']}")
    for key in ("broadsheet", "tfidf_logreg"):
        f1 = statistics.mean(r[key]["f1"] for r in rows)
        auc = min(r[key]["roc_auc"] for r in rows)
        print(f"  {key:14s} mean F1 {f1:.3f}, lowest AUC {auc:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument(
        "--held-out", type=Path, help="also judge these files with a filter trained on all of DIR"
    )
    parser.add_argument("--epochs", type=int, default=5, help="as `moderation train` (5)")
    parser.add_argument(
        "--no-pages", action="store_true", help="never tell the filter the page of a comment"
    )
    for what in ("text", "label"):
        parser.add_argument(
            f"--{what}-column", help=f"the {what} column's name or number, as `moderation train`"
        )
    parser.add_argument(
        "--each",
        type=Path,
        help="also judge each file of this folder on its own, in 5-fold cross-validation",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    columns = {"text_column": args.text_column, "label_column": args.label_column}
    data = load(args.directory, pages=not args.no_pages, **columns)
    others = load(args.held_out, pages=not args.no_pages, **columns) if args.held_out else {}
    each = load(args.each, pages=not args.no_pages, **columns) if args.each else {}
    pages = any(d.pages for d in [*data.values(), *others.values()])
    # With one file there is no other file to learn from: its folds stand in for files.
    files = folds_of(data) if len(data) == 1 else data

    started = time.perf_counter()
    results = {
        "pages": pages,
        "folds_of_one_file": files is not data,
        "leave_one_file_out": leave_one_file_out(files, args.epochs),
        "pooled_5_fold": pooled_cross_validation(data, args.epochs),
        "held_out": held_out(data, others, args.epochs) if others else [],
        "replay": replay(data),
        "speed": speed(files, args.epochs),
        "each_cross_validated": each_cross_validated(each, args.epochs),
    }
    if pages:  # the same judged with no page known
        results["page_unknown"] = {
            "leave_one_file_out": leave_one_file_out(
                page_unknown(files), args.epochs, baseline=False
            ),
            "held_out": held_out(
                page_unknown(data), page_unknown(others), args.epochs, baseline=False
            ),
        }
    results["shared_thresholds"] = shared_thresholds(
        results["leave_one_file_out"] + results["held_out"]
    )
    results["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(results))
        return

    known = "the page known" if pages else "no page known"
    if results["folds_of_one_file"]:
        print(f"(a) One file: no other file to learn from, so each fifth of it is left out "
              f"in turn ({known}; threshold 0.5)")  # fmt: skip
    else:
        print(f"(a) Leave one file out: train on the others, evaluate on this one ({known}; "
              "threshold 0.5)")  # fmt: skip
    _print_judged(results["leave_one_file_out"])
    if results["held_out"]:
        print(f"  Held out ({args.held_out}), trained on all of {args.directory}:")
        _print_judged(results["held_out"])
    if pages:
        print("  The same with no page known (Broadsheet only):")
        unknown = results["page_unknown"]
        for row in unknown["leave_one_file_out"] + unknown["held_out"]:
            t = row["broadsheet_trade_off"]
            print(f"    {row['file']}: {_fmt(row['broadsheet'])}, precision at recall 0.93 "
                  f"{t['precision_at_recall_0.93']:.3f}")  # fmt: skip

    judged = "left out and held out" if results["held_out"] else "left out"
    print(f"  One threshold meeting both targets on every file {judged}: "
          f"{_span(results['shared_thresholds'])}")  # fmt: skip

    pooled = results["pooled_5_fold"]
    print(f"  all files mixed, 5-fold cross-validation: {_fmt(pooled)}")
    print(f"    best F1 {pooled['best_f1']:.3f} (at {pooled['best_f1_threshold']}), "
          f"precision at recall 0.93: {pooled['precision_at_recall_0.93']:.3f}")  # fmt: skip

    print("\n(b) Replay in date order, scored before learning each label")
    for row in results["replay"]:
        curve = ", ".join(f"{n}:{m}" for n, m in row["curve"])
        print(f"  {row['file']}: {row['mistakes']} mistakes in {row['comments']} comments "
              f"({row['unscored']} before it could score); "
              f"error rate over the second half {row['second_half_error_rate']:.3f}")  # fmt: skip
        print(f"    cumulative mistakes after n comments: {curve}")

    if results["each_cross_validated"]:
        print(f"\n  Each file of {args.each} on its own, 5-fold cross-validation:")
        for row in results["each_cross_validated"]:
            ours, theirs = row["broadsheet"], row["tfidf_logreg"]
            print(f"    {row['file']} ({row['comments']} comments, "
                  f"{row['not_to_publish']:.0%} not to publish)")  # fmt: skip
            for label, m in (("Broadsheet", ours), ("TF-IDF + LogReg", theirs)):
                print(f"      {label:16} {_fmt(m)}  P@R0.93 "
                      f"{m['precision_at_recall_0.93']:.3f}")  # fmt: skip

    s = results["speed"]
    print("\n(c) Speed, one comment at a time")
    print(f"  score:                  median {s['score']['median_ms']} ms, "
          f"p95 {s['score']['p95_ms']} ms")  # fmt: skip
    print(f"  score with reasons:     median {s['score_with_reasons']['median_ms']} ms, "
          f"p95 {s['score_with_reasons']['p95_ms']} ms")  # fmt: skip
    for size in ("1500", "10000"):
        t = s[f"score_{size}_characters"]
        print(f"  score, {int(size):,} characters: median {t['median_ms']} ms, "
              f"p95 {t['p95_ms']} ms")  # fmt: skip
    learn = s["learn_one_decision_and_store"]["median_ms"]
    print(f"  learn one decision, store and reload the model: median {learn} ms")
    print(f"  stored model: {s['model_bytes']} bytes")
    print(f"\n{results['seconds']} s in all")


if __name__ == "__main__":
    main()
