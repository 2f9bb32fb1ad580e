from django.urls import path, re_path

from broadsheet.api import views
from broadsheet.newsroom.middleware import in_language

# The API answers in English whatever the site's language (docs/api.md): its clients
# are programs, and one answer holds for every site.
english = in_language("en")

app_name = "api"
urlpatterns = [
    path("openapi.json", english(views.openapi_document), name="openapi"),
    path("articles/<str:slug>", english(views.article), name="article"),
    path("articles/<str:slug>/comments", english(views.article_comments), name="article-comments"),
    path("comments/<int:pk>", english(views.comment), name="comment"),
    path("search", english(views.search), name="search"),
    # Anything else under /api/v1/ answers a JSON 404, not the site's HTML page.
    re_path(r"", english(views.not_found)),
]
