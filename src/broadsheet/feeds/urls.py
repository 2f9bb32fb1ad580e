from django.urls import path, re_path
from django.views.generic import RedirectView

from broadsheet.feeds.feeds import ArticlesFeed, CommentsFeed, DiscussionFeed, FiledFeed
from broadsheet.newsroom.models import Author, Section, Tag

app_name = "feeds"

urlpatterns = [
    # The addresses WordPress gives its feeds, so that a site moving in keeps its
    # subscribers: /feed/, /comments/feed/ and a post's /<post>/feed/.
    path("feed/", ArticlesFeed(), name="articles"),
    path("comments/feed/", CommentsFeed(), name="comments"),
    path("article/<str:slug>/feed/", DiscussionFeed(), name="discussion"),
    path("section/<str:slug>/feed/", FiledFeed(Section, "section", "description"), name="section"),
    path("tag/<str:slug>/feed/", FiledFeed(Tag, "tags"), name="tag"),
    path("author/<str:slug>/feed/", FiledFeed(Author, "author", "bio"), name="author"),
    # WordPress's other formats of the same two feeds: one format here, Atom.
    re_path(r"^feed/(?:atom|rss2?|rdf)/$", RedirectView.as_view(pattern_name="feeds:articles",
                                                               permanent=True)),
    re_path(r"^comments/feed/(?:atom|rss2?|rdf)/$",
            RedirectView.as_view(pattern_name="feeds:comments", permanent=True)),
]  # fmt: skip
