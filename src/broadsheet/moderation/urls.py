from django.urls import path

from broadsheet.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/decide", views.decide, name="decide"),
]
