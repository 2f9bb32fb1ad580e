"""The classifier: the probability that this site's moderators would not publish a comment.

A linear model (scikit-learn's ``SGDClassifier`` with logistic loss) over hashed
word and character n-grams (see ``features``). It learns online with
``partial_fit``: every moderator decision is one more example, and nothing but
the weights (and the character n-grams' document counts) is kept, so the model
never needs the comments it learned from. Nothing here touches the database:
``site`` keeps the site's copy.
"""

from __future__ import annotations

import copy
import logging
import math
import pickle
import random
import re
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from broadsheet.moderation.features import (
    FEATURES_VERSION,
    META_START,
    N_CHAR_FEATURES,
    N_WORD_FEATURES,
    CommentText,
    Described,
    Vector,
    described,
    featurize,
    readable,
    vectorize,
    weigh_characters,
)

if TYPE_CHECKING:
    pass


log = logging.getLogger(__name__)

PUBLISH = 0  # the moderators published it (approved)
NOT_PUBLISH = 1  # spam, or rejected as abusive or off-topic


def load_libraries() -> None:
    """Import what scoring and learning use (scikit-learn), ahead of the first comment."""
    import sklearn.linear_model
    import sklearn.utils  # noqa: F401


# Single decisions remembered for undo: the latest ones, by far what a moderator undoes.
LESSONS_KEPT = 100


@dataclass(frozen=True)
class Lesson:
    """What learning one decision changed: weights (at ``columns``) and the intercept."""

    label: int
    columns: np.ndarray
    change: np.ndarray
    intercept: float


@dataclass(frozen=True)
class Judgement:
    score: float
    # The features that pushed the score most, in words, strongest first.
    features: list[str]
    # The same as data, to be read in each moderator's language (``features.described``).
    described: list[Described] = field(default_factory=list)


# Words too common to explain anything, left out of the reasons (not of the features).
_UNINFORMATIVE = frozenset(
    re.findall(
        r"\S+",
        "a an and are as at be but by for from has have i if in is it its me my of on or so that "
        "the this to was we were will with you your xlenx0 xlenx1 xlenx2 xlenx3 xlinks0x",
    )
)


class SpamFilter:
    """An online text classifier; ``score`` is P(not published)."""

    # Published comments the moderators let stand, taken as lessons
    # (``learned.site.standing_examples``): every comment up to ``standing_floor``
    # was learned from already, and on each article those up to its entry in
    # ``standing_taken``. Class defaults, so that filters stored before read none.
    standing_floor: int = 0
    standing_taken: dict[int, int] = {}  # replaced whole, never changed in place

    def __init__(self, *, alpha: float = 1e-4, seed: int = 0) -> None:
        # Plain (not averaged) weights: averaging smooths away what one new
        # decision teaches, and on a live site each decision should count at once
        # (the replay benchmark makes half the mistakes without it).
        from sklearn.linear_model import SGDClassifier  # on first use: it is slow to import

        self.classifier = SGDClassifier(loss="log_loss", alpha=alpha, random_state=seed)
        self.counts = [0, 0]  # examples learned, by label
        self.features_version = FEATURES_VERSION
        # Online IDF of the character n-grams: in how many of the comments learned
        # from each character column occurs (no vocabulary, just one count per column).
        self.documents = 0
        self.document_counts = np.zeros(N_CHAR_FEATURES, dtype=np.uint32)
        # What each of the latest single decisions changed, so that undoing one
        # can take it back: key -> (label, columns, weight changes, intercept change).
        self.lessons: OrderedDict[str, Lesson] = OrderedDict()

    @property
    def published_examples(self) -> int:
        return self.counts[PUBLISH]

    @property
    def unpublished_examples(self) -> int:
        return self.counts[NOT_PUBLISH]

    @property
    def can_score(self) -> bool:
        return min(self.counts) > 0 and hasattr(self.classifier, "coef_")

    def is_ready(self, minimum: int) -> bool:
        """Whether it has learned enough of both kinds for its score to decide."""
        return self.can_score and min(self.counts) >= minimum

    def learn(
        self,
        items: Sequence[CommentText],
        labels: Sequence[int],
        *,
        count: bool = True,
        keys: Sequence[str] | None = None,
    ) -> int:
        """Learn from labelled comments, in the order given (one pass; ``train`` makes several).

        ``count=False`` for another pass over examples already counted. With
        ``keys`` (one per comment), each comment is learned on its own and what
        it changed is remembered under its key, for ``unlearn``.
        """
        if not items:
            return 0
        X = featurize(items)
        if count:
            self._count_documents(X.indices, +1)
            self.documents += X.shape[0]
        self._weigh(X)
        y = np.asarray(labels, dtype=np.int64)
        if keys is not None:
            for row, key in enumerate(keys):
                self._learn_one(key, X[row], int(y[row]))
        else:
            self.classifier.partial_fit(X, y, classes=[PUBLISH, NOT_PUBLISH])
        if count:
            for label in (PUBLISH, NOT_PUBLISH):
                self.counts[label] += int((y == label).sum())
        return len(items)

    def _count_documents(self, indices: np.ndarray, sign: int) -> None:
        """Add (or take back) the character columns of learned comments to the IDF counts."""
        chars = indices[(indices >= N_WORD_FEATURES) & (indices < META_START)] - N_WORD_FEATURES
        counts = np.bincount(chars, minlength=N_CHAR_FEATURES).astype(np.uint32)
        if sign > 0:
            self.document_counts += counts
        else:
            self.document_counts -= np.minimum(counts, self.document_counts)

    def _learn_one(self, key: str, row: Any, label: int) -> None:
        columns = row.indices.astype(np.int32)
        fitted = hasattr(self.classifier, "coef_")
        before = self.classifier.coef_[0][columns].copy() if fitted else 0.0
        intercept = float(self.classifier.intercept_[0]) if fitted else 0.0
        self.classifier.partial_fit(row, [label], classes=[PUBLISH, NOT_PUBLISH])
        change = (self.classifier.coef_[0][columns] - before).astype(np.float32)
        self.lessons.pop(key, None)
        self.lessons[key] = Lesson(
            label, columns, change, float(self.classifier.intercept_[0]) - intercept
        )
        while len(self.lessons) > LESSONS_KEPT:
            self.lessons.popitem(last=False)

    def remembers(self, key: str, label: int) -> bool:
        """Whether the lesson learned under ``key`` (with this label) can still be taken back."""
        lesson = self.lessons.get(key)
        return lesson is not None and lesson.label == label

    def unlearn(self, key: str, label: int) -> bool:
        """Take back what the decision learned under ``key`` taught, if it is still remembered.

        The weights it changed go back by what it changed them (later lessons
        stay), and it no longer counts as an example. Returns whether it could.
        """
        if not self.remembers(key, label):
            return False
        lesson = self.lessons[key]
        del self.lessons[key]
        self.classifier.coef_[0][lesson.columns] -= lesson.change
        self.classifier.intercept_[0] -= lesson.intercept
        self._count_documents(lesson.columns, -1)
        self.documents = max(0, self.documents - 1)
        self.counts[label] = max(0, self.counts[label] - 1)
        return True

    def scores(self, items: Sequence[CommentText]) -> np.ndarray:
        if not self.can_score:
            return np.full(len(items), 0.5)
        X = featurize(items)
        self._weigh(X)
        return self.classifier.predict_proba(X)[:, 1]

    def _weigh(self, X: Any) -> None:
        """Weigh a featurized batch's character n-grams by their IDF (in place)."""
        weigh_characters(X.indptr, X.indices, X.data, self.document_counts, self.documents)

    def _vector(self, item: CommentText) -> Vector:
        vector = vectorize(item)
        indptr = np.array([0, len(vector.columns)])
        weigh_characters(
            indptr, vector.columns, vector.values, self.document_counts, self.documents
        )
        return vector

    def _probability(self, vector: Vector) -> float:
        # The logistic model's predict_proba, without scikit-learn's per-call
        # validation, which costs more than the sum itself on one comment.
        coef = self.classifier.coef_[0]
        z = float(coef[vector.columns] @ vector.values) + float(self.classifier.intercept_[0])
        return 1.0 / (1.0 + math.exp(-max(-500.0, min(500.0, z))))

    def score(self, item: CommentText) -> float:
        return self._probability(self._vector(item)) if self.can_score else 0.5

    def judge(self, item: CommentText, *, top: int = 4) -> Judgement:
        """The score and the readable word features that weighed most toward it."""
        if not self.can_score:
            return Judgement(0.5, [])
        vector = self._vector(item)
        score = self._probability(vector)
        values = dict(zip(vector.columns.tolist(), vector.values.tolist(), strict=True))
        coef = self.classifier.coef_[0]
        toward = 1.0 if score >= 0.5 else -1.0
        weighed = {
            token: values[column] * float(coef[column]) * toward
            for token, column in vector.words.items()
            if not _UNINFORMATIVE.intersection(token.split(" "))
        }
        best = sorted(((w, t) for t, w in weighed.items() if w > 0), reverse=True)[:top]
        return Judgement(score, [readable(t) for _, t in best], [described(t) for _, t in best])

    # Pickled sparse: the weight vectors are mostly zeros (only columns some
    # comment used), so storing a decision costs milliseconds, not a dense copy.
    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        classifier = copy.copy(self.classifier)
        sparse = {}
        for name, value in vars(classifier).items():
            if isinstance(value, np.ndarray) and value.size > 4096:
                flat = value.ravel()
                nonzero = np.flatnonzero(flat).astype(np.int32)
                sparse[name] = (value.shape, value.dtype.str, nonzero, flat[nonzero])
        for name in sparse:
            setattr(classifier, name, None)
        state["classifier"] = classifier
        state["_sparse"] = sparse
        counts = self.document_counts
        seen = np.flatnonzero(counts).astype(np.int32)
        state["document_counts"] = (seen, counts[seen])
        return state

    def __setstate__(self, state: dict) -> None:
        sparse = state.pop("_sparse", {})
        seen, counts = state.pop("document_counts", (np.zeros(0, np.int32), np.zeros(0)))
        state["document_counts"] = np.zeros(N_CHAR_FEATURES, dtype=np.uint32)
        state["document_counts"][seen] = counts
        state.setdefault("documents", 0)
        state.setdefault("lessons", OrderedDict())
        classifier = state["classifier"]
        for name, (shape, dtype, nonzero, values) in sparse.items():
            dense = np.zeros(int(np.prod(shape)), dtype=np.dtype(dtype))
            dense[nonzero] = values
            setattr(classifier, name, dense.reshape(shape))
        self.__dict__.update(state)

    def dumps(self) -> bytes:
        return zlib.compress(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL), 1)

    @classmethod
    def loads(cls, blob: bytes) -> SpamFilter:
        # Only ever our own blobs: the site's database row or a file an operator wrote.
        loaded = pickle.loads(zlib.decompress(bytes(blob)))
        if not isinstance(loaded, cls):
            raise ValueError("not a Broadsheet filter")
        if loaded.features_version != FEATURES_VERSION:
            raise ValueError(
                f"the filter was built on features v{loaded.features_version}, "
                f"this version of Broadsheet uses v{FEATURES_VERSION}: retrain it"
            )
        return loaded

    def save_file(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(self.dumps())
        tmp.replace(path)

    @classmethod
    def load_file(cls, path: Path) -> SpamFilter:
        return cls.loads(path.read_bytes())


# What loading a stored filter raises when it cannot be used (another features
# version, or a damaged blob).
UNUSABLE = (ValueError, pickle.UnpicklingError, zlib.error, EOFError)

# Passes over the examples when training from a file or the site's history.
EPOCHS = 5

# Comments featurized and learned at a time (``train``, ``site.learn_from_comments``).
LEARN_BATCH = 1000


def train(
    spam_filter: SpamFilter,
    items: Sequence[CommentText],
    labels: Sequence[int],
    *,
    epochs: int = EPOCHS,
    progress: Callable[[int], object] | None = None,
) -> None:
    """Several passes over labelled comments, in batches: the first in their order,
    the others shuffled (the same shuffles every time). ``progress`` is told how
    many comments each batch held."""
    for epoch in range(epochs):
        order = list(range(len(items)))
        if epoch:
            random.Random(epoch).shuffle(order)
        for start in range(0, len(order), LEARN_BATCH):
            chunk = order[start : start + LEARN_BATCH]
            spam_filter.learn(
                [items[i] for i in chunk],
                [labels[i] for i in chunk],
                count=epoch == 0,  # later passes see the same examples again
            )
            if progress is not None:
                progress(len(chunk))
