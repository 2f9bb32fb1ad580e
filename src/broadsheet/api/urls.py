from django.urls import path, re_path

from broadsheet.api import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi_document, name="openapi"),
    path("articles/<str:slug>", views.article, name="article"),
    path("articles/<str:slug>/comments", views.article_comments, name="article-comments"),
    path("comments/<int:pk>", views.comment, name="comment"),
    # Anything else under /api/v1/ answers a JSON 404, not the site's HTML page.
    re_path(r"", views.not_found),
]
