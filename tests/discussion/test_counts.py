"""The count shown anywhere equals the comments a reader can see, after any sequence
of transitions."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.discussion.models import Comment
from broadsheet.discussion.threads import load_page
from broadsheet.moderation import actions as moderation
from broadsheet.newsroom.models import Article
from tests.conftest import make_article, post

VERBS = {
    "approve": moderation.approve,
    "reject": moderation.reject,
    "spam": moderation.mark_spam,
    "delete": moderation.delete,
    "restore": moderation.restore,
}

steps = st.lists(
    st.one_of(
        st.tuples(st.just("post"), st.integers(0, 30)),
        st.tuples(st.sampled_from(sorted(VERBS)), st.integers(0, 30)),
    ),
    min_size=1,
    max_size=25,
)


def _visible_on_pages(article: Article) -> int:
    seen, page = 0, 1
    while True:
        result = load_page(article, page=page, per_page=3)
        stack = list(result.nodes)
        while stack:
            node = stack.pop()
            seen += node.shown
            stack.extend(node.children)
        if not result.has_next:
            return seen
        page += 1


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=steps)
def test_count_equals_visible_comments_after_any_transitions(sequence, django_user_model):
    Comment.objects.all().delete()
    Article.objects.all().delete()
    article = make_article()
    moderator = django_user_model.objects.get_or_create(username="mod", is_staff=True)[0]
    comments: list[Comment] = []
    for verb, n in sequence:
        if verb == "post":
            parent = comments[n % len(comments)] if comments and n % 3 else None
            if parent is not None and parent.status != Comment.Status.APPROVED:
                parent = None
            comments.append(post(article, f"comment {len(comments)}", parent=parent))
        elif comments:
            VERBS[verb](comments[n % len(comments)], actor=moderator)
        stored = Article.objects.get(pk=article.pk).comment_count
        approved = Comment.objects.filter(article=article, status="approved").count()
        assert stored == approved
    assert Article.objects.get(pk=article.pk).comment_count == _visible_on_pages(article)
