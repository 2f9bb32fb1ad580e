from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from broadsheet.discussion import views as discussion_views
from broadsheet.newsroom import views as newsroom_views

newsroom_patterns = [
    path("", newsroom_views.front, name="front"),
    path("section/<str:slug>/", newsroom_views.section, name="section"),
    path("tag/<str:slug>/", newsroom_views.tag, name="tag"),
    path("author/<str:slug>/", newsroom_views.author, name="author"),
    # The article page is drawn by discussion: it is the article plus its comments.
    path("article/<str:slug>/", discussion_views.article_page, name="article"),
]

discussion_patterns = [
    path("article/<str:slug>/comments", discussion_views.post_comment, name="post"),
    path("c/<int:pk>", discussion_views.permalink, name="permalink"),
    path("c/<int:pk>/reply", discussion_views.reply, name="reply"),
    path("c/<int:pk>/edit", discussion_views.edit_own, name="edit"),
    path("c/<int:pk>/delete", discussion_views.delete_own, name="delete"),
]

urlpatterns = [
    # Browsers ask for it on every page that names no icon, the admin's included.
    path("favicon.ico", RedirectView.as_view(url=static("broadsheet/favicon.svg"))),
    path("admin/", admin.site.urls),
    path("moderation/", include("broadsheet.moderation.urls")),
    path("api/v1/", include("broadsheet.api.urls")),
    path("", include((discussion_patterns, "discussion"))),
    path("", include((newsroom_patterns, "newsroom"))),
]

handler400 = "broadsheet.api.responses.bad_request"
