"""The moderation pages' addresses, under /moderation/."""

from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import path
from django.views.generic import RedirectView

from broadsheet.moderation.views import audit, blocklist, decisions, reports, stories, wordlists


def _slashed(name: str) -> Callable[..., HttpResponseBase]:
    """A page's address typed with a final slash: sent to the page (GET and HEAD only;
    a form posted there is refused rather than posted again as a GET)."""
    return RedirectView.as_view(
        pattern_name=name, permanent=True, query_string=True, http_method_names=["get", "head"]
    )


app_name = "moderation"
urlpatterns = [
    path("", decisions.queue, name="queue"),
    path("decide", decisions.decide_many, name="decide_many"),
    path("<int:pk>/", decisions.comment, name="comment"),
    path("<int:pk>/decide", decisions.decide, name="decide"),
    path("undo", decisions.undo, name="undo"),
    path("<int:pk>/block", blocklist.block, name="block"),
    path("<int:pk>/block/", _slashed("moderation:block")),
    path("blocks/", blocklist.blocks, name="blocks"),
    path("blocks/<int:pk>/unblock", blocklist.unblock, name="unblock"),
    path("log/", audit.audit_log, name="log"),
    path("filter/", audit.filter_outcomes, name="filter"),
    path("words/", wordlists.word_lists, name="words"),
    path("story/<int:pk>/", stories.story, name="story"),
    # Readers' side: public, linked from every comment.
    path("report/<int:pk>", reports.report, name="report"),
    path("report/<int:pk>/", _slashed("moderation:report")),
]
