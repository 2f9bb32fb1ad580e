from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from broadsheet.newsroom import actions, indexing
from broadsheet.newsroom.conflicts import Conflict
from broadsheet.newsroom.forms import NEW_NOTE, NOTES_HELP, ArticleForm
from broadsheet.newsroom.middleware import use_site_language
from broadsheet.newsroom.models import (
    Article,
    Author,
    DeletedImport,
    Section,
    SingletonModel,
    SiteSettings,
    Tag,
)
from broadsheet.widgets import LABELLED_DATETIMES

admin.site.site_header = "Broadsheet"
admin.site.site_title = "Broadsheet"
admin.site.index_title = _("Newsroom")
admin.site.site_url = "/"


class ComposedSlugField(forms.SlugField):
    """A slug as the editor typed it or the browser wrote it from the title, its letters
    composed (NFKC, as ``slugify`` composes them) before it is checked: "Cafe" and a
    combining acute accent, as some keyboards and pasted text give it, is the address
    "café", as "Café" is, where it was refused as not a slug. A value that is a slug as
    it stands is kept: an existing article's "mc²" or half-width kana, typed before, would
    move to another address when it is saved for another reason, and "½" would be
    refused (it composes to "1⁄2")."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value) or ""
        if validators.slug_unicode_re.fullmatch(value):
            return value
        return unicodedata.normalize("NFKC", value)


class SlugAdmin(admin.ModelAdmin):
    """An admin whose slug is written from a title or name: composed alike in the
    browser (slugs.js, around Django's URLify) and on the server."""

    formfield_overrides = {models.SlugField: {"form_class": ComposedSlugField}}

    class Media:
        js = ["admin/js/urlify.js", "broadsheet/slugs.js"]


class NotedDeleteAdmin(SlugAdmin):
    """An admin whose delete pages, the one for a single row and the one of the action
    "Delete selected ...", both get ``deleting_context``: what the page's template says
    of what else the deletion changes, beside Django's summary."""

    def deleting_context(self, request: HttpRequest, queryset: QuerySet) -> dict[str, Any]:
        return {}

    def render_delete_form(self, request: HttpRequest, context: dict[str, Any]):
        chosen = self.model._default_manager.filter(pk=context["object"].pk)
        context.update(self.deleting_context(request, chosen))
        return super().render_delete_form(request, context)

    @admin.action(
        permissions=["delete"],
        description=django_delete_selected.short_description,  # type: ignore[attr-defined]
    )
    def delete_selected(self, request: HttpRequest, queryset: QuerySet):
        # Django's own action, which draws its page from a context no hook reaches; its
        # answer is drawn lazily, so the context can still be added to.
        answer = django_delete_selected(self, request, queryset)
        if isinstance(answer, TemplateResponse) and answer.context_data is not None:
            answer.context_data.update(self.deleting_context(request, queryset))
        return answer


class StateFilter(admin.SimpleListFilter):
    """Status as readers meet it: a scheduled article whose time has come is published,
    though its stored status stays *Scheduled* (no job flips it; see ``live``)."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(status, Article.Status(status).label) for status in Article.Status.values]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        live = Article.objects.live().values("pk")
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.exclude(status=Article.Status.DRAFT).exclude(pk__in=live)
        if self.value() == "published":
            return queryset.filter(pk__in=live)
        return None


def _only_the_conflict(form: Any, errors: list) -> bool:
    """Whether the refused save's only error is the edit conflict: every field valid,
    every inline too (``errors`` is the admin's list of them all)."""
    one_form_error = list(form.errors) == [NON_FIELD_ERRORS] and len(form.non_field_errors()) == 1
    return one_form_error and len(errors) == 1


@admin.register(Article)
class ArticleAdmin(NotedDeleteAdmin):
    # Seven columns that fit beside the menu and the filters at 1280 pixels: the page's
    # link rides with its status, the comments' count with whether they are open, and
    # long dates and names wrap (admin.css, on every admin page).
    list_display = ["title", "state", "published_at", "section", "author", "comments"]
    # Byline and section are nullable, which a bare select_related() skips: name them,
    # or each row of the list costs two queries.
    list_select_related = ["author", "section"]
    list_filter = [
        StateFilter,
        "listed",
        "section",
        "comments_open",
        "comment_policy",
        "author",
        "tags",
    ]
    search_fields = ["title", "summary", "body", "source_name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "section", "tags", "lead_image"]
    readonly_fields = ["preview", "comment_count"]
    actions = [
        "delete_selected", "publish_now", "make_draft", "close_comments", "open_comments",
        "hold_comments", "follow_site_policy",
    ]  # fmt: skip
    formfield_overrides = {
        **SlugAdmin.formfield_overrides,
        **LABELLED_DATETIMES,
        models.URLField: {"assume_scheme": "https"},
    }
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "lead_image", "body"]}),
        (_("Byline and source"), {"fields": ["author", "source_name", "source_url"]}),
        (_("Filing"), {"fields": ["section", "tags"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "listed",
                    "comments_open",
                    "comment_policy",
                    "comment_count",
                ]
            },
        ),
        (_("Preview"), {"fields": ["preview"], "classes": ["collapse"]}),
    ]

    form = ArticleForm

    def get_form(
        self, request: HttpRequest, obj: Article | None = None, change: bool = False, **kwargs: Any
    ):
        kwargs.setdefault("form", ArticleForm.for_article(obj))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Article | None = None):
        """The form's parts; after the body, a WordPress post's notes, a box for each
        (``ArticleForm.for_article``), for an editor who may change it."""
        fieldsets = super().get_fieldsets(request, obj)
        form = ArticleForm.for_article(obj)
        if not form.noted or not self.has_change_permission(request, obj):
            return fieldsets
        # Each note's box, with the tick box that removes it beside it; then a new one.
        names: list[Any] = [
            (box.name, f"remove_{box.name}")
            for box in sorted(form.boxes, key=lambda box: box.number)
        ]
        names.append(NEW_NOTE)
        # The admin draws a description as HTML: the marks it names are text.
        notes = (_("Notes"), {"fields": names, "description": escape(NOTES_HELP)})
        return [fieldsets[0], notes, *fieldsets[1:]]

    def get_urls(self) -> list[Any]:
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview, name="newsroom_article_preview_new"),
            path("<path:object_id>/preview/", preview, name="newsroom_article_preview"),
            *super().get_urls(),
        ]

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], add: bool = False,
        change: bool = False, form_url: str = "", obj: Article | None = None,
    ):  # fmt: skip
        form = context["adminform"].form
        if obj is not None and getattr(form, "conflict", None) is not None:
            context["conflict"] = self._who_saved(request, obj, form.conflict)
            if _only_the_conflict(form, context.get("errors", [])):
                # Django's banner would ask to correct an error below, and there is none:
                # the page says what happened instead (change_form.html).
                context["errors"] = []
                context["conflict_only"] = True
        # Where the form's "Preview changes" button sends it (submit_line.html).
        if obj is None:
            context["preview_url"] = reverse("admin:newsroom_article_preview_new")
        else:
            context["preview_url"] = reverse("admin:newsroom_article_preview", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _who_saved(self, request: HttpRequest, obj: Article, conflict: Conflict) -> Conflict:
        """``conflict`` with who saved the article since the form was loaded, as the
        admin's log says (no one, when it was closed from the moderation pages or
        imported)."""
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(obj.pk),
            action_flag=CHANGE,
        )
        if conflict.since is not None:
            entries = entries.filter(action_time__gt=conflict.since)
        # A form saved as it was loaded changes nothing (ArticleForm.changed_data) but is
        # logged all the same, its list of changes empty: that editor saved nothing.
        entries = entries.exclude(change_message="[]")
        entry = entries.select_related("user").order_by("-action_time").first()
        if entry is not None:
            conflict.by = entry.user
            conflict.by_you = entry.user_id == request.user.pk
        return conflict

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if getattr(request, "_saving_article", False):
            # Read and saved in the admin's one transaction, locked: two saves at once
            # are compared in turn, the later with what the first stored (conflicts).
            queryset = queryset.select_for_update(of=("self",))
        return queryset

    def preview_view(self, request: HttpRequest, object_id: str | None = None) -> HttpResponse:
        """The article's page as the form sent here would make it, in a tab of its own,
        nothing saved: as WordPress previews a post's changes, where the only preview
        was of the saved article, so an edit of a live story was live before it was seen.
        A form that cannot be saved says what to mend, as saving it would."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404
        allowed = (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        # Read before the form writes what was sent into the article.
        unsaved = "live" if obj is not None and obj.is_live else "draft"
        # Nothing is saved: what was saved meanwhile is no reason to refuse a preview.
        sent = request.POST.copy()
        sent.pop("loaded", None)
        form = self.get_form(request, obj, change=obj is not None)(
            sent, request.FILES, instance=obj
        )
        if not form.is_valid():
            errors = [
                (capfirst(form.fields[name].label or name) if name in form.fields else "", said)
                for name, said in form.errors.items()
            ]
            return TemplateResponse(
                request, "newsroom/preview.html", {"errors": errors, "article": form.instance},
                status=400,
            )  # fmt: skip
        article = form.instance
        article.body_html = actions.render_body(article)
        return TemplateResponse(
            request, "newsroom/preview.html",
            {"article": article, "tags": form.cleaned_data.get("tags") or [], "unsaved": unsaved},
        )  # fmt: skip

    @admin.display(description=_("Status"), ordering="status")
    def state(self, obj: Article) -> str:
        """Its status as readers meet it, and a link to its page (a preview until live)."""
        if obj.status == Article.Status.DRAFT:
            status = Article.Status.DRAFT
        else:
            status = Article.Status.PUBLISHED if obj.is_live else Article.Status.SCHEDULED
        label = gettext("view") if obj.is_live else gettext("preview")
        # The space after the break keeps the words apart on a phone, where the list's
        # cards read a cell as one line (admin.css).
        page = obj.get_absolute_url()
        return format_html('{}<br> <a href="{}">{}</a>', status.label, page, label)

    @admin.display(description=_("Comments"), ordering="comment_count")
    def comments(self, obj: Article) -> str:
        """How many readers can see, and whether more may come."""
        said = gettext("open") if obj.comments_open else gettext("closed")
        return format_html("{}<br> {}", obj.comment_count, said)

    @admin.display(description=_("Preview of the saved body"))
    def preview(self, obj: Article) -> str:
        # body_html was sanitized by nh3 when the article was saved.
        return format_html(
            '<div class="article-preview" dir="auto">{}</div>', mark_safe(obj.body_html)
        )

    # The boxes an editor writes words in.
    written = ("title", "slug", "summary", "body", "source_name")

    def formfield_for_dbfield(self, db_field, request: HttpRequest, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.written and field is not None:
            # Each takes its direction from its text, not from the admin's language: English
            # Markdown in a Hebrew admin otherwise reads "What changes ##", from the right.
            field.widget.attrs["dir"] = "auto"
        if db_field.name == "published_at" and field is not None:
            # The form's times are the site's, not the editor's computer's.
            zone = gettext("In the site's time zone, %(zone)s (BROADSHEET_TIME_ZONE).") % {
                "zone": timezone.get_current_timezone_name()
            }
            field.help_text = f"{db_field.help_text} {zone}"
        return field

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new article is by the signed-in editor's byline, when they have one."""
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        if "author" not in initial and request.user.is_authenticated:
            own = Author.objects.filter(user=request.user).values_list("pk", flat=True).first()
            if own is not None:
                initial["author"] = own
        return initial

    def get_deleted_objects(self, objs, request: HttpRequest):
        """What deleting ``objs`` takes with it, as the confirmation page lists it: each
        article, and in the summary the number of their comments, not each comment (a
        story may have thousands); with several articles, each says how many are its
        own. No permission on comments is asked for: an editor may delete a story, and
        its comments go with it (``actions.delete_article``), where Django's own list
        refused, since comments are never deleted one by one from the admin."""
        articles = Article.objects.filter(pk__in=[a.pk for a in objs]).annotate(
            discussion=models.Count("comments")
        )
        several = len(articles) > 1
        listed: list[Any] = []
        comments = 0
        for article in articles.order_by("pk"):
            listed.append(
                format_html(
                    '{}: <a href="{}">{}</a>',
                    capfirst(Article._meta.verbose_name),
                    reverse("admin:newsroom_article_change", args=[article.pk]),
                    article,
                )
            )
            if several and article.discussion:
                # The summary counts them all; one article's line would say it again.
                listed.append(
                    [
                        ngettext(
                            "%(count)s comment of its own",
                            "%(count)s comments of its own",
                            article.discussion,
                        )
                        % {"count": article.discussion}
                    ]
                )
            comments += article.discussion
        counted = {Article._meta.verbose_name_plural: len(articles)}
        if comments:
            counted[gettext("comments")] = comments
        return listed, counted, set(), []

    def deleting_context(self, request: HttpRequest, queryset: QuerySet) -> dict[str, Any]:
        # Its comments go with it: the page says so once (the summary counts them), and
        # what to do instead.
        return {"discussion": queryset.filter(comments__isnull=False).exists()}

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        gone = actions.delete_article(obj, actor=request.user)
        request._comments_deleted = gone  # type: ignore[attr-defined]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        gone = sum(actions.delete_article(article, actor=request.user) for article in queryset)
        request._comments_deleted = gone  # type: ignore[attr-defined]
        request._articles_deleted = len(queryset)  # type: ignore[attr-defined]

    def save_model(self, request, obj, form, change) -> None:
        if change and not form.has_changed():
            # Saved as loaded: nothing to render, index or redraw, and no new ETag.
            request._unchanged = True  # type: ignore[attr-defined]
            if obj.status == Article.Status.SCHEDULED and not obj.is_live:
                request._goes_live_at = obj.published_at  # type: ignore[attr-defined]
            return
        # Whether readers saw it before this save: the form's initial values are the
        # article's as it was loaded.
        shown = Article(
            status=form.initial.get("status"), published_at=form.initial.get("published_at")
        )
        was_live = change and shown.is_live
        actions.save_article(obj, actor=request.user)
        if obj.status == Article.Status.SCHEDULED and not obj.is_live:
            request._goes_live_at = obj.published_at  # type: ignore[attr-defined]
        elif obj.is_live and not was_live:
            request._went_live = obj.get_absolute_url()  # type: ignore[attr-defined]
        elif was_live and obj.status == Article.Status.DRAFT:
            request._taken_off = True  # type: ignore[attr-defined]

    def message_user(
        self, request: HttpRequest, message: Any, level: int | str = messages.INFO, *args: Any,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        """The saved message of an article says when readers see it: from now (with a
        link to it), no longer, or from its scheduled time, as WordPress says "Post
        published. View post", where it said only that the article was changed. The
        deleted message says how many comments went with the articles."""
        if getattr(request, "_unchanged", False) and level == messages.SUCCESS:
            message = gettext("Nothing was changed: the article is as it was.")
        gone = getattr(request, "_comments_deleted", None)
        if gone:
            if getattr(request, "_articles_deleted", 1) == 1:
                said = ngettext(
                    "%(count)s comment was deleted with it.",
                    "%(count)s comments were deleted with it.",
                    gone,
                )
            else:
                said = ngettext(
                    "%(count)s comment was deleted with them.",
                    "%(count)s comments were deleted with them.",
                    gone,
                )
            message = format_html("{} {}", message, said % {"count": gone})
        when = getattr(request, "_goes_live_at", None)
        if when is not None:
            local = timezone.localtime(when)
            message = format_html(
                "{} {}",
                message,
                gettext("It goes live on %(when)s (%(zone)s).")
                % {
                    "when": date_format(local, "DATETIME_FORMAT"),
                    "zone": timezone.get_current_timezone_name(),
                },
            )
        if page := getattr(request, "_went_live", None):
            message = format_html(
                '{} {} <a href="{}">{}</a>',
                message, gettext("It is live: readers see it now."), page, gettext("View it"),
            )  # fmt: skip
        if getattr(request, "_taken_off", False):
            message = format_html(
                "{} {}", message, gettext("It is a draft again: readers no longer see it.")
            )
        super().message_user(request, message, level, *args, **kwargs)

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any):
        if request.method == "POST":
            request._saving_article = True  # type: ignore[attr-defined]
        # The article is saved, then its tags: indexed for search once, when both are,
        # where each step indexed it again.
        with indexing.deferred():
            return super().changeform_view(request, *args, **kwargs)

    @admin.action(description=_("Publish now (or at their scheduled time)"), permissions=["change"])
    def publish_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            actions.publish,
            ngettext_lazy("Published %(count)s article.", "Published %(count)s articles.", "count"),
        )

    @admin.action(description=_("Return to draft"), permissions=["change"])
    def make_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            actions.unpublish,
            ngettext_lazy(
                "Returned %(count)s article to draft.",
                "Returned %(count)s articles to draft.",
                "count",
            ),
        )

    @admin.action(description=_("Close comments"), permissions=["change"])
    def close_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        change = partial(actions.set_comments_open, is_open=False)
        self._each(
            request,
            queryset,
            change,
            ngettext_lazy(
                "Closed comments on %(count)s article.",
                "Closed comments on %(count)s articles.",
                "count",
            ),
        )

    @admin.action(description=_("Open comments"), permissions=["change"])
    def open_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        change = partial(actions.set_comments_open, is_open=True)
        self._each(
            request,
            queryset,
            change,
            ngettext_lazy(
                "Opened comments on %(count)s article, except where the site closes them some "
                "days after publication (Site settings).",
                "Opened comments on %(count)s articles, except where the site closes them some "
                "days after publication (Site settings).",
                "count",
            ),
        )

    @admin.action(description=_("Hold every comment on these stories"), permissions=["change"])
    def hold_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        change = partial(actions.set_comment_policy, policy=Article.CommentPolicy.HOLD)
        self._each(
            request,
            queryset,
            change,
            ngettext_lazy(
                "Every new comment on %(count)s article waits for a moderator, except staff's.",
                "Every new comment on %(count)s articles waits for a moderator, except staff's.",
                "count",
            ),
        )

    @admin.action(description=_("Back to the site's policy"), permissions=["change"])
    def follow_site_policy(self, request: HttpRequest, queryset: QuerySet) -> None:
        change = partial(actions.set_comment_policy, policy=Article.CommentPolicy.SITE)
        if SiteSettings.load().comment_policy == SiteSettings.CommentPolicy.HOLD:
            said = ngettext_lazy(
                "Comments on %(count)s article follow the site's policy again (it holds "
                "every comment).",
                "Comments on %(count)s articles follow the site's policy again (it holds "
                "every comment).",
                "count",
            )
        else:
            said = ngettext_lazy(
                "Comments on %(count)s article follow the site's policy again (it publishes "
                "comments at once).",
                "Comments on %(count)s articles follow the site's policy again (it publishes "
                "comments at once).",
                "count",
            )
        self._each(request, queryset, change, said)

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        change: Callable[..., Article],
        said: Any,
    ) -> None:
        """``change`` made to every chosen article by the editor, then ``said`` (an
        ``ngettext_lazy`` counting articles as ``count``) with their number."""
        for article in queryset:
            change(article, actor=request.user)
        messages.success(request, said % {"count": queryset.count()})


@admin.register(Section)
class SectionAdmin(NotedDeleteAdmin):
    list_display = ["name", "slug", "parent", "position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["delete_selected"]

    def deleting_context(self, request: HttpRequest, queryset: QuerySet) -> dict[str, Any]:
        # Its articles are not deleted with it (they lose their section), and its
        # subsections become top-level ones, in the menu: say so.
        return {
            "filed_articles": Article.objects.filter(section__in=queryset).count(),
            "subsections": Section.objects.filter(parent__in=queryset)
            .exclude(pk__in=queryset)
            .count(),
        }


@admin.register(Tag)
class TagAdmin(SlugAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(NotedDeleteAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["delete_selected"]

    def deleting_context(self, request: HttpRequest, queryset: QuerySet) -> dict[str, Any]:
        # Its articles are not deleted with it (they lose their byline): say so.
        return {"bylined_articles": Article.objects.filter(author__in=queryset).count()}


class SiteSettingsForm(forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = "__all__"  # noqa: DJ007 (the admin shows every field, as without this form)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A form sent without it (written before the site had a language) keeps it.
        self.fields["language"].required = False

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language


@admin.register(DeletedImport)
class DeletedImportAdmin(admin.ModelAdmin):
    """Imported articles deleted here, which later imports leave out: deleting one of
    these lets the next import of its source bring the article back."""

    list_display = ["title", "origin", "deleted_at"]
    search_fields = ["title", "origin"]
    readonly_fields = ["title", "origin", "old_paths", "deleted_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class SingletonAdmin(admin.ModelAdmin):
    """The admin of a table of one row: its list is that row's form. Django's list
    would say "Select site settings to change" over one link and "1 site settings",
    and its save would go back there rather than to the form."""

    model: type[SingletonModel]
    # What saving the row says ("Site settings saved."), where Django's "The site
    # settings “Site settings” was changed successfully." names the one row twice.
    saved: Any = None

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponseRedirect:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        row = self.model.load()
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def message_user(
        self, request: HttpRequest, message: Any, level: int | str = messages.INFO, *args: Any,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        # One row, saved (no actions here): said in the request's language as it is
        # now (after a change of the site's language, the new one).
        if level == messages.SUCCESS and self.saved is not None:
            message = str(self.saved)
        super().message_user(request, message, level, *args, **kwargs)


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonAdmin):
    form = SiteSettingsForm
    saved = _("Site settings saved.")

    def save_model(self, request: HttpRequest, obj: SiteSettings, form, change: bool) -> None:
        """Saved with an audit entry saying what changed: holding every comment, or
        closing comments after some days, is a moderation decision for the whole site."""
        actions.save_site_settings(obj, actor=request.user)
        # The rest of this request (its "saved" notice) speaks the language just chosen,
        # as every request after it does.
        use_site_language(request, obj.language)
