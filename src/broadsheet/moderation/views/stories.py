"""A story's comments, as a moderator sees them: open or closed, held or not, and how
many wait; closed, opened or held from here without editing the story."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from broadsheet.discussion.models import Comment
from broadsheet.moderation.apps import MODERATE_STORY
from broadsheet.moderation.models import AuditEntry, Report
from broadsheet.moderation.views.decorators import moderator_required, needs
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article

# The latest changes to the story's comments shown on its page.
CHANGES_SHOWN = 10


class DiscussionForm(forms.Form):
    comments_open = forms.TypedChoiceField(
        label=_("Comments"),
        choices=[("1", _("Open: readers may comment")), ("0", _("Closed: no new comments"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    comment_policy = forms.ChoiceField(
        label=_("New comments"),
        choices=Article.CommentPolicy.choices,
        widget=forms.RadioSelect,
        help_text=_("Held comments wait in the queue until a moderator approves them."),
    )


@moderator_required
@require_http_methods(["GET", "POST"])
@needs(MODERATE_STORY)
def story(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    initial = {
        "comments_open": "1" if article.comments_open else "0",
        "comment_policy": article.comment_policy,
    }
    form = DiscussionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        before = (article.comments_open, article.comment_policy)
        newsroom_actions.set_discussion(article, actor=request.user, **form.cleaned_data)
        if (article.comments_open, article.comment_policy) == before:
            messages.info(request, gettext("Nothing changed."))
        else:
            messages.success(
                request,
                gettext("Saved the comment settings of “%(title)s”.") % {"title": article.title},
            )
        return redirect("moderation:story", pk=article.pk)
    counts = dict(
        Comment.objects.filter(article=article)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reported = (
        Report.objects.filter(comment__article=article, status=Report.Status.OPEN)
        .values("comment")
        .distinct()
        .count()
    )
    changes = (
        AuditEntry.objects.filter(article=article)
        .select_related("actor")
        .order_by("-created_at", "-id")[:CHANGES_SHOWN]
    )
    return render(
        request,
        "moderation/story.html",
        {
            "article": article,
            "form": form,
            "counts": {
                "published": counts.get(Comment.Status.APPROVED, 0),
                "waiting": counts.get(Comment.Status.PENDING, 0),
                "spam": counts.get(Comment.Status.SPAM, 0),
                "reported": reported,
            },
            "changes": changes,
        },
        status=400 if form.errors else 200,
    )
