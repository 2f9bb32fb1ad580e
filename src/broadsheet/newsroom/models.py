from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from broadsheet.markup import web_url
from broadsheet.newsroom.querysets import ArticleQuerySet


class SingletonModel(models.Model):
    """A table of one row (pk 1): per-site choices that editors change while the site runs."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        obj, _ = cls._default_manager.get_or_create(pk=1)
        return obj


class SiteSettings(SingletonModel):
    """The per-site choices editors change while the site runs (one row)."""

    class CommentPolicy(models.TextChoices):
        PUBLISH = "publish", _("Publish comments at once (after the spam checks)")
        HOLD = "hold", _("Hold every comment for review")

    site_name = models.CharField(_("site name"), max_length=100, default="Broadsheet")
    tagline = models.CharField(
        _("tagline"), max_length=200, blank=True, default="News and discussion"
    )
    comment_policy = models.CharField(
        _("comment policy"),
        max_length=10,
        choices=CommentPolicy.choices,
        default=CommentPolicy.PUBLISH,
    )
    close_comments_after_days = models.PositiveIntegerField(
        _("close comments after days"),
        null=True,
        blank=True,
        help_text=_("Close comments automatically this many days after publication. Empty: never."),
    )
    thread_depth = models.PositiveSmallIntegerField(
        _("thread depth"),
        default=4,
        help_text=_("Deepest level of replies shown indented; deeper ones stay at it."),
    )
    comments_per_page = models.PositiveSmallIntegerField(
        _("comments per page"),
        default=50,
        help_text=_("Top-level comments per page of a discussion."),
    )
    # Said in the site's language: an operator who chose one they cannot read finds
    # the way back (each language's name is in its own script, settings.LANGUAGES).
    language = models.CharField(
        _("language"),
        max_length=15,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The language of the site's pages, forms, feeds and e-mails, and of the admin. "
            "Articles and comments are shown as they were written."
        ),
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return str(_("Site settings"))

    @classmethod
    def load(cls) -> SiteSettings:
        return super().load()

    @classmethod
    def for_request(cls, request) -> SiteSettings:
        """The settings, read once per request (the view and the templates share them)."""
        if not hasattr(request, "_site_settings"):
            request._site_settings = cls.load()
        return request._site_settings


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:section", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:tag", args=[self.slug])


class Author(models.Model):
    """A byline. Linked to a login when the writer has one; imported writers may not."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, allow_unicode=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )
    bio = models.TextField(_("bio"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsroom:author", args=[self.slug])


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    class BodyFormat(models.TextChoices):
        MARKDOWN = "markdown", "Markdown"
        # Imported from WordPress: kept as written, sanitized when rendered.
        HTML = "html", "HTML"

    class CommentPolicy(models.TextChoices):
        """How this story's comments are published: as the site does, or its own way."""

        SITE = "site", _("The site's policy")
        HOLD = "hold", _("Hold every comment for review")
        PUBLISH = "publish", _("Publish comments at once (after the spam checks)")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    body_format = models.CharField(
        _("body format"), max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    body_html = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    # PROTECT: an image a story leads with cannot be deleted from the library until
    # the story leads with another (or none); its page would lose it without a word.
    lead_image = models.ForeignKey(
        "media.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text=_("Shown above the body, and in previews when the article is shared."),
    )
    source_name = models.CharField(
        _("source outlet"),
        max_length=200,
        blank=True,
        help_text=_("Outlet this was republished from."),
    )
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Publication time; in the future for scheduled articles."),
    )
    # Off for a page that stands on its own (an "About us", a WordPress page): it has
    # its address, comments, search and sitemap entry, but no place in the stream of
    # news (ArticleQuerySet.listed).
    listed = models.BooleanField(
        _("listed"),
        default=True,
        help_text=_(
            "Shown on the front page, on its section, tag and byline pages and in their "
            "feeds. Untick it for a page that stands on its own, such as “About us”: it "
            "keeps its address, its comments and its place in the search."
        ),
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
    comment_policy = models.CharField(
        _("comment policy"),
        max_length=10,
        choices=CommentPolicy.choices,
        default=CommentPolicy.SITE,
        help_text=_(
            "Hold every comment for review on a heated story (an election night, a "
            "court case) while the rest of the site publishes at once; or publish this one "
            "story's comments at once where the site holds them all. Either way the spam "
            "checks, word lists and link limit still apply, and staff comments are never held."
        ),
    )
    # Approved comments, kept true by discussion.actions in the same transaction
    # as every status change.
    comment_count = models.PositiveIntegerField(_("comment count"), default=0, editable=False)
    # Bumped on every change of the article or its discussion: ETags and caches key on it.
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # Where an imported article came from ("wxr:<site>#<post id>"), so that a
    # second import updates it instead of adding a copy.
    origin = models.CharField(max_length=300, blank=True, default="", db_index=True)
    # What the last import wrote into each of its fields, as digests
    # (``interchange.wxr.kept``): a field whose value differs from it was changed here
    # since, and a re-import leaves it as it is.
    imported = models.JSONField(default=dict, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            # The front page and every archive: live articles, newest first.
            models.Index(fields=["status", "-published_at"], name="article_live_idx"),
            models.Index(fields=["section", "-published_at"], name="article_section_idx"),
            models.Index(fields=["author", "-published_at"], name="article_author_idx"),
        ]
        # Closing, opening or holding a story's comments without editing the story:
        # what the Moderators group holds, from the moderation pages.
        permissions = [("moderate_discussion", "Can close, open or hold a story's comments")]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("newsroom:article", args=[self.slug])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.source_url and not self.source_name.strip():
            # Readers see the outlet's name, linked: a link with no name shows nothing.
            errors["source_name"] = gettext(
                "Name the outlet the source link leads to: readers see the name."
            )
        # Checked before a missing time is filled in with "now": an article an editor
        # meant to schedule must not go live at once because the time was left out,
        # or was already past (a time zone mistaken, say).
        if self.status == self.Status.SCHEDULED:
            if self.published_at is None:
                errors["published_at"] = gettext("A scheduled article needs a time.")
            elif self.published_at <= timezone.now() and not self._was_scheduled_for_then():
                shown = timezone.localtime(self.published_at).strftime("%Y-%m-%d %H:%M")
                errors["published_at"] = gettext(
                    "%(time)s (%(zone)s) has passed: give a later time, or choose "
                    "Published to publish now."
                ) % {"time": shown, "zone": timezone.get_current_timezone_name()}
        if errors:
            raise ValidationError(errors)
        if self.status != self.Status.DRAFT and not self.published_at:
            self.published_at = timezone.now()

    def _was_scheduled_for_then(self) -> bool:
        """Whether it was stored scheduled for this very time (since come, so live)."""
        if self._state.adding or self.pk is None:
            return False
        return Article.objects.filter(
            pk=self.pk, status=self.Status.SCHEDULED, published_at=self.published_at
        ).exists()

    @property
    def source_link(self) -> str:
        """The source's address, only when it is safe to link to."""
        return web_url(self.source_url)

    @property
    def is_live(self) -> bool:
        return (
            self.status != self.Status.DRAFT
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def from_wordpress(self) -> bool:
        """Whether ``body`` is a WordPress post's content, kept as WordPress kept it."""
        return self.origin.startswith("wxr:")

    def holds_every_comment(self, site: SiteSettings | None = None) -> bool:
        """Whether every comment posted here now waits for a moderator, except staff's:
        by the story's own choice, or by the site's when the story follows it."""
        if self.comment_policy == self.CommentPolicy.SITE:
            site = site or SiteSettings.load()
            return site.comment_policy == SiteSettings.CommentPolicy.HOLD
        return self.comment_policy == self.CommentPolicy.HOLD

    def comments_close_at(self, site: SiteSettings | None = None):
        site = site or SiteSettings.load()
        return comments_close_time(self.published_at, site.close_comments_after_days)

    def accepts_comments(self, site: SiteSettings | None = None) -> bool:
        if not self.comments_open or not self.is_live:
            return False
        close_at = self.comments_close_at(site)
        return close_at is None or timezone.now() < close_at


def comments_close_time(
    published_at: datetime | None, close_after_days: int | None
) -> datetime | None:
    """When the site's *close comments after days* closes them on an article published
    at ``published_at``; None when it never does."""
    if close_after_days is None or published_at is None:
        return None
    return published_at + timedelta(days=close_after_days)


class Redirect(models.Model):
    """An old address of an article (its WordPress permalink, say) that now answers 301."""

    old_path = models.CharField(max_length=500, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self) -> str:
        return f"{self.old_path} -> {self.article_id}"


class DeletedImport(models.Model):
    """An imported article that was deleted here: a later import of the same source
    (a catch-up run of ``import wxr`` or ``import disqus``) leaves its post, or its
    thread, out with its comments, instead of bringing back what an editor deleted."""

    # The deleted article's ``origin`` ("wxr:<blog>#<post id>", "disqus:<forum>#thread-N").
    origin = models.CharField(_("imported from"), max_length=300, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    # The old addresses that led to it (its ``Redirect`` paths), which Disqus threads
    # are matched by.
    old_paths = models.JSONField(_("old addresses"), default=list, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now)

    class Meta:
        verbose_name = _("deleted imported article")
        verbose_name_plural = _("deleted imported articles")

    def __str__(self) -> str:
        return self.title or self.origin


class FormerSlug(models.Model):
    """A slug a section, tag or byline had before it was renamed: its old archive
    address answers 301 to the new one, until something else takes that slug."""

    class Kind(models.TextChoices):
        SECTION = "section", "Section"
        TAG = "tag", "Tag"
        AUTHOR = "author", "Byline"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    slug = models.CharField(max_length=150)
    # The renamed row's id (of the model ``kind`` names); its rows go when it is deleted.
    target_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            # One target per old address; it also serves the archive pages' lookup.
            models.UniqueConstraint(fields=["kind", "slug"], name="formerslug_one_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.slug} -> {self.target_id}"


# Which kind of former slug each archived model's renames leave.
FORMER_KINDS: dict[type[models.Model], str] = {
    Section: FormerSlug.Kind.SECTION,
    Tag: FormerSlug.Kind.TAG,
    Author: FormerSlug.Kind.AUTHOR,
}


class DocumentVectorField(SearchVectorField):
    """PostgreSQL's ``tsvector``. SQLite searches its own full-text table instead
    (``newsroom_searchdocument_fts``, made by migration 0009), and keeps this column
    as an empty text one: one model serves both databases."""

    def db_type(self, connection) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    """What readers can search for in an article: its words, folded (case, accents and
    vowel points set aside) and split by ``newsroom.indexing``, which keeps every
    article's row in step with it. Drafts have one too: the search shows live articles
    only, so a scheduled one is found from the minute it goes live.

    SQLite indexes these columns in an FTS5 table that triggers keep in step with this
    one; PostgreSQL in ``vector``, weighted by column, under a GIN index (migration 0009).
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    title = models.TextField()
    summary = models.TextField(blank=True)
    # The article's section, tags and byline.
    names = models.TextField(blank=True)
    body = models.TextField(blank=True)
    vector = DocumentVectorField(null=True, editable=False)

    def __str__(self) -> str:
        return f"search document of article {self.article_id}"
