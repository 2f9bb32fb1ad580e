"""How verdicts combine into a decision: refusals, spam > hold > approve, trust, first comments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.discussion.policy import Submission, Verdict, get_policy
from broadsheet.moderation import actions
from broadsheet.moderation.checks import TRUST_SETTLES_AFTER
from broadsheet.moderation.models import WordRule
from broadsheet.newsroom.models import SiteSettings
from tests.conftest import post
from tests.moderation.conftest import train_site_filter

pytestmark = pytest.mark.django_db
Status = Comment.Status


def decide(article, body="Hello", **fields):
    fields.setdefault("author_name", "Reader")
    return get_policy().decide(Submission(article=article, body=body, **fields))


def test_a_clean_comment_is_approved_with_no_reasons(article):
    decision = decide(article)
    assert decision.status == Status.APPROVED
    assert decision.reasons == []


def test_spam_beats_hold(article):
    WordRule.objects.create(phrase="watches", list=WordRule.List.HOLD)
    decision = decide(article, "cheap watches", honeypot="filled")
    assert decision.status == Status.SPAM
    assert {r["check"] for r in decision.reasons} == {"honeypot", "word_lists"}


def test_a_refusal_stops_the_pipeline(article):
    article.comments_open = False
    article.save()
    decision = decide(article, honeypot="filled")
    assert decision.verdicts[-1] == Verdict(
        "comments_open", "refuse", "Comments are closed on this article."
    )
    assert all(v.check != "honeypot" for v in decision.verdicts)


def test_staff_skip_holds_but_not_refusals(article, moderator):
    WordRule.objects.create(phrase="watches", list=WordRule.List.HOLD)
    assert decide(article, "cheap watches", user=moderator).status == Status.APPROVED
    article.comments_open = False
    article.save()
    assert decide(article, "hello", user=moderator).verdicts[-1].action == "refuse"


def author(**extra):
    return {"author_name": "Jane", "author_email": "jane@example.org", **extra}


def settled(*comments: Comment) -> None:
    """Make ``comments`` a day and a minute old: old enough to count towards trust."""
    when = timezone.now() - TRUST_SETTLES_AFTER - timedelta(minutes=1)
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(created_at=when)


def learned_to_hold(rules) -> str:
    """Train the filter so that it holds (not files as spam) the text returned."""
    rules.learned_min_examples, rules.hold_threshold, rules.spam_threshold = 5, 0.5, 0.999999
    rules.save()
    train_site_filter()
    return "Subscribe to my channel http://sub.example.com for free gifts"


def test_commenter_with_enough_settled_approved_comments_and_none_rejected_is_trusted(
    article, rules
):
    rules.trust_after = 2
    rules.save()
    text = learned_to_hold(rules)
    settled(*[post(article, f"good point {n}", **author()) for n in range(2)])
    trusted = post(article, text, **author())
    assert trusted.status == Status.APPROVED
    assert {r["check"] for r in trusted.reasons} == {"learned_score", "trusted_commenter"}
    # Someone else with the same e-mail but another name is not trusted.
    impostor = post(article, text, author_name="Jan", author_email="jane@example.org")
    assert impostor.status == Status.PENDING


def test_comments_published_a_moment_ago_do_not_make_their_author_trusted(article, rules):
    rules.trust_after = 2
    rules.save()
    text = learned_to_hold(rules)
    for n in range(3):
        assert post(article, f"good point {n}", **author()).status == Status.APPROVED
    assert post(article, text, **author()).status == Status.PENDING


def test_trust_does_not_set_aside_the_sites_own_rules_or_signs_of_a_bot(article, rules):
    rules.trust_after = 1
    rules.save()
    settled(post(article, "good point", **author()))
    WordRule.objects.create(phrase="watches", list=WordRule.List.HOLD)
    WordRule.objects.create(phrase="casino", list=WordRule.List.BLOCK)
    held = post(article, "my watches stopped", **author())
    assert held.status == Status.PENDING
    assert {r["check"] for r in held.reasons} == {"word_lists", "trusted_commenter"}
    SiteSettings.objects.update(comment_policy=SiteSettings.CommentPolicy.HOLD)
    held = post(article, "one more", **author())
    assert held.status == Status.PENDING
    assert {r["check"] for r in held.reasons} == {"hold_all", "trusted_commenter"}
    SiteSettings.objects.update(comment_policy=SiteSettings.CommentPolicy.PUBLISH)
    # Filed as spam, each costs the author their trust; a spam verdict was theirs anyway.
    assert post(article, "hello again", honeypot="x", **author()).status == Status.SPAM
    assert post(article, "casino night", **author()).status == Status.SPAM


def test_one_rejected_comment_loses_trust(article, rules, moderator):
    rules.trust_after = 2
    rules.save()
    WordRule.objects.create(phrase="watches", list=WordRule.List.HOLD)
    comments = [post(article, f"good point {n}", **author()) for n in range(3)]
    actions.reject(comments[0], actor=moderator)
    assert post(article, "cheap watches", **author()).status == Status.PENDING


def test_trust_after_zero_trusts_nobody(article, rules):
    rules.trust_after = 0
    rules.save()
    WordRule.objects.create(phrase="watches", list=WordRule.List.HOLD)
    for n in range(5):
        post(article, f"good point {n}", **author())
    assert post(article, "watches", **author()).status == Status.PENDING


def test_first_comment_is_held_when_the_site_asks(article, rules, moderator):
    rules.hold_first_comment = True
    rules.save()
    first = post(article, "Hello, first time here", **author())
    assert first.status == Status.PENDING
    assert first.reasons[0]["check"] == "first_comment"
    # Still held until a moderator approves one.
    assert post(article, "Anyone?", **author()).status == Status.PENDING
    actions.approve(first, actor=moderator)
    assert post(article, "Thanks for approving", **author()).status == Status.APPROVED


def test_anonymous_first_comment_without_email_is_held_too(article, rules):
    rules.hold_first_comment = True
    rules.save()
    held = post(article, "drive-by")
    assert held.status == Status.PENDING
    # The reason says why: not a first comment, but nobody to know the author by.
    assert held.reasons[0]["reason"] == "No e-mail address or account to know the author by."


def test_an_edit_replaces_the_reasons_moderators_read(article, rules):
    from broadsheet.discussion import actions as discussion_actions

    WordRule.objects.create(phrase="casino", list=WordRule.List.HOLD)
    held = post(article, "visit the casino")
    assert held.status == Status.PENDING and "casino" in held.reasons[0]["reason"]
    edited = discussion_actions.edit_comment(held, "visit the museum", token=held._token)
    assert edited.status == Status.PENDING  # an edit never gains approval
    (why,) = edited.reasons  # the new text passes: only why it still waits
    assert why["check"] == "edited" and "an edit never publishes a comment" in why["reason"]
    assert "Before the edit: Contains “casino”" in why["reason"]


def test_an_edit_of_a_spam_comment_keeps_why_it_was_caught(article, rules):
    from broadsheet.discussion import actions as discussion_actions

    WordRule.objects.create(phrase="casino", list=WordRule.List.BLOCK)
    WordRule.objects.create(phrase="museum", list=WordRule.List.HOLD)
    spam = post(article, "visit the casino")
    assert spam.status == Status.SPAM
    edited = discussion_actions.edit_comment(spam, "visit the museum", token=spam._token)
    assert edited.status == Status.SPAM
    checks = [r["check"] for r in edited.reasons]
    assert checks == ["word_lists", "edited"]  # the new text's hold, and the spam's reason
    assert "Before the edit: Contains “casino”" in edited.reasons[1]["reason"]
    again = discussion_actions.edit_comment(edited, "visit the zoo", token=spam._token)
    (note,) = again.reasons  # the first edit's note, not a note of notes
    assert note == edited.reasons[1]


def test_edits_are_judged_again_and_can_lose_approval(article):
    from broadsheet.discussion import actions as discussion_actions

    comment = post(article, "A fine comment")
    WordRule.objects.create(phrase="casino", list=WordRule.List.BLOCK)
    edited = discussion_actions.edit_comment(comment, "now with casino", token=comment._token)
    assert edited.status == Status.SPAM


def test_policy_is_found_through_the_setting(settings, article):
    settings.BROADSHEET_MODERATION_POLICY = "tests.moderation.test_policy.HoldEverything"
    assert post(article, "anything").status == Status.PENDING


class HoldEverything:
    def decide(self, submission):
        from broadsheet.discussion.policy import Decision

        return Decision(status=Status.PENDING, verdicts=[Verdict("all", "hold", "Held.")])


def test_user_account_history_counts_for_trust(article, rules):
    rules.trust_after = 1
    rules.save()
    text = learned_to_hold(rules)
    user = get_user_model().objects.create_user("reader")
    settled(post(article, "first", user=user))
    assert post(article, text, user=user).status == Status.APPROVED


def test_thresholds_are_validated(rules):
    from django.core.exceptions import ValidationError

    rules.hold_threshold, rules.spam_threshold = 0.8, 0.6
    with pytest.raises(ValidationError, match="below the hold threshold"):
        rules.full_clean()
    rules.hold_threshold, rules.spam_threshold = 0.5, 1.5
    with pytest.raises(ValidationError, match="between 0 and 1"):
        rules.full_clean()
