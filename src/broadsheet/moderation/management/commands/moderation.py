"""``broadsheet moderation train|evaluate|rebuild|status``: the learned filter from the shell."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.db.models import Count

from broadsheet.management.speech import SpeakingCommand
from broadsheet.moderation import learned, outcomes
from broadsheet.moderation.evaluation import (
    FRACTION_NOT_TO_PUBLISH,
    LabelledFileError,
    metrics,
    read_labelled,
)
from broadsheet.moderation.features import CommentText
from broadsheet.moderation.learned import SpamFilter
from broadsheet.moderation.models import LearnedModel, TaughtExample

CHUNK = 500


class Command(SpeakingCommand):
    help = "Train, evaluate and inspect the learned moderation filter."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        sub.required = True

        train = sub.add_parser(
            "train",
            help="Teach the filter labelled CSV files (adds to what it already knows).",
            description="Columns: text,label (label 1/spam or 0/ham); the YouTube Spam "
            "Collection's CONTENT,CLASS and other usual names also work, or name them with "
            "--text-column and --label-column. Several files are learned as one set.",
        )
        train.add_argument("files", type=Path, nargs="+", metavar="FILE")
        self._columns(train)
        train.add_argument(
            "--model", type=Path, help="Read and write this model file, not the site's database."
        )
        train.add_argument("--epochs", type=int, default=5, help="Passes over the files (5).")
        train.add_argument("--dry-run", action="store_true", help="Learn but save nothing.")

        evaluate = sub.add_parser(
            "evaluate", help="Score a labelled CSV file and print precision, recall, F1, AUC."
        )
        evaluate.add_argument("file", type=Path)
        self._columns(evaluate)
        evaluate.add_argument(
            "--model", type=Path, help="Evaluate this model file, not the site's filter."
        )
        evaluate.add_argument(
            "--threshold",
            type=float,
            default=0.5,
            help="Score from which a comment counts as not to publish (0.5).",
        )
        evaluate.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON object."
        )

        rebuild = sub.add_parser(
            "rebuild",
            help="Start the site's filter afresh from every approved, rejected and spam comment.",
        )
        rebuild.add_argument("--epochs", type=int, default=5)
        rebuild.add_argument("--dry-run", action="store_true")

        forget = sub.add_parser(
            "forget",
            help="Take back what `train` taught the site's filter from the named files.",
            description="Deletes the examples kept from those files (by file name, as "
            "`status` lists them) and rebuilds the filter from the site's decisions and the "
            "other files.",
        )
        forget.add_argument("names", nargs="+", metavar="FILE_NAME")
        forget.add_argument("--epochs", type=int, default=5)
        forget.add_argument("--dry-run", action="store_true")

        sub.add_parser("status", help="What the site's filter has learned so far.")

        report = sub.add_parser(
            "outcomes",
            help="How the filter's scores did against the moderators' decisions on this site.",
            description="The score each of the latest settled comments got when it was posted, "
            "against what became of it (approved, or rejected or spam): precision and recall at "
            "the site's thresholds and at others, and suggested thresholds.",
        )
        report.add_argument(
            "--latest",
            type=int,
            default=outcomes.LATEST,
            help=f"How many of the latest settled comments to read ({outcomes.LATEST}).",
        )
        report.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON object."
        )

    @staticmethod
    def _columns(parser: CommandParser) -> None:
        for what in ("text", "label"):
            parser.add_argument(
                f"--{what}-column",
                metavar="NAME",
                help=f"The {what} column's name, or its number from 1 (for a file with no "
                "header), where the usual names are not used.",
            )

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    # -- helpers -------------------------------------------------------------

    def _read(self, path: Path, columns: dict):
        try:
            data = read_labelled(
                path,
                text_column=columns.get("text_column"),
                label_column=columns.get("label_column"),
            )
        except LabelledFileError as exc:
            raise CommandError(str(exc)) from None
        if data.encoding != "utf-8":
            self.stderr.write(f"{path}: not UTF-8; read as Windows-1252 (a spreadsheet's CSV).")
        if data.empty:
            rows = "1 row" if data.empty == 1 else f"{data.empty} rows"
            self.stderr.write(f"{path}: {rows} with no text left out.")
        if data.fractions:
            rows = "1 label is" if data.fractions == 1 else f"{data.fractions} labels are"
            self.stderr.write(
                f"{path}: {rows} a share of raters between 0 and 1; "
                f"{FRACTION_NOT_TO_PUBLISH} or more read as not to publish."
            )
        return data

    def _load(self, model: Path | None, *, must_exist: bool) -> SpamFilter | None:
        if model is None:
            return learned.site_filter()
        if not model.exists():
            if must_exist:
                raise CommandError(f"{model}: no such model file")
            return None
        try:
            return SpamFilter.load_file(model)
        except Exception as exc:  # a file someone else wrote, or a truncated one
            raise CommandError(f"{model}: not a usable Broadsheet filter ({exc})") from None

    def _learn(self, spam_filter: SpamFilter, items, labels, epochs: int) -> None:
        if epochs < 1:
            raise CommandError("--epochs must be at least 1")
        with self.progress(total=len(items) * epochs, unit="comment") as bar:
            learned.train(spam_filter, items, labels, epochs=epochs, progress=bar.update)

    # -- subcommands ---------------------------------------------------------

    def _train(
        self, files: list[Path], model: Path | None, epochs: int, dry_run: bool, **columns
    ) -> None:
        # Every file is read (and checked) before anything is learned. Several files
        # are one set: the first pass takes them in turn, the later ones shuffled
        # together, so the filter ends up no nearer the last file than the first.
        items: list[CommentText] = []
        labels: list[int] = []
        read = []
        for file in files:
            data = self._read(file, columns)
            read.append((file.name, data.items(), data.labels))
            items += read[-1][1]
            labels += data.labels
        if model is None and not dry_run:
            # The site's filter: learned under its row lock, like a moderator's decision,
            # and the examples kept in the same transaction, for every later rebuild.
            with learned.updating() as spam_filter:
                self._learn(spam_filter, items, labels, epochs)
                for name, file_items, file_labels in read:
                    learned.keep_taught(file_items, file_labels, name)
            where = "the site's filter"
        else:
            spam_filter = self._load(model, must_exist=False) or SpamFilter()
            self._learn(spam_filter, items, labels, epochs)
            if model is not None and not dry_run:
                model.parent.mkdir(parents=True, exist_ok=True)
                spam_filter.save_file(model)
            where = str(model) if model else "the site's filter"
        spam = sum(labels)
        verb = "Would teach" if dry_run else "Taught"
        self.say(
            f"{verb} {where} {len(labels)} comments ({spam} not to publish, "
            f"{len(labels) - spam} to publish); it has learned from "
            f"{spam_filter.published_examples} published and "
            f"{spam_filter.unpublished_examples} unpublished in all."
        )

    def _evaluate(
        self, file: Path, model: Path | None, threshold: float, as_json: bool, **columns
    ) -> None:
        data = self._read(file, columns)
        spam_filter = self._load(model, must_exist=True)
        if spam_filter is None or not spam_filter.can_score:
            raise CommandError(
                "The filter has not learned from both kinds of comment yet: train it first."
            )
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold must be between 0 and 1")
        items = data.items()
        scores: list[float] = []
        for start in self.progress(iterable=range(0, len(items), CHUNK), unit="chunk"):
            scores.extend(spam_filter.scores(items[start : start + CHUNK]).tolist())
        result = metrics(data.labels, scores, threshold)
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        (tn, fp), (fn, tp) = result["confusion"]
        auc = result["roc_auc"]
        auc_text = f"{auc:.4f}" if auc is not None else "n/a (one class only)"
        # With nothing scored at or above the threshold, precision is undefined, as the
        # table below says ("n/a"); --json keeps scikit-learn's 0.
        precision = f"{result['precision']:.4f}" if tp + fp else "n/a (nothing at or above it)"
        self.stdout.write(
            f"{len(data)} comments, threshold {threshold}\n"
            f"precision {precision}\n"
            f"recall    {result['recall']:.4f}\n"
            f"F1        {result['f1']:.4f}\n"
            f"ROC AUC   {auc_text}"
        )
        self.stdout.write(
            "confusion matrix (rows: label, columns: filter)\n"
            f"                 publish  not publish\n"
            f"  publish      {tn:>9} {fp:>12}\n"
            f"  not publish  {fn:>9} {tp:>12}"
        )
        self.stdout.write("at other thresholds (a site sets its hold and spam thresholds):")
        for row in result["thresholds"]:
            self.stdout.write(f"  {row['threshold']:<5} {_precision_recall(row)}")

    def _rebuild(self, epochs: int, dry_run: bool, **_) -> None:
        if not self._build(epochs, dry_run):
            raise CommandError("No approved, rejected or spam comments to learn from.")

    def _build(self, epochs: int, dry_run: bool) -> bool:
        """Start the site's filter afresh, as an upgrade does (``learned.from_decisions``:
        its decisions, then what files taught it). False when there was nothing to learn."""
        if epochs < 1:
            raise CommandError("--epochs must be at least 1")
        with self.progress(unit="comment") as bar:
            spam_filter = learned.from_decisions(epochs=epochs, progress=bar.update)
        examples = sum(spam_filter.counts)
        if not examples:
            return False
        taught = TaughtExample.objects.count()
        source = f"{examples - taught} comments" + (
            f" and {taught} examples taught from files" if taught else ""
        )
        if dry_run:
            self.say(f"Would rebuild the site's filter from {source}.")
            return True
        version = learned.store(spam_filter)
        self.say(f"Rebuilt the site's filter from {source} (version {version}).")
        return True

    def _forget(self, names: list[str], epochs: int, dry_run: bool, **_) -> None:
        kept = dict(_taught_files())
        unknown = [name for name in names if name not in kept]
        if unknown:
            listed = ", ".join(kept) or "none"
            raise CommandError(
                f"No examples were taught from {', '.join(unknown)} (files taught: {listed})."
            )
        with transaction.atomic():
            gone, _ = TaughtExample.objects.filter(source__in=names).delete()
            verb = ("Forgot", "Would forget")[dry_run]
            self.say(f"{verb} {gone} examples taught from {', '.join(names)}.")
            if not self._build(epochs, dry_run) and not dry_run:
                LearnedModel.objects.filter(pk=1).delete()
                learned.forget()
                self.say("The site's filter has nothing left to learn from: it is empty.")
            if dry_run:
                transaction.set_rollback(True)

    def _status(self, **_) -> None:
        summary = learned.model_summary()
        if summary is None:
            self.stdout.write("The site's filter has not learned anything yet.")
            return
        self.stdout.write(
            f"Stored model version {summary['version']}: learned from "
            f"{summary['published_examples']} published and "
            f"{summary['unpublished_examples']} unpublished comments."
        )
        for name, count in _taught_files():
            self.stdout.write(f"Taught from {name}: {count} examples (kept for rebuilds).")
        if problem := learned.stored_problem():
            # After an upgrade that changed the features, until `migrate` retrains it.
            self.stdout.write(
                f"It cannot score comments now ({problem}): `broadsheet migrate` or "
                "`broadsheet moderation rebuild` retrains it from the site's decisions."
            )

    def _outcomes(self, latest: int, as_json: bool, **_) -> None:
        if latest < 1:
            raise CommandError("--latest must be at least 1")
        found = outcomes.site_outcomes(latest)
        if as_json:
            self.stdout.write(json.dumps(found.as_dict()))
            return
        self.stdout.write(
            f"{found.settled} settled comments with a score: {found.published} published, "
            f"{found.not_published} rejected or spam."
        )
        if not found.settled:
            return

        for name, row in found.at_settings:
            self.stdout.write(f"{name} threshold {row['threshold']}: {_precision_recall(row)}")
        self.stdout.write("at other thresholds:")
        for row in found.rows:
            self.stdout.write(f"  {row['threshold']:<5} {_precision_recall(row)}")
        if not found.enough:
            self.stdout.write(
                f"No thresholds suggested: fewer than {outcomes.ENOUGH} settled comments of "
                "each kind."
            )
            return
        self.stdout.write(
            f"suggested: hold {found.suggested_hold if found.suggested_hold is not None else '-'}"
            f" (best F1), spam "
            f"{found.suggested_spam if found.suggested_spam is not None else '-'} (lowest with "
            f"precision {outcomes.SPAM_PRECISION})"
        )


def _taught_files() -> list[tuple[str, int]]:
    """The file names `train` taught the site's filter from, with how many examples each."""
    rows = TaughtExample.objects.values_list("source").annotate(n=Count("pk")).order_by("source")
    return list(rows)


def _precision_recall(row: dict) -> str:
    """One row of ``evaluation.thresholds``: "precision 0.9500  recall 0.8000" (n/a: none)."""
    return "  ".join(
        f"{k} {'n/a' if row[k] is None else format(row[k], '.4f')}" for k in ("precision", "recall")
    )
