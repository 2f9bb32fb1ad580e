"""Editorial state changes: saving, publishing and scheduling articles."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.db import transaction
from django.db.models import Manager, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from broadsheet.conf import conf
from broadsheet.markup import render_article, sanitize_html
from broadsheet.media.models import Image
from broadsheet.media.pictures import pictures
from broadsheet.newsroom import indexing
from broadsheet.newsroom.models import (
    FORMER_KINDS,
    Article,
    Author,
    DeletedImport,
    FormerSlug,
    Redirect,
    Section,
    SiteSettings,
    Tag,
)


def _store(article: Article) -> None:
    """Save everything but the comment count, which only discussion's actions write:
    a copy of the article loaded before a comment arrived must not undo the count."""
    if article.pk is None or article._state.adding:
        article.save()
        return
    fields = [
        f.name
        for f in Article._meta.concrete_fields
        if not f.primary_key and f.name != "comment_count"
    ]
    article.save(update_fields=fields)


def save_article(article: Article, *, actor=None) -> Article:
    """Render the body once, here, so that pages only assemble stored HTML.

    An article readers have seen, given a new slug, keeps its old address: it answers
    301 to the new one (a ``Redirect``, made in the same transaction)."""
    article.body_html = render_body(article)
    if article.status != Article.Status.DRAFT and article.published_at is None:
        article.published_at = timezone.now()
    if (
        article.status == Article.Status.PUBLISHED
        and article.published_at is not None
        and article.published_at > timezone.now()
    ):
        article.status = Article.Status.SCHEDULED
    article.changed_at = timezone.now()
    with transaction.atomic():
        before = None
        if article.pk is not None and not article._state.adding:
            before = Article.objects.select_for_update().filter(pk=article.pk).first()
        _store(article)
        indexing.index_articles([article.pk])
        if before is not None and before.slug != article.slug and _has_been_shown(before):
            _keep_old_address(article, before.slug)
        if changes := _discussion_changes(before, article):
            _audit(article, changes, actor=actor)
    return article


def render_body(article: Article, *, images: Manager | None = None) -> str:
    """The HTML an article's page shows, made from its body and sanitized: Markdown
    rendered, a WordPress post laid out as its import laid it out (blank lines made
    paragraphs, shortcodes expanded: sanitizing alone would run its paragraphs
    together), other HTML as written. The WordPress layout is the function
    ``BROADSHEET_WORDPRESS_HTML_RENDERER`` names: newsroom does not import the importers.

    Its images of the library list their narrower copies (``markup.fit_pictures``),
    looked up with ``images`` (a migration's manager), else ``Image.objects``.

    A Markdown body's footnotes get ids of its slug, and their words (the notes'
    heading, what a screen reader says of a number or an arrow) in the site's
    language: ``language_changed`` renders them again when it changes."""
    shown = pictures(article.body, images)
    # With no lead image, the body's first image is at the top of the page.
    first = {"first_on_screen": article.lead_image_id is None}
    if article.body_format != Article.BodyFormat.HTML:
        noted = "[^" in article.body
        with translation.override(site_language()) if noted else nullcontext():
            return render_article(article.body, shown, slug=article.slug, **first)
    if article.from_wordpress:
        noted = "wp:footnotes" in article.body
        with translation.override(site_language()) if noted else nullcontext():
            laid_out = import_string(conf.WORDPRESS_HTML_RENDERER)(article.body, slug=article.slug)
        return sanitize_html(laid_out, shown, **first)
    return sanitize_html(article.body, shown, **first)


def site_language() -> str:
    # Read alone, as a migration's model of the settings may lack later fields.
    found = SiteSettings.objects.filter(pk=1).values_list("language", flat=True).first()
    return found or settings.LANGUAGE_CODE


def _render_notes_again() -> None:
    """The bodies with footnotes rendered again, in a new site language: their notes'
    heading and what a screen reader says of them are the site's words."""
    fields = ["slug", "body", "body_format", "body_html", "origin", "lead_image"]
    noted = Article.objects.filter(body_html__contains='class="footnotes"')
    for article in noted.select_for_update().only(*fields):
        html = render_body(article)
        if html != article.body_html:
            Article.objects.filter(pk=article.pk).update(body_html=html, changed_at=timezone.now())


def image_changed(sender, instance: Image, raw: bool = False, update_fields=None, **kwargs) -> None:
    """A receiver (after a library image is added, changed or removed): the bodies that
    show its files are rendered again, since their stored HTML lists the picture's
    copies. An article written before its image was uploaded or restored gets them;
    one whose image is gone loses them."""
    if raw or (update_fields is not None and not {"file", "web_file", "sizes"} & update_fields):
        return
    showing = Q()
    for name in (instance.file, instance.web_file):
        if name:
            showing |= Q(body__contains=name)
    if not showing:
        return
    fields = ["slug", "body", "body_format", "body_html", "origin", "lead_image"]
    with transaction.atomic():
        for article in Article.objects.select_for_update().filter(showing).only(*fields):
            html = render_body(article)
            if html != article.body_html:
                Article.objects.filter(pk=article.pk).update(
                    body_html=html, changed_at=timezone.now()
                )


def _has_been_shown(article: Article) -> bool:
    """Whether readers may have its address: live, or published once and since returned
    to draft (a draft keeps its publication time)."""
    return article.is_live or (
        article.published_at is not None and article.published_at <= timezone.now()
    )


def _page_path(slug: str) -> str:
    # As a request's path reads (decoded), which is what LegacyRedirectMiddleware matches.
    return unquote(reverse("newsroom:article", args=[slug]))


def _keep_old_address(article: Article, old_slug: str) -> None:
    """The article's page at ``old_slug`` answers 301 to its new address. The redirect is
    only read when no page answers there (LegacyRedirectMiddleware), so an article that
    takes the old slug later wins over it."""
    # Back to a slug it had: its own address must not redirect (to itself).
    Redirect.objects.filter(old_path=_page_path(article.slug), article=article).delete()
    # The old address now leads here, whichever article it led to before.
    Redirect.objects.update_or_create(old_path=_page_path(old_slug), defaults={"article": article})


def publish(article: Article, *, actor=None, at: datetime | None = None) -> Article:
    """Publish now, or schedule for ``at`` (the article appears by itself then)."""
    now = timezone.now()
    article.published_at = at or article.published_at or now
    if article.published_at > now:
        article.status = Article.Status.SCHEDULED
    else:
        article.status = Article.Status.PUBLISHED
    return save_article(article, actor=actor)


def unpublish(article: Article, *, actor=None) -> Article:
    article.status = Article.Status.DRAFT
    return save_article(article, actor=actor)


# What an article page shows of its section, tags and byline: a save that changes none
# of these leaves the pages as they were. The section menu (top-level sections, in order)
# is on every page.
SHOWN_FIELDS: dict[type, tuple[str, ...]] = {
    Section: ("name", "slug", "position", "parent_id"),
    Tag: ("name", "slug"),
    Author: ("name", "slug"),
}


def _shown(instance: Section | Tag | Author) -> tuple:
    return tuple(getattr(instance, name) for name in SHOWN_FIELDS[type(instance)])


def _redraw(instance: Section | Tag | Author, *, menu: bool) -> None:
    """Move ``changed_at`` (which a page's ETag and cache key hold) on the article pages
    that show ``instance``; on every page when the section menu changed."""
    if menu:
        articles = Article.objects.all()
    elif isinstance(instance, Section):
        articles = Article.objects.filter(section=instance)
    elif isinstance(instance, Tag):
        articles = Article.objects.filter(tags=instance)
    else:
        articles = Article.objects.filter(author=instance)
    articles.update(changed_at=timezone.now())


def _in_menu(instance: Section | Tag | Author, shown: tuple) -> bool:
    """Whether a section with what ``shown`` holds is in the menu (top level)."""
    return isinstance(instance, Section) and shown[SHOWN_FIELDS[Section].index("parent_id")] is None


def filing_changed(
    sender, instance: Section | Tag | Author, created: bool = False, raw: bool = False, **kwargs
) -> None:
    """A receiver: a section, tag or byline was saved. The article pages that show what
    changed of it are drawn anew (``filing_renamed`` noted what it was before)."""
    if raw:
        return
    before = getattr(instance, "_shown_before", None)
    now = _shown(instance)
    if created or before is None:
        # New: on no article page yet, but a top-level section joins the menu.
        if _in_menu(instance, now):
            _redraw(instance, menu=True)
    elif before != now:
        _redraw(instance, menu=_in_menu(instance, before) or _in_menu(instance, now))
        name = SHOWN_FIELDS[type(instance)].index("name")
        if before[name] != now[name]:
            # Its name is searched for in the articles filed under it.
            indexing.index_articles(indexing.filed_under(instance))


def filing_gone(sender, instance: Section | Tag | Author, **kwargs) -> None:
    """A receiver (before a section, tag or byline is deleted, while its articles can
    still be found): their pages lose its name, and so does the search index once it
    is gone (``indexing.filing_removed``)."""
    _redraw(instance, menu=_in_menu(instance, _shown(instance)))
    instance._search_articles = indexing.filed_under(instance)  # type: ignore[union-attr]


def filing_renamed(sender, instance: Section | Tag | Author, raw: bool = False, **kwargs) -> None:
    """A receiver (before a section, tag or byline is saved): a new slug keeps the old
    archive address answering, with a 301 to the new one (``FormerSlug``); what the
    pages show of it is noted for ``filing_changed``."""
    if raw:
        return
    kind = FORMER_KINDS[type(instance)]
    # The slug is this one's address now (again, or taken over from a renamed one): no
    # redirect may stand in its way, even once this one is gone.
    FormerSlug.objects.filter(kind=kind, slug=instance.slug).delete()
    if instance.pk is None:
        return
    fields = SHOWN_FIELDS[type(instance)]
    before = type(instance).objects.filter(pk=instance.pk).values_list(*fields).first()
    instance._shown_before = before  # type: ignore[union-attr]
    old_slug = before[fields.index("slug")] if before is not None else None
    if old_slug is not None and old_slug != instance.slug:
        FormerSlug.objects.update_or_create(
            kind=kind, slug=old_slug, defaults={"target_id": instance.pk}
        )


def filing_deleted(sender, instance: Section | Tag | Author, **kwargs) -> None:
    """A receiver (before a section, tag or byline is deleted): its old addresses go."""
    FormerSlug.objects.filter(kind=FORMER_KINDS[type(instance)], target_id=instance.pk).delete()


def imported_article_deleted(sender, instance: Article, **kwargs) -> None:
    """A receiver (before an article is deleted): an imported one is remembered, so that
    a later import of its source leaves it out rather than bringing it back."""
    if not instance.origin:
        return
    DeletedImport.objects.update_or_create(
        origin=instance.origin,
        defaults={
            "title": instance.title,
            "old_paths": list(instance.redirects.values_list("old_path", flat=True)),
            "deleted_at": timezone.now(),
        },
    )


def delete_article(article: Article, *, actor=None) -> int:
    """Delete ``article`` with all that hangs on it, and return how many comments went
    with it: its comments, whatever their status, with their reports and reply
    subscriptions; its search entry and old addresses. The moderation audit log keeps
    an entry saying which story went, by whom, with how many comments (the entries of
    its comments stay, no longer pointing at them); an imported story is remembered
    (``DeletedImport``, written by ``imported_article_deleted``) so that a later import
    leaves it out. Its pages and feeds stop showing it at the next request: they are
    stamped from the rows that remain."""
    with transaction.atomic():
        # Locked, so that a comment posted meanwhile is counted or refused, not missed.
        stored = Article.objects.select_for_update().get(pk=article.pk)
        comments = stored.comments.count()  # type: ignore[attr-defined]
        said = {"code": "article_deleted", "title": stored.title, "comments": comments}
        _audit(stored, [said], actor=actor)
        stored.delete()
    return comments


def set_comments_open(article: Article, is_open: bool, *, actor=None) -> Article:
    return _set_discussion(article, actor=actor, comments_open=is_open)


def set_comment_policy(article: Article, policy: str, *, actor=None) -> Article:
    """Hold every comment on this story for review, publish its comments at once, or
    follow the site's comment policy again (``Article.CommentPolicy``; anything else
    raises ``ValueError`` and changes nothing)."""
    return _set_discussion(article, actor=actor, comment_policy=Article.CommentPolicy(policy))


# What an article says about its discussion: a change to one is written in the audit log.
DISCUSSION_FIELDS = ("comments_open", "comment_policy")


def set_discussion(article: Article, *, comments_open: bool, comment_policy: str, actor=None):
    """Open or close a story's comments and set its comment policy at once, with one audit
    entry saying what changed (none when nothing did)."""
    return _set_discussion(
        article,
        actor=actor,
        comments_open=comments_open,
        comment_policy=Article.CommentPolicy(comment_policy),
    )


def _set_discussion(article: Article, *, actor, **values) -> Article:
    with transaction.atomic():
        # Locked, so that two editors acting at once each audit what they changed.
        stored = Article.objects.select_for_update().only(*values).get(pk=article.pk)
        for name, value in values.items():
            setattr(article, name, value)
        changes = _discussion_changes(stored, article, values)
        if changes:
            article.changed_at = timezone.now()
            article.save(update_fields=[*values, "changed_at", "updated_at"])
            _audit(article, changes, actor=actor)
    return article


def _discussion_changes(
    before: Article | None, after: Article, names: Iterable[str] = DISCUSSION_FIELDS
) -> list[dict[str, Any]]:
    """What changed in the discussion's settings (those of ``names``), as the audit log
    keeps it (messages that ``moderation.notes`` puts into words when the log is read);
    a new article is compared with the defaults."""
    said: list[dict[str, Any]] = []
    before = before or Article()
    for name in names:
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        if name == "comments_open":
            said.append({"code": "comments_opened" if new else "comments_closed"})
        else:
            said.append({"code": "comment_policy", "from": old, "to": new})
    return said


def _audit(article: Article | None, changes: list[dict[str, Any]], *, actor) -> None:
    """Written by the function ``DISCUSSION_AUDIT`` names: newsroom does not import
    moderation."""
    import_string(conf.DISCUSSION_AUDIT)(changes, actor=actor, article=article)


def save_site_settings(site: SiteSettings, *, actor=None) -> SiteSettings:
    """Save the site's settings, with an audit entry saying what changed."""
    with transaction.atomic():
        before = SiteSettings.objects.select_for_update().filter(pk=site.pk).first()
        site.save()
        if before is not None and before.language != site.language:
            # PostgreSQL's index stems words by the site's language.
            indexing.revectorize(indexing.text_search_config(site.language))
            _render_notes_again()
        changed = [
            {"field": field.name, "from": getattr(before, field.attname),
             "to": getattr(site, field.attname)}
            for field in SiteSettings._meta.concrete_fields
            if not field.primary_key
            and before is not None
            and getattr(before, field.attname) != getattr(site, field.attname)
        ]  # fmt: skip
        if changed:
            _audit(None, [{"code": "site_settings", "changes": changed}], actor=actor)
    return site


# Importing: used by broadsheet.interchange (WordPress, Disqus, JSON backups).


def import_article(
    article: Article,
    *,
    body_html: str,
    tags: Iterable[Tag] | None = None,
    redirects: Iterable[str] = (),
    created_at: datetime | None = None,
    updated_at: datetime | None = None,
) -> Article:
    """Store an article brought from another system, its status and dates as given.

    The body is kept as the source wrote it (``body_format`` says how);
    ``body_html`` is what the importer rendered from it, and is sanitized here,
    so that what a page shows always went through the same cleaner. Unlike
    ``save_article`` nothing is re-rendered from Markdown and no date is moved.
    ``redirects`` are old paths (a WordPress permalink) that now answer 301.
    """
    article.body_html = sanitize_html(body_html)
    article.changed_at = timezone.now()
    # Indexed once, with its tags, when this ends (or when the import's block does).
    with transaction.atomic(), indexing.deferred():
        _store(article)
        indexing.index_articles([article.pk])
        if tags is not None:
            article.tags.set(tags)
        paths = list(dict.fromkeys(redirects))
        if paths:
            # An old path that pointed elsewhere now points here.
            Redirect.objects.filter(old_path__in=paths).exclude(article=article).update(
                article=article
            )
            known = set(
                Redirect.objects.filter(old_path__in=paths).values_list("old_path", flat=True)
            )
            Redirect.objects.bulk_create(
                [Redirect(old_path=p, article=article) for p in paths if p not in known]
            )
        # auto_now_add / auto_now would overwrite restored times on save.
        kept = {k: v for k, v in (("created_at", created_at), ("updated_at", updated_at)) if v}
        if kept:
            Article.objects.filter(pk=article.pk).update(**kept)
            for name, value in kept.items():
                setattr(article, name, value)
    return article
