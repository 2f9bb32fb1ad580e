"""The pages that e-mails link to, under /mail/. Each link carries a signed token."""

from django.urls import path

from broadsheet.notifications import views

app_name = "notifications"
urlpatterns = [
    path("confirm/<str:token>", views.confirm, name="confirm"),
    path("stop/<str:token>", views.stop, name="stop"),
]
