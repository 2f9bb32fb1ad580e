"""Building the demo site through the same actions the site itself uses.

Articles go through ``newsroom.actions`` and every comment through
``discussion.actions.post_comment``, so the demo's counts, rendered HTML,
threads and moderation reasons are exactly what real use would produce. Only
the comments' times are moved afterwards, from "all just now" to a plausible
spread after each article appeared.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from broadsheet.demo import articles as content
from broadsheet.demo import picture
from broadsheet.demo.crowd import crowd
from broadsheet.demo.discussions import DISCUSSIONS, Talk
from broadsheet.demo.history import TURNED_AWAY
from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.models import Comment
from broadsheet.discussion.policy import Submission
from broadsheet.discussion.quoting import quote_markdown
from broadsheet.media import actions as media_actions
from broadsheet.media.images import prepare
from broadsheet.media.models import Image
from broadsheet.moderation import actions as moderation_actions
from broadsheet.moderation import learned
from broadsheet.moderation.models import ModerationSettings
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, Author, Section, SiteSettings, Tag

# Every demo article's origin starts with this: it marks the demo as loaded and
# tells --reset what to delete.
ORIGIN = "demo:"
EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "broadsheet-demo"
# The demo's account has this address; an `editor` with another is the site's own.
EDITOR_EMAIL = "editor@broadsheet.example"
BUSY_COMMENTS = 500

Status = Comment.Status


@dataclass
class Loaded:
    """What ``load`` created, for the command's summary."""

    site_name: str = ""
    sections: int = 0
    tags: int = 0
    authors: int = 0
    articles: Counter[str] = field(default_factory=Counter)
    comments: Counter[str] = field(default_factory=Counter)
    busy_article: Article | None = None


@dataclass
class _Discussion:
    """One article's comments to post: in tree order, each with its parent's index."""

    article: Article
    plan: list[tuple[Talk, int | None]]
    posted: dict[int, Comment] = field(default_factory=dict)


def is_loaded() -> bool:
    return Article.objects.filter(origin__startswith=ORIGIN).exists()


def other_articles() -> int:
    """How many articles the site has that are not part of the demo."""
    return Article.objects.exclude(origin__startswith=ORIGIN).count()


def taken_addresses() -> list[str]:
    """The addresses of the site's own articles that the demo's would take (the demo
    cannot be loaded beside them: an article's slug is its address)."""
    slugs = [spec.slug for spec in content.ARTICLES]
    own = Article.objects.exclude(origin__startswith=ORIGIN).filter(slug__in=slugs)
    return [article.get_absolute_url() for article in own.order_by("slug")]


def unload() -> int:
    """Delete the demo's articles (their comments go with them) and the sections, tags
    and bylines it made that nothing else uses. The editor account stays.

    Returns the number of articles deleted.
    """
    with transaction.atomic():
        _, deleted = Article.objects.filter(origin__startswith=ORIGIN).delete()
        unused = {"articles__isnull": True}
        Section.objects.filter(slug__in=[s.slug for s in content.SECTIONS], **unused).delete()
        Tag.objects.filter(slug__in=list(content.TAGS), **unused).delete()
        Author.objects.filter(slug__in=[a.slug for a in content.AUTHORS], **unused).delete()
        for image in Image.objects.filter(credit=picture.CREDIT):
            if not media_actions.uses(image):
                media_actions.delete_image(image)
    return deleted.get(Article._meta.label, 0)


def load(*, now: datetime | None = None) -> Loaded:
    """Create the demo site. Raises CommentRefused or RateLimited if the moderation
    policy will not take a demo comment at all."""
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    rng = random.Random(20)
    with transaction.atomic():
        # A site with articles of its own (`demo --force`) keeps its name, its policies
        # and its sections, tags and bylines of the demo's addresses as they are.
        own_site = other_articles() > 0
        keep = "get_or_create" if own_site else "update_or_create"
        editor = _editor()
        site, policy = _site_settings(own_site=own_site)
        sections = {
            spec.slug: getattr(Section.objects, keep)(
                slug=spec.slug,
                defaults={"name": spec.name, "description": spec.description, "position": i},
            )[0]
            for i, spec in enumerate(content.SECTIONS)
        }
        tags = {
            slug: getattr(Tag.objects, keep)(slug=slug, defaults={"name": name})[0]
            for slug, name in content.TAGS.items()
        }
        authors = {spec.slug: _author(spec, editor, keep=keep) for spec in content.AUTHORS}
        lead = _lead_image(editor)
        articles = {
            spec.slug: _article(spec, editor=editor, now=now, sections=sections, tags=tags,
                                authors=authors,
                                lead=lead if spec.slug == content.BUSY_ARTICLE else None)
            for spec in content.ARTICLES
        }  # fmt: skip

        discussions = [
            _Discussion(articles[slug], _flatten(talks)) for slug, talks in DISCUSSIONS.items()
        ]
        busy = articles[content.BUSY_ARTICLE]
        discussions.append(_Discussion(busy, _flatten(crowd(BUSY_COMMENTS))))
        _post_published(discussions, editor=editor)
        _turn_away(list(articles.values()), editor=editor, now=now, rng=rng)
        # The filter learns the site's history: every comment published, and
        # every one the moderators turned away.
        learned.store(learned.from_decisions())
        _post_held(discussions, editor=editor, own_site=own_site)
        _spread_over_time(discussions, now=now, rng=rng)
        _score_history()
        for discussion in discussions:
            for i, (talk, _parent) in enumerate(discussion.plan):
                if talk.featured:
                    moderation_actions.feature(discussion.posted[i], actor=editor)

        for spec in content.ARTICLES:
            if spec.closes_comments:
                newsroom_actions.set_comments_open(articles[spec.slug], False, actor=editor)
        if site.comment_policy != policy:
            site.comment_policy = policy
            site.save(update_fields=["comment_policy"])
        return _summary(site, busy)


def _editor():
    user, created = get_user_model().objects.get_or_create(username=EDITOR_USERNAME)
    if not created and user.email != EDITOR_EMAIL:
        # The site's own account of that name (`demo --force`): the demo posts as it and
        # changes nothing of it, least of all its password, which the demo prints.
        return user
    user.first_name, user.last_name = "Nell", "Okafor"
    user.email = EDITOR_EMAIL
    user.is_active = user.is_staff = user.is_superuser = True
    user.set_password(EDITOR_PASSWORD)
    user.save()
    return user


def _site_settings(*, own_site: bool) -> tuple[SiteSettings, str]:
    """The settings the demo is loaded under, and the comment policy to leave: the
    demo's comments are published as they are posted, whatever a site's own policy."""
    site = SiteSettings.load()
    policy = site.comment_policy if own_site else SiteSettings.CommentPolicy.PUBLISH
    if not own_site:
        site.site_name = content.SITE_NAME
        site.tagline = content.TAGLINE
    site.comment_policy = SiteSettings.CommentPolicy.PUBLISH
    site.save()
    return site, policy


def _author(spec: content.AuthorText, editor, *, keep: str) -> Author:
    user = None
    # The demo editor's login gets this byline unless it already has one of its own.
    if (
        spec.is_editor
        and editor.email == EDITOR_EMAIL
        and not Author.objects.filter(user=editor).exclude(slug=spec.slug).exists()
    ):
        user = editor
    author, _ = getattr(Author.objects, keep)(
        slug=spec.slug, defaults={"name": spec.name, "bio": spec.bio, "user": user}
    )
    return author


def _article(
    spec: content.ArticleText,
    *,
    editor,
    now: datetime,
    sections: dict[str, Section],
    tags: dict[str, Tag],
    authors: dict[str, Author],
    lead: Image | None = None,
) -> Article:
    article = Article(
        lead_image=lead,
        title=spec.title,
        slug=spec.slug,
        summary=spec.summary,
        body=spec.body,
        author=authors[spec.author],
        section=sections[spec.section],
        source_name=spec.source_name,
        source_url=spec.source_url,
        origin=ORIGIN + spec.slug,
    )
    if spec.state == "draft":
        article.status = Article.Status.DRAFT
        newsroom_actions.save_article(article, actor=editor)
    else:
        # A time ahead of now schedules the article; it appears by itself then.
        newsroom_actions.publish(article, actor=editor, at=now - timedelta(hours=spec.age_hours))
    article.tags.set([tags[slug] for slug in spec.tags])
    return article


def _lead_image(editor) -> Image:
    """The busiest story's lead image, drawn, and kept in the library as an upload is."""
    data = picture.quay_street()
    return media_actions.add_image(
        prepare(io.BytesIO(data), len(data)),
        alt_text=picture.ALT_TEXT,
        caption=picture.CAPTION,
        credit=picture.CREDIT,
        actor=editor,
    )


def _flatten(talks: list[Talk]) -> list[tuple[Talk, int | None]]:
    """Comments in the order they can be posted: every parent before its replies."""
    plan: list[tuple[Talk, int | None]] = []
    stack: list[tuple[Talk, int | None]] = [(talk, None) for talk in reversed(talks)]
    while stack:
        talk, parent = stack.pop()
        if (talk.held or talk.spam) and talk.replies:
            raise ValueError(f"{talk.name}: nobody can reply to a comment readers cannot see")
        plan.append((talk, parent))
        stack.extend((reply, len(plan) - 1) for reply in reversed(talk.replies))
    return plan


def _post_published(discussions: list[_Discussion], *, editor) -> None:
    for discussion in discussions:
        for i, (talk, parent) in enumerate(discussion.plan):
            if not talk.held:
                discussion.posted[i] = _post(discussion, talk, parent, editor=editor)


def _post_held(discussions: list[_Discussion], *, editor, own_site: bool) -> None:
    # Held comments are posted the way they would be on a real site: by newcomers
    # while the site held first comments for review, so the queue shows that reason
    # (and the filter's, for the advert), after the filter has learned the site's
    # history, so each has its score.
    rules = ModerationSettings.load()
    # A site of its own keeps its choice; the demo's own site holds them no longer.
    after = rules.hold_first_comment if own_site else False
    rules.hold_first_comment = True
    rules.save(update_fields=["hold_first_comment"])
    for discussion in discussions:
        for i, (talk, parent) in enumerate(discussion.plan):
            if talk.held:
                discussion.posted[i] = _post(discussion, talk, parent, editor=editor)
    rules.hold_first_comment = after
    rules.save(update_fields=["hold_first_comment"])


def _post(discussion: _Discussion, talk: Talk, parent: int | None, *, editor) -> Comment:
    parent_comment = discussion.posted[parent] if parent is not None else None
    body = talk.body
    if talk.quote and parent_comment is not None:
        passage = talk.quote if isinstance(talk.quote, str) else None
        body = f"{quote_markdown(parent_comment, passage)}\n\n{body}"
    posted = discussion_actions.post_comment(
        Submission(
            article=discussion.article,
            body=body,
            author_name=talk.name,
            author_email=talk.email,
            author_url=talk.url,
            parent=parent_comment,
            user=editor if talk.staff else None,
            # Loaded, not typed: the checks for people at a keyboard (posting
            # speed, rate limits) have nothing to judge.
            channel="import",
            elapsed_seconds=None,
            honeypot=talk.url if talk.spam else "",
        )
    )
    comment = posted.comment
    if talk.edited:
        comment = discussion_actions.edit_comment(
            comment, body.replace(talk.body, talk.edited), token=posted.edit_token
        )
    wanted = Status.SPAM if talk.spam else Status.PENDING if talk.held else Status.APPROVED
    if comment.status != wanted:
        # The policy may be stricter than the demo expects: reloading within the
        # duplicate-text window, a check added later. The demo still shows each
        # state it is meant to show; no moderator acted, so there is no actor.
        discussion_actions.change_status(comment, wanted, actor=None)
    return comment


def _turn_away(articles: list[Article], *, editor, now: datetime, rng: random.Random) -> None:
    """Post the comments the moderators turned away, and turn them away."""
    open_articles = [
        a
        for a in articles
        if a.status == Article.Status.PUBLISHED
        and a.published_at is not None
        and a.published_at < now - timedelta(days=2)
    ]
    decided: dict[str, list[Comment]] = {}
    for turned in TURNED_AWAY:
        article = rng.choice(open_articles)
        comment = discussion_actions.post_comment(
            Submission(
                article=article,
                body=turned.body,
                author_name=turned.name,
                author_email=turned.email,
                author_url=turned.url,
                channel="import",
                elapsed_seconds=None,
            )
        ).comment
        decided.setdefault(turned.verdict, []).append(comment)
        # Written some days ago, before the comments on the page.
        assert article.published_at is not None
        posted = article.published_at + (now - article.published_at) * rng.uniform(0.1, 0.6)
        # Held for a moderator, as each of them was until decided (posted through the
        # import channel, which publishes): the audit log says "pending → spam".
        comment.status = Comment.Status.PENDING
        Comment.objects.filter(pk=comment.pk).update(
            created_at=posted, thread_key=posted, status=comment.status
        )
    # Decided now, by the editor, as the audit log says (it is never rewritten).
    for verdict, comments in decided.items():
        moderation_actions.moderate_many(comments, verdict, actor=editor)


def _score_history() -> None:
    """Give the history's comments the score each would have had when it was posted.

    A site that ran Broadsheet from its first comment has a score on every one,
    from the filter as it was then, having learned each decision before it. The
    demo's history is loaded at once, so it is replayed in date order: each
    comment is scored, then its decision learned (none until both kinds have
    been seen, as on a new site). The moderators' *Filter* page then has a
    history to show. The site's own filter is the one trained on all of it.
    """
    history = list(
        Comment.objects.filter(article__origin__startswith=ORIGIN, score__isnull=True)
        .filter(status__in=[Status.APPROVED, Status.REJECTED, Status.SPAM])
        .select_related("article")
        .order_by("created_at", "id")
    )
    replay = learned.SpamFilter()
    for comment, item in zip(history, learned.texts_of(history), strict=True):
        comment.score = replay.score(item) if replay.can_score else None
        label = learned.label_for_status(comment.status)
        assert label is not None
        replay.learn([item], [label])
    Comment.objects.bulk_update(history, ["score"], batch_size=500)


def _spread_over_time(discussions: list[_Discussion], *, now: datetime, rng: random.Random):
    """Move comments from "just now" to a spread after their article appeared.

    Replies come after their parents, and every comment's thread_key stays its
    thread's first comment's time, which is what paging orders threads by.
    """
    changed: list[Comment] = []
    for discussion in discussions:
        published = discussion.article.published_at
        assert published is not None
        start = published + timedelta(minutes=4)
        end = min(now - timedelta(minutes=3), published + timedelta(days=2))
        plan = discussion.plan
        times: dict[int, datetime] = {}
        roots = [i for i, (talk, parent) in enumerate(plan) if parent is None]
        # Most comments come early, while the article is new.
        spread = sorted(rng.random() ** 1.5 * 0.8 for _ in roots)
        for i, offset in zip(roots, spread, strict=True):
            times[i] = start + (end - start) * offset
        for i, (talk, parent) in enumerate(plan):
            if parent is not None:
                base = times[parent]
                delay = min((end - base) * rng.uniform(0.02, 0.2), timedelta(hours=6))
                times[i] = base + delay
            if talk.held or talk.spam:
                # Waiting for a moderator now, so recent (but after what it answers).
                recent = now - timedelta(minutes=rng.uniform(5, 240))
                earliest = times[parent] + timedelta(minutes=1) if parent is not None else start
                times[i] = max(recent, earliest)
        root_of: dict[int, int] = {}
        for i, (_, parent) in enumerate(plan):
            root_of[i] = i if parent is None else root_of[parent]
        for i, comment in discussion.posted.items():
            comment.created_at = comment.status_changed_at = times[i]
            comment.thread_key = times[root_of[i]]
            if comment.edited_at is not None:
                comment.edited_at = times[i] + timedelta(seconds=rng.uniform(60, 600))
            changed.append(comment)
    Comment.objects.bulk_update(
        changed, ["created_at", "thread_key", "status_changed_at", "edited_at"], batch_size=250
    )


def _summary(site: SiteSettings, busy: Article) -> Loaded:
    busy.refresh_from_db(fields=["comment_count", "changed_at"])
    demo_articles = Article.objects.filter(origin__startswith=ORIGIN)
    comments = Comment.objects.filter(article__in=demo_articles)
    return Loaded(
        site_name=site.site_name,
        sections=Section.objects.filter(articles__in=demo_articles).distinct().count(),
        tags=Tag.objects.filter(articles__in=demo_articles).distinct().count(),
        authors=Author.objects.filter(articles__in=demo_articles).distinct().count(),
        articles=Counter(
            dict(demo_articles.values_list("status").annotate(n=Count("id")).order_by())
        ),
        comments=Counter(dict(comments.values_list("status").annotate(n=Count("id")).order_by())),
        busy_article=busy,
    )
