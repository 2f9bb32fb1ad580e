"""The moderation pages' addresses, under /moderation/."""

from django.urls import path

from broadsheet.moderation.views import audit, blocklist, decisions, reports, wordlists

app_name = "moderation"
urlpatterns = [
    path("", decisions.queue, name="queue"),
    path("decide", decisions.decide_many, name="decide_many"),
    path("<int:pk>/", decisions.comment, name="comment"),
    path("<int:pk>/decide", decisions.decide, name="decide"),
    path("undo", decisions.undo, name="undo"),
    path("<int:pk>/block", blocklist.block, name="block"),
    path("blocks/", blocklist.blocks, name="blocks"),
    path("blocks/<int:pk>/unblock", blocklist.unblock, name="unblock"),
    path("log/", audit.audit_log, name="log"),
    path("filter/", audit.filter_outcomes, name="filter"),
    path("words/", wordlists.word_lists, name="words"),
    # Readers' side: public, linked from every comment.
    path("report/<int:pk>", reports.report, name="report"),
]
