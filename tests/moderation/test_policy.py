"""How verdicts combine into a decision: refusals, spam > hold > approve, trust, first comments."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from broadsheet.discussion.models import Comment
from broadsheet.discussion.policy import Submission, Verdict, get_policy
from broadsheet.moderation import actions
from broadsheet.moderation.models import WordRule
from tests.conftest import post

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


def test_commenter_with_enough_approved_comments_and_none_rejected_is_trusted(
    article, rules, moderator
):
    rules.trust_after = 2
    rules.save()
    WordRule.objects.create(phrase="watches", list=WordRule.List.HOLD)
    for n in range(2):
        post(article, f"good point {n}", **author())
    assert post(article, "my watches stopped", **author()).status == Status.APPROVED
    # Someone else with the same e-mail but another name is not trusted.
    impostor = post(article, "cheap watches", author_name="Jan", author_email="jane@example.org")
    assert impostor.status == Status.PENDING


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
    user = get_user_model().objects.create_user("reader")
    WordRule.objects.create(phrase="watches", list=WordRule.List.HOLD)
    post(article, "first", user=user)
    assert post(article, "watches", user=user).status == Status.APPROVED


def test_thresholds_are_validated(rules):
    from django.core.exceptions import ValidationError

    rules.hold_threshold, rules.spam_threshold = 0.8, 0.6
    with pytest.raises(ValidationError, match="below the hold threshold"):
        rules.full_clean()
    rules.hold_threshold, rules.spam_threshold = 0.5, 1.5
    with pytest.raises(ValidationError, match="between 0 and 1"):
        rules.full_clean()
