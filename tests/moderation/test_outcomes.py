"""How the filter has done on the site: its stored scores against the moderators' decisions."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from broadsheet.moderation.models import AuditEntry, ModerationSettings
from broadsheet.moderation.outcomes import ENOUGH, outcomes, site_outcomes
from tests.conftest import post
from tests.moderation.conftest import HAM, SPAM, train_site_filter

pytestmark = pytest.mark.django_db
Status = Comment.Status


def settle(article, scored: list[tuple[float | None, str]]) -> list[Comment]:
    """Comments with these stored scores and final statuses."""
    comments = []
    for n, (score, status) in enumerate(scored):
        comment = post(article, f"comment number {n}", author_name=f"Reader {n}")
        Comment.objects.filter(pk=comment.pk).update(score=score, status=status)
        comments.append(comment)
    return comments


def test_precision_and_recall_at_the_sites_thresholds_and_the_suggestions(rules):
    # 30 published comments scored 0.0-0.29, 30 not published scored 0.4-0.98,
    # and two published ones the filter scored high.
    labels = [0] * 30 + [1] * 30 + [0, 0]
    scores = [i / 100 for i in range(30)] + [0.4 + i / 50 for i in range(30)] + [0.6, 0.97]
    rules.hold_threshold, rules.spam_threshold = 0.5, 0.9
    found = outcomes(labels, scores, rules)
    assert (found.published, found.not_published, found.enough) == (32, 30, True)
    # At 0.5: 25 of the 30 caught (0.5 .. 0.98), with the two high ones among them.
    assert found.hold == {"threshold": 0.5, "precision": round(25 / 27, 4), "recall": 0.8333}
    assert found.spam == {"threshold": 0.9, "precision": round(5 / 6, 4), "recall": 0.1667}
    assert [r["threshold"] for r in found.rows][:3] == [0.1, 0.2, 0.3]
    # The best F1 (all 30 caught, two wrongly) holds from 0.30 to 0.40: its middle.
    assert found.suggested_hold == 0.35
    # 30 comments cannot show 0.99 precision with 95% confidence: no spam threshold.
    assert found.suggested_spam is None


def test_a_spam_threshold_is_suggested_once_hundreds_show_it_is_safe(rules):
    # 1,000 published at 0-0.3, 20 published at 0.5, and n not published at 0.9-0.999.
    def suggested(n: int) -> tuple[float | None, float | None]:
        labels = [0] * 1020 + [1] * n
        scores = (
            [i / 3400 for i in range(1000)] + [0.5] * 20 + [0.9 + i / n / 10.1 for i in range(n)]
        )
        found = outcomes(labels, scores, rules)
        return found.suggested_hold, found.suggested_spam

    # F1 is 1 from 0.51 to 0.90: hold from the middle. With 1,000 caught and none
    # wrongly, precision is at least 0.996 with 95% confidence; with 300, 0.987.
    assert suggested(1000) == (0.71, 0.71)
    assert suggested(300) == (0.71, None)


def test_no_suggestion_without_enough_of_each_kind(rules):
    found = outcomes([0] * 50 + [1] * (ENOUGH - 1), [0.1] * 50 + [0.9] * (ENOUGH - 1), rules)
    assert not found.enough and found.suggested_hold is None and found.suggested_spam is None
    assert found.hold["recall"] == 1.0


def test_only_settled_scored_comments_are_read_latest_first(article, rules):
    settle(article, [(0.9, Status.SPAM), (0.2, Status.APPROVED), (0.8, Status.REJECTED)])
    settle(article, [(0.7, Status.PENDING), (None, Status.APPROVED), (0.6, Status.DELETED)])
    found = site_outcomes()
    assert (found.published, found.not_published) == (1, 2)
    # The latest two only: the approved 0.2 and the rejected 0.8.
    latest = site_outcomes(latest=2)
    assert (latest.published, latest.not_published) == (1, 1)
    assert latest.hold == {"threshold": 0.5, "precision": 1.0, "recall": 1.0}


def test_scores_given_at_posting_are_set_against_the_moderators_decisions(article, moderator):
    """End to end: the real filter scores real posts, moderators decide, the page reports."""
    train_site_filter()
    ModerationSettings.objects.filter(pk=1).update(learned_min_examples=1)
    # Each text twice, the second time with a word more (not a duplicate).
    ham_texts = HAM + [f"{text} Agreed." for text in HAM]
    spam_texts = SPAM + [f"{text} Now!" for text in SPAM]
    posted = [post(article, text, author_name=f"H{i}") for i, text in enumerate(ham_texts)]
    spam = [post(article, text, author_name=f"S{i}") for i, text in enumerate(spam_texts)]
    assert all(c.score is not None for c in posted + spam)
    actions.moderate_many(posted, "approve", actor=moderator)
    actions.moderate_many(spam, "spam", actor=moderator)
    found = site_outcomes()
    assert (found.published, found.not_published) == (len(HAM) * 2, len(SPAM) * 2)
    assert found.enough and found.suggested_hold is not None
    # The filter had learned these very texts: at 0.5 it was right about every one.
    assert found.hold == {"threshold": 0.5, "precision": 1.0, "recall": 1.0}


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_superuser("ed", password="pw")
    client.force_login(user)
    return client


def test_the_page_shows_the_figures_to_staff_only(client, article, moderator):
    assert client.get("/moderation/filter/").status_code == 302
    settle(article, [(0.1, Status.APPROVED), (0.8, Status.SPAM), (0.6, Status.APPROVED)])
    client.force_login(moderator)
    html = client.get("/moderation/filter/").content.decode()
    assert "1 published" not in html and "2 published and 1 rejected or spam" in html
    assert '<tr class="current" id="at-hold">' in html and "Hold for review" in html
    # Precision at 0.5: of the two held, the approved 0.6 was wrong.
    assert re.search(
        r'id="at-hold">\s*<th scope="row">Hold for review</th>\s*'
        r"<td>0.5</td>\s*<td>0.500</td>\s*<td>1.000</td>",
        html,
    )
    assert "No thresholds are suggested until at least 20" in html
    # A moderator without the right to change settings sees them, and cannot post them.
    assert 'name="hold_threshold"' not in html
    response = client.post("/moderation/filter/", {"hold_threshold": "0.1", "spam_threshold": "1"})
    assert response.status_code == 403
    assert ModerationSettings.load().hold_threshold == 0.5


def test_an_editor_sets_the_thresholds_with_an_audit_record(editor):
    html = editor.get("/moderation/filter/").content.decode()
    assert 'name="hold_threshold"' in html and 'value="0.5"' in html
    response = editor.post(
        "/moderation/filter/", {"hold_threshold": "0.35", "spam_threshold": "0.9"}
    )
    assert response.status_code == 302
    rules = ModerationSettings.load()
    assert (rules.hold_threshold, rules.spam_threshold) == (0.35, 0.9)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.THRESHOLDS)
    assert entry.actor.username == "ed" and entry.said == "hold 0.5 → 0.35, spam 0.95 → 0.9"
    assert (
        "Thresholds set: hold from 0.35, spam from 0.9."
        in editor.get("/moderation/filter/").content.decode()
    )
    assert "Changed the score thresholds" in editor.get("/moderation/log/").content.decode()
    # The same again: nothing changes, no new record, and the page says so.
    editor.post("/moderation/filter/", {"hold_threshold": "0.35", "spam_threshold": "0.9"})
    assert AuditEntry.objects.filter(action=AuditEntry.Action.THRESHOLDS).count() == 1
    assert (
        "Nothing changed: the thresholds were already 0.35 and 0.9."
        in editor.get("/moderation/filter/").content.decode()
    )


@pytest.mark.parametrize(
    ("hold", "spam", "message"),
    [
        ("0.6", "0.5", "The spam threshold cannot be below the hold threshold."),
        ("1.5", "1", "A score threshold is between 0 and 1."),
        ("half", "0.9", "A score threshold is a number between 0 and 1."),
        ("nan", "0.9", "A score threshold is a number between 0 and 1."),
        ("-1e-400", "0.9", "A score threshold is a number between 0 and 1."),
        ("0.0_1", "0.9", "A score threshold is a number between 0 and 1."),
        ("-0", "0.9", "A score threshold is a number between 0 and 1."),
        ("0,5", "0.9", "A score threshold is a number between 0 and 1."),
        ("0.5\x1c", "0.9x", "A score threshold is a number between 0 and 1."),
    ],
)
def test_bad_thresholds_are_refused_and_change_nothing(editor, hold, spam, message):
    response = editor.post("/moderation/filter/", {"hold_threshold": hold, "spam_threshold": spam})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'value="{hold}"' in response.content.decode()  # what was typed is kept
    rules = ModerationSettings.load()
    assert (rules.hold_threshold, rules.spam_threshold) == (0.5, 0.95)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.THRESHOLDS).exists()


def test_the_suggested_thresholds_can_be_taken_in_one_step(editor, article):
    settle(article, [(0.05 + i / 100, Status.APPROVED) for i in range(ENOUGH)])
    settle(article, [(0.7 + i / 100, Status.SPAM) for i in range(ENOUGH)])
    found = site_outcomes()
    assert found.suggested_hold == 0.48  # the middle of 0.25 .. 0.70
    html = editor.get("/moderation/filter/").content.decode()
    assert f"hold from <strong>{found.suggested_hold}</strong>" in html
    assert found.suggested_spam is None and "no spam threshold" in html
    assert "Use the suggested ones" in html
    assert editor.post("/moderation/filter/", {"suggested": "1"}).status_code == 302
    rules = ModerationSettings.load()
    # No spam threshold is suggested from 20: the site's own (0.95) stays.
    assert (rules.hold_threshold, rules.spam_threshold) == (0.48, 0.95)


def test_the_command_prints_the_same_figures(article):
    settle(article, [(0.2, Status.APPROVED), (0.9, Status.SPAM), (0.7, Status.APPROVED)])
    out = StringIO()
    call_command("moderation", "outcomes", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["published"], result["not_published"]) == (2, 1)
    assert result["hold"] == {"threshold": 0.5, "precision": 0.5, "recall": 1.0}
    assert result["suggested_hold_threshold"] is None
    text = StringIO()
    call_command("moderation", "outcomes", stdout=text)
    assert "3 settled comments with a score: 2 published, 1 rejected or spam." in text.getvalue()
    assert "hold threshold 0.5: precision 0.5000  recall 1.0000" in text.getvalue()
