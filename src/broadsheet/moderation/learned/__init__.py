"""The learned filter: the probability that this site's moderators would not publish a comment.

``classifier`` is the model itself (``SpamFilter``: features in, a score and its
reasons out, learning online), with nothing of the database; ``site`` is the
site's copy of it: stored in one row, shared by every process, taught by every
moderator decision and imported history. Callers import from here.
"""

from broadsheet.moderation.learned.classifier import (
    EPOCHS,
    LESSONS_KEPT,
    NOT_PUBLISH,
    PUBLISH,
    UNUSABLE,
    Judgement,
    Lesson,
    SpamFilter,
    load_libraries,
    train,
)
from broadsheet.moderation.learned.site import (
    LEARN_BATCH,
    RECHECK_SECONDS,
    STANDING_AFTER,
    article_paths,
    comment_text,
    decided_examples,
    forget,
    from_decisions,
    label_for_status,
    learn,
    learn_from_comments,
    lesson_key,
    model_summary,
    retrain_if_unusable,
    site_filter,
    site_hosts,
    store,
    stored_problem,
    text_on_page,
    texts_of,
    unlearn,
    updating,
)

__all__ = [
    "EPOCHS",
    "LEARN_BATCH",
    "LESSONS_KEPT",
    "NOT_PUBLISH",
    "PUBLISH",
    "RECHECK_SECONDS",
    "STANDING_AFTER",
    "UNUSABLE",
    "Judgement",
    "Lesson",
    "SpamFilter",
    "article_paths",
    "comment_text",
    "decided_examples",
    "forget",
    "from_decisions",
    "label_for_status",
    "learn",
    "learn_from_comments",
    "lesson_key",
    "load_libraries",
    "model_summary",
    "retrain_if_unusable",
    "site_filter",
    "site_hosts",
    "store",
    "stored_problem",
    "text_on_page",
    "texts_of",
    "train",
    "unlearn",
    "updating",
]
