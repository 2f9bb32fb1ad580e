from django.urls import path

from broadsheet.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("decide", views.decide_many, name="decide_many"),
    path("<int:pk>/", views.comment, name="comment"),
    path("<int:pk>/decide", views.decide, name="decide"),
    path("undo", views.undo, name="undo"),
    path("<int:pk>/block", views.block, name="block"),
    path("blocks/", views.blocks, name="blocks"),
    path("blocks/<int:pk>/unblock", views.unblock, name="unblock"),
    path("log/", views.audit_log, name="log"),
    path("filter/", views.filter_outcomes, name="filter"),
    # Readers' side: public, linked from every comment.
    path("report/<int:pk>", views.report, name="report"),
]
