"""Benchmark of the learned moderation filter on labelled abuse (and other) comment files.

    python bench/abuse.py SOURCE [SOURCE ...] [--folds 5] [--seeds 0 1 2] [--epochs 5]
                          [--limit N] [--cross] [--json]
                          [--text-column NAME] [--label-column NAME]

Each SOURCE is a labelled CSV file (read as ``moderation train`` reads one: text,
label and, when the file has one, date) or a folder of them, which counts as one
source (the YouTube Spam Collection's folder, say, with each video's page given as
bench/moderation.py gives it). Nothing here is tuned to a file: the repository ships
no data, and the figures in docs/moderation.md name the public collections used.

For each source:

(a) repeated stratified k-fold: the comments cut into ``--folds`` stratified parts
    with each seed of ``--seeds`` (so folds x seeds runs), a fresh filter trained on
    all parts but one exactly as ``broadsheet moderation train`` trains it (the
    site's features and model) and judging the part left out, next to a plain TF-IDF
    + logistic regression (scikit-learn defaults) on the same parts. Precision,
    recall and F1 of "not to publish" at 0.5 (the default hold threshold), ROC AUC,
    average precision (the area under the precision-recall curve, which says more
    than the AUC when few comments are abuse) and the best F1 any one threshold
    gives: the mean over the runs and the lowest run;
(b) replay in date order, when the file has dates: every comment scored before the
    filter learns its label, one decision at a time, as on a live site (the
    cumulative number of wrong scores at 0.5);
(c) time to score one comment: median and 95th percentile over (at most 500 of)
    the source's own comments, for the filter and for the baseline, with the
    comments' median length.

With ``--cross``, also every source judged by a filter trained on all of each other
source: whether what one site's moderators taught carries to another's comments.

A script, not a test: it needs no database and never touches the site.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
# This project's code, and bench/moderation.py's helpers (which set Django's settings).
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import average_precision_score, precision_recall_curve  # noqa: E402
from sklearn.model_selection import StratifiedKFold, train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from broadsheet.moderation.evaluation import (  # noqa: E402
    Labelled,
    LabelledFileError,
    metrics,
    read_labelled,
)
from moderation import load, replay, train_like_the_command  # noqa: E402

MEASURES = ("precision", "recall", "f1", "roc_auc", "average_precision", "best_f1")


def source(path: Path, *, limit: int | None, **columns: str | None) -> tuple[str, Labelled]:
    """A file, or a folder of files joined into one source, cut to ``limit`` comments by a
    seeded stratified draw."""
    if path.is_dir():
        files = load(path, **columns)
        name = path.name or str(path)
    else:
        files = load_file(path, **columns)
        name = path.name
    parts = list(files.values())
    joined = Labelled(
        texts=[t for d in parts for t in d.texts],
        labels=[y for d in parts for y in d.labels],
        dates=[t for d in parts for t in d.dates],
        pages=[p for d in parts for p in d.pages] if all(d.pages for d in parts) else [],
    )
    if limit and len(joined) > limit:
        keep, _ = train_test_split(
            np.arange(len(joined)), train_size=limit, stratify=joined.labels, random_state=0
        )
        joined = subset(joined, sorted(keep.tolist()))
    return name, joined


def load_file(path: Path, **columns: str | None) -> dict[str, Labelled]:
    """One file, refused as bench/moderation.py refuses one it cannot judge."""
    try:
        d = read_labelled(path, **columns)
    except LabelledFileError as exc:
        sys.exit(str(exc))
    if len(set(d.labels)) < 2:
        sys.exit(f"{path}: every comment has the same label; nothing to judge")
    return {path.name: d}


def subset(d: Labelled, rows: list[int]) -> Labelled:
    return replace(
        d,
        texts=[d.texts[i] for i in rows],
        labels=[d.labels[i] for i in rows],
        dates=[d.dates[i] for i in rows],
        pages=[d.pages[i] for i in rows] if d.pages else [],
    )


def baseline():
    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))


def judged(labels: list[int], scores: np.ndarray) -> dict:
    m = metrics(labels, scores)
    precision, recall, _ = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return {
        "precision": m["precision"],
        "recall": m["recall"],
        "f1": m["f1"],
        "roc_auc": m["roc_auc"],
        "average_precision": round(float(average_precision_score(labels, scores)), 4),
        "best_f1": round(float(f1.max()), 4),
    }


def summary(runs: list[dict]) -> dict:
    return {
        key: {
            "mean": round(statistics.mean(r[key] for r in runs), 4),
            "lowest": round(min(r[key] for r in runs), 4),
            "sd": round(statistics.pstdev(r[key] for r in runs), 4),
        }
        for key in MEASURES
    }


def repeated_folds(d: Labelled, *, folds: int, seeds: list[int], epochs: int) -> dict:
    items, labels, texts = d.items(), np.asarray(d.labels), d.texts
    ours, theirs = [], []
    for seed in seeds:
        split = StratifiedKFold(folds, shuffle=True, random_state=seed)
        for train, test in split.split(np.zeros(len(labels)), labels):
            truth = labels[test].tolist()
            spam_filter = train_like_the_command(
                [items[i] for i in train], labels[train].tolist(), epochs
            )
            ours.append(judged(truth, spam_filter.scores([items[i] for i in test])))
            tfidf = baseline().fit([texts[i] for i in train], labels[train])
            theirs.append(judged(truth, tfidf.predict_proba([texts[i] for i in test])[:, 1]))
    return {"runs": len(ours), "broadsheet": summary(ours), "tfidf_logreg": summary(theirs)}


def scoring_time(d: Labelled, *, epochs: int, most: int = 500) -> dict:
    """Per-comment scoring time on the source's own comments, by a filter (and a baseline)
    trained on the rest."""
    rows = np.random.default_rng(0).permutation(len(d))
    judge, learn = rows[:most], rows[most:]
    if len(set(np.asarray(d.labels)[learn].tolist())) < 2:
        judge, learn = rows[: len(rows) // 2], rows[len(rows) // 2 :]
    items = d.items()
    spam_filter = train_like_the_command(
        [items[i] for i in learn], [d.labels[i] for i in learn], epochs
    )
    tfidf = baseline().fit([d.texts[i] for i in learn], [d.labels[i] for i in learn])
    for i in judge[:20]:  # warm up
        spam_filter.score(items[i])
        tfidf.predict_proba([d.texts[i]])

    def timed(fn, values) -> dict:
        times = []
        for value in values:
            began = time.perf_counter()
            fn(value)
            times.append((time.perf_counter() - began) * 1000)
        return {
            "median_ms": round(statistics.median(times), 3),
            "p95_ms": round(float(np.percentile(times, 95)), 3),
        }

    return {
        "comments_timed": len(judge),
        "median_characters": int(statistics.median(len(d.texts[i]) for i in judge)),
        "broadsheet": timed(spam_filter.score, [items[i] for i in judge]),
        "tfidf_logreg": timed(lambda t: tfidf.predict_proba([t]), [d.texts[i] for i in judge]),
    }


def dated(d: Labelled) -> Labelled | None:
    """The comments that have a date, or None when too few do for a replay."""
    rows = [i for i, date in enumerate(d.dates) if date]
    if len(rows) < 100 or len({d.labels[i] for i in rows}) < 2:
        return None
    return subset(d, rows)


def cross(sources: dict[str, Labelled], epochs: int) -> list[dict]:
    rows = []
    for trained_on, train in sources.items():
        spam_filter = train_like_the_command(train.items(), train.labels, epochs)
        tfidf = baseline().fit(train.texts, train.labels)
        for judged_name, test in sources.items():
            if judged_name == trained_on:
                continue
            rows.append({
                "trained_on": trained_on,
                "judged": judged_name,
                "broadsheet": judged(test.labels, spam_filter.scores(test.items())),
                "tfidf_logreg": judged(test.labels, tfidf.predict_proba(test.texts)[:, 1]),
            })  # fmt: skip
    return rows


def _fmt(s: dict) -> str:
    def m(key: str) -> str:
        return f"{s[key]['mean']:.3f}"

    return (
        f"P {m('precision')}  R {m('recall')}  F1 {m('f1')}  AUC {m('roc_auc')} "
        f"(lowest {s['roc_auc']['lowest']:.3f})  AP {m('average_precision')}  "
        f"best F1 {m('best_f1')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", type=Path, nargs="+", help="labelled CSV files or folders")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=5, help="as `moderation train` (5)")
    parser.add_argument(
        "--limit", type=int, help="at most this many comments a source (a seeded stratified draw)"
    )
    parser.add_argument(
        "--cross", action="store_true", help="also judge each source by a filter trained on another"
    )
    for what in ("text", "label"):
        parser.add_argument(
            f"--{what}-column", help=f"the {what} column's name or number, as `moderation train`"
        )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    columns = {"text_column": args.text_column, "label_column": args.label_column}
    for path in args.sources:
        if not path.exists():
            sys.exit(f"{path}: no such file or folder")
    sources = dict(source(p, limit=args.limit, **columns) for p in args.sources)

    started = time.perf_counter()
    results: dict = {"folds": args.folds, "seeds": args.seeds, "sources": []}
    for name, d in sources.items():
        row = {
            "source": name,
            "comments": len(d),
            "not_to_publish": round(float(np.mean(d.labels)), 3),
            **repeated_folds(d, folds=args.folds, seeds=args.seeds, epochs=args.epochs),
            "speed": scoring_time(d, epochs=args.epochs),
        }
        in_order = dated(d)
        if in_order is not None:
            (row["replay"],) = replay({name: in_order})
            row["replay"]["not_to_publish"] = sum(in_order.labels)
        results["sources"].append(row)
        if not args.json:
            print_source(row, args)
    if args.cross and len(sources) > 1:
        results["cross"] = cross(sources, args.epochs)
        if not args.json:
            print("\nAcross sources (trained on all of one, judging all of another):")
            for r in results["cross"]:
                ours, theirs = r["broadsheet"], r["tfidf_logreg"]
                print(f"  {r['trained_on']} -> {r['judged']}: Broadsheet AUC "
                      f"{ours['roc_auc']:.3f} AP {ours['average_precision']:.3f} "
                      f"F1 {ours['f1']:.3f}; TF-IDF AUC {theirs['roc_auc']:.3f} "
                      f"AP {theirs['average_precision']:.3f} F1 {theirs['f1']:.3f}")  # fmt: skip
    results["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(results))
    else:
        print(f"\n{results['seconds']} s in all")


def print_source(row: dict, args: argparse.Namespace) -> None:
    print(f"{row['source']}: {row['comments']} comments, "
          f"{row['not_to_publish']:.0%} not to publish")  # fmt: skip
    print(f"  (a) {args.folds}-fold stratified, seeds {' '.join(map(str, args.seeds))} "
          f"({row['runs']} runs), means at threshold 0.5:")  # fmt: skip
    print(f"    Broadsheet       {_fmt(row['broadsheet'])}")
    print(f"    TF-IDF + LogReg  {_fmt(row['tfidf_logreg'])}")
    if "replay" in row:
        r = row["replay"]
        curve = ", ".join(f"{n}:{m}" for n, m in r["curve"][:: max(1, len(r["curve"]) // 10)])
        print(f"  (b) replay of the {r['comments']} dated comments in date order: "
              f"{r['mistakes']} wrong scores ({r['unscored']} before it could score), "
              f"error rate over the second half {r['second_half_error_rate']:.3f}")  # fmt: skip
        print(f"      cumulative wrong scores after n comments: {curve}; publishing every "
              f"comment would be wrong on {r['not_to_publish']} of them")  # fmt: skip
    s = row["speed"]
    print(f"  (c) scoring one comment ({s['comments_timed']} timed, median "
          f"{s['median_characters']} characters): Broadsheet median "
          f"{s['broadsheet']['median_ms']} ms (p95 {s['broadsheet']['p95_ms']}), "
          f"TF-IDF + LogReg {s['tfidf_logreg']['median_ms']} ms "
          f"(p95 {s['tfidf_logreg']['p95_ms']})")  # fmt: skip


if __name__ == "__main__":
    main()
