from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from broadsheet import signin
from broadsheet.discussion import views as discussion_views
from broadsheet.newsroom import sitemaps
from broadsheet.newsroom import views as newsroom_views
from broadsheet.notifications.urls import moderator_patterns
from broadsheet.search import views as search_views

handler404 = "broadsheet.newsroom.views.not_found"
# 503 with Retry-After when the database or Redis does not answer, else 500 (outage.py).
handler500 = "broadsheet.outage.server_error"

# Staff sign in through the admin's page, with failed attempts counted (signin.py).
admin.site.login_form = signin.GuardedSignInForm

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
    # Readers' pages first: Django tries the patterns in order on every request, and
    # these are most of them. None of them matches another list's address.
    path("", include((newsroom_patterns, "newsroom"))),
    path("", include((discussion_patterns, "discussion"))),
    path("search/", search_views.results, name="search"),
    # Browsers ask for it on every page that names no icon, the admin's included.
    # Uploaded images (broadsheet.media); a front proxy may serve these itself.
    path("media/", include("broadsheet.media.urls")),
    path("favicon.ico", RedirectView.as_view(url=static("broadsheet/favicon.svg"))),
    path("robots.txt", newsroom_views.robots, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap, name="sitemap"),
    # A forgotten staff password, reset by e-mail; the admin's sign-in page links here.
    path("admin/password_reset/", signin.PasswordReset.as_view(), name="admin_password_reset"),
    path(
        "admin/password_reset/done/", signin.PasswordResetDone.as_view(), name="password_reset_done"
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        signin.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/", signin.PasswordResetComplete.as_view(), name="password_reset_complete"
    ),
    path("admin/", admin.site.urls),
    path("moderation/notices/", include(moderator_patterns)),
    path("moderation/", include("broadsheet.moderation.urls")),
    path("api/v1/", include("broadsheet.api.urls")),
    path("", include("broadsheet.feeds.urls")),
    path("mail/", include("broadsheet.notifications.urls")),
]

handler400 = "broadsheet.api.responses.bad_request"
