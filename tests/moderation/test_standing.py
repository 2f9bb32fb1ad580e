"""Published comments the moderators let stand teach "publish", one for each "do not publish"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions, learned
from tests.conftest import post
from tests.moderation.conftest import HAM, SPAM, train_site_filter

pytestmark = pytest.mark.django_db
Status = Comment.Status

# What readers of a story about the number 11 bus say; and what the moderators took down.
ORDINARY = [
    "The 11 was late again this morning, twenty minutes at Mill Lane.",
    "Route 11 used to run every ten minutes before the timetable change.",
    "I take the 11 to work and the new stop is further from the hospital.",
    "Does the 11 still run on Sundays after the changes?",
    "The 11 driver waited for my mother, which was kind of him.",
    "If the 11 goes down Ferry Road it will be quicker for most of us.",
    "Stop 11b by the library has no shelter, which is miserable in rain.",
    "Has anyone timed the 11 since the roadworks started?",
]
LATER = [
    "Waited forty minutes for an 11 at the station tonight.",
    "The 11 is the only bus that reaches the estate after nine.",
    "My son takes the 11 to school; the new route adds ten minutes.",
    "Good to see the 11 getting the new electric buses first.",
]
REJECTED = [
    "The 11 drivers are all idiots and so is everyone who rides it.",
    "Anyone defending the 11 is a moron, simple as that.",
    "Route 11 is full of scum, avoid it.",
    "Shut up about the 11, nobody cares, losers.",
]


def up_for(comments: list[Comment], days: float) -> None:
    when = timezone.now() - timedelta(days=days)
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(created_at=when)


def score(article, text: str) -> float:
    learned.forget()
    spam_filter = learned.site_filter()
    assert spam_filter is not None
    item = learned.text_on_page(text, "", learned.article_paths(article.slug))
    return spam_filter.judge(item).score


def test_each_rejection_is_balanced_by_a_comment_left_standing(article, moderator):
    train_site_filter()
    standing = [post(article, text) for text in ORDINARY]
    up_for(standing, days=2)
    reported = post(article, "The 11 is fine, honestly, stop moaning.")
    actions.report(reported, reason="other", reporter_key="k")
    approved_by_hand = post(article, "The 11 timetable is on the council site.")
    actions.approve(approved_by_hand, actor=moderator)
    up_for([reported, approved_by_hand], days=2)
    post(article, "The 11 came on time today, a first.")  # up for a moment only
    before = learned.site_filter()
    assert before is not None
    published = before.published_examples

    taken_down = [post(article, text) for text in REJECTED]
    actions.moderate_many(taken_down, "reject", actor=moderator)

    after = learned.site_filter()
    assert after is not None
    # 4 comments left standing on the article were taught, the oldest first; the
    # reported one, the one a moderator approved and the one up for a moment are not.
    assert after.published_examples == published + len(REJECTED)
    assert after.standing_taken == {article.pk: standing[3].pk}
    # The next rejections take the next ones: none is taught twice, and the four left
    # run out after four more.
    for n in range(6):
        actions.reject(post(article, f"Route 11 people are idiots ({n})."), actor=moderator)
    again = learned.site_filter()
    assert again is not None
    assert again.standing_taken == {article.pk: standing[-1].pk}
    assert again.published_examples == published + len(ORDINARY)


def test_rejections_that_share_something_incidental_do_not_hold_every_comment_with_it(
    article, moderator
):
    # A site's filter as ``rebuild`` makes it: from every decided and published comment.
    for text in HAM:
        post(article, text)
    spam = [post(article, text) for text in SPAM]
    Comment.objects.filter(pk__in=[c.pk for c in spam]).update(status=Status.SPAM)
    up_for([post(article, text) for text in ORDINARY], days=3)
    learned.store(learned.from_decisions())
    # Then readers go on, and moderators take down four comments that mention the 11.
    up_for([post(article, text) for text in LATER], days=2)
    assert score(article, "The 11 was packed this evening.") < 0.5
    for text in REJECTED:
        actions.reject(post(article, text), actor=moderator)
    assert score(article, "The 11 was packed this evening.") < 0.5
    assert score(article, "Everyone on the 11 is an idiot.") > 0.5


def test_a_comment_taken_down_is_never_balanced_by_its_own_authors_comments(article, moderator):
    # A spammer leaves a bland comment with their site's address; it stands a day. A
    # reader's comment stands too. When the spammer's spam on the story is taken down,
    # the comment taught "publish" beside it must be the reader's: one of the spammer's
    # own would teach that their address is fine each time their spam is rejected.
    train_site_filter()
    site = "https://cheap-pills.example.ru/"
    planted = [
        post(article, "Nice article, thanks.", author_name="Pat", author_email="pat@spam.example",
             author_url=site, ip_address="203.0.113.9"),
        post(article, "Agreed, well said.", author_name="Pat B", author_email="pb@spam.example",
             ip_address="203.0.113.9"),
        post(article, "Good point.", author_name="Pat", author_email="pat@spam.example"),
    ]  # fmt: skip
    reader = post(article, ORDINARY[0], author_name="Sam", author_email="sam@example.org")
    up_for([*planted, reader], days=2)

    spam = post(
        article, "Cheap pills, no prescription", author_name="Pat",
        author_email="Pat@Spam.example", author_url=site, ip_address="203.0.113.9",
    )  # fmt: skip
    actions.reject(spam, actor=moderator)

    after = learned.site_filter()
    assert after is not None
    assert after.standing_taken == {article.pk: reader.pk}
