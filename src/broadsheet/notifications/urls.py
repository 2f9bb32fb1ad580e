"""The pages that e-mails link to, under /mail/ (each link carries a signed token), and
the moderators' choice of e-mail, at /moderation/notices/ (``moderator_patterns``)."""

from django.urls import path

from broadsheet.notifications import views

app_name = "notifications"
urlpatterns = [
    path("confirm/<str:token>", views.confirm, name="confirm"),
    path("stop/<str:token>", views.stop, name="stop"),
]

moderator_patterns = ([path("", views.notices, name="choice")], "notices")
