"""The word lists page: rules too broad to save, how far each new rule reaches into the
site's published comments, the confirm step for a broad one, and the audit entry."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions, wordmatch
from broadsheet.moderation.models import AuditEntry, WordRule, phrase_problem
from tests.conftest import post
from tests.test_html import check_page

pytestmark = pytest.mark.django_db
Status = Comment.Status
URL = "/moderation/words/"
HOLD, BLOCK = WordRule.List.HOLD, WordRule.List.BLOCK


def published(article, *bodies: str) -> list[Comment]:
    comments = [post(article, body) for body in bodies]
    assert all(c.status == Status.APPROVED for c in comments)
    return comments


def twenty(article, *, weather: int) -> None:
    """Twenty published comments, ``weather`` of them about the weather."""
    published(article, *[f"What a lovely weather report {n}" for n in range(weather)])
    published(article, *[f"The council vote {n} was close" for n in range(20 - weather)])


def stored() -> set[tuple[str, str]]:
    return set(WordRule.objects.values_list("list", "phrase"))


@pytest.mark.parametrize("phrase", ["*a*", "*e*", "*", "**", "*.*", "* a", "a*", "*-*", "*a.*"])
def test_a_rule_too_broad_to_be_useful_is_refused_naming_it(staff, phrase):
    response = staff.post(URL, {"hold": "casino\n" + phrase, "block": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"“{phrase}”" in html.replace("&quot;", '"')
    # It says why, and what to write instead.
    assert "matches nearly every comment" in html or "great many ordinary words" in html
    assert "*casino*" in html or "casin*" in html
    assert not WordRule.objects.exists()


@pytest.mark.parametrize("phrase", ["f*ck", "viagr*", "*casino*", "c*a*s*i*n*o", "*.ru", "ok"])
def test_narrow_rules_are_accepted(staff, phrase):
    assert phrase_problem(phrase) is None
    assert staff.post(URL, {"hold": "", "block": phrase}).status_code == 302
    assert stored() == {(BLOCK, phrase)}


def test_the_model_refuses_a_broad_rule_wherever_it_is_saved(db):
    with pytest.raises(ValidationError, match="too broad"):
        WordRule(phrase="*a*", list=HOLD).full_clean()
    with pytest.raises(ValidationError, match="needs a letter or a digit"):
        WordRule(phrase="*.*", list=HOLD).full_clean()
    with pytest.raises(ValidationError, match="too broad"):
        actions.save_word_lists({BLOCK: ["*e*"]}, actor=None)
    assert not WordRule.objects.exists()


# (A vertical tab, NEL and the like end a line there, and \x1c-\x1f are spaces: the list
# reads them as it reads any line break or space.)
@pytest.mark.parametrize("control", ["\x01", "\x08", "\x7f", "\x9f", "\ufdd0", "\U0010ffff"])
def test_a_rule_holding_a_control_character_is_refused_wherever_it_is_saved(staff, control):
    phrase = f"casi{control}no"
    response = staff.post(URL, {"hold": f"viagra\n{phrase}", "block": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "invisible control character" in html
    # The refusal names the rule as a page can show it, and the page stays valid.
    assert "“casi\ufffdno”" in html
    check_page(html)
    with pytest.raises(ValidationError, match="invisible control character"):
        WordRule(phrase=phrase, list=HOLD).full_clean()
    with pytest.raises(ValidationError, match="invisible control character"):
        actions.save_word_lists({BLOCK: [phrase]}, actor=None)
    assert not WordRule.objects.exists()


def test_the_page_shows_both_lists_one_rule_a_line(staff):
    actions.save_word_lists({HOLD: ["casino", "free money"], BLOCK: ["viagr*"]}, actor=None)
    response = staff.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "casino\nfree money</textarea>" in html
    assert "viagr*</textarea>" in html
    check_page(html)


def test_saving_says_how_many_recent_published_comments_each_new_rule_would_have_caught(
    staff, article
):
    twenty(article, weather=1)  # 1 of 20 is 5 %: not more than the share, saved at once
    response = staff.post(URL, {"hold": "weather\ncasino", "block": ""}, follow=True)
    html = response.content.decode()
    assert "Saved the word lists, with 2 new rules." in html
    assert "“weather” (hold list) would have caught 1 of the 20 published comments (5.0 %)." in html
    assert "“casino” (hold list) would have caught 0 of the 20 published comments (0.0 %)." in html
    assert stored() == {(HOLD, "weather"), (HOLD, "casino")}
    again = staff.post(URL, {"hold": "weather\ncasino\nlottery", "block": ""}, follow=True)
    assert "Saved the word lists, with 1 new rule." in again.content.decode()


def test_a_rule_catching_too_many_published_comments_is_saved_only_once_confirmed(staff, article):
    twenty(article, weather=2)  # 10 %
    response = staff.post(URL, {"hold": "casino", "block": "weather"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved yet" in html
    assert "it would have caught 2 of the 20 published comments (10.0 %)" in html
    assert 'name="confirm" value="block:weather"' in html
    assert "“casino” (hold list): 0 of the 20 published comments" in html
    # The lists as typed are kept in the form, and nothing is saved.
    assert "weather</textarea>" in html
    assert not WordRule.objects.exists() and not AuditEntry.objects.exists()
    check_page(html)

    response = staff.post(
        URL, {"hold": "casino", "block": "weather", "confirm": "block:weather"}, follow=True
    )
    assert "“weather” (block list) would have caught 2 of the 20" in response.content.decode()
    assert stored() == {(HOLD, "casino"), (BLOCK, "weather")}


def test_confirming_one_broad_rule_does_not_let_another_through(staff, article):
    twenty(article, weather=2)
    published(article, *[f"Council minutes {n}" for n in range(5)])  # "council": 23 of 25
    response = staff.post(URL, {"hold": "weather\ncouncil", "block": "", "confirm": "hold:weather"})
    html = response.content.decode()
    assert "Not saved yet" in html
    assert 'value="hold:weather" checked' in html
    assert 'value="hold:council">' in html
    # A tick for the same phrase on the other list does not count either.
    staff.post(URL, {"hold": "", "block": "weather", "confirm": "hold:weather"})
    assert not WordRule.objects.exists()


def test_only_published_comments_count_and_only_the_latest(staff, article):
    published(article, "old weather news")
    spam = post(article, "weather weather", honeypot="x")
    assert spam.status == Status.SPAM
    held = post(article, "pending weather")
    Comment.objects.filter(pk=held.pk).update(status=Status.PENDING)
    published(article, *[f"Roads closed {n}" for n in range(3)])
    # The latest three published comments are the ones tried.
    [reach] = wordmatch.rule_reach(["weather"], wordmatch.recent_published_texts(limit=3))
    assert (reach.caught, reach.tested) == (0, 3)
    [reach] = wordmatch.rule_reach(["weather"], wordmatch.recent_published_texts())
    assert (reach.caught, reach.tested) == (1, 4)


def test_rules_already_stored_are_not_asked_about_again(staff, article):
    twenty(article, weather=10)
    actions.save_word_lists({HOLD: ["weather"]}, actor=None)
    response = staff.post(URL, {"hold": "weather\ncasino", "block": ""})
    assert response.status_code == 302
    assert stored() == {(HOLD, "weather"), (HOLD, "casino")}


def test_stored_rules_that_are_too_broad_are_warned_about(staff, article):
    twenty(article, weather=3)
    # Stored before the guard existed (or through the JSON restore, which keeps them).
    WordRule.objects.create(phrase="*a*", list=BLOCK)
    WordRule.objects.create(phrase="weather", list=HOLD)
    WordRule.objects.create(phrase="casino", list=HOLD)
    html = staff.get(URL).content.decode()
    assert "Rules that catch too much" in html
    start = html.index('id="stale"')
    warning = html[start : html.index("</section>", start)]
    assert "“*a*” is too broad" in warning and "It is on the block list." in warning
    assert "“weather” on the hold list would have caught 3 of the 20 published comments" in warning
    assert "“casino”" not in warning
    check_page(html)


def test_no_warning_when_the_stored_rules_are_narrow(staff, article):
    twenty(article, weather=1)
    WordRule.objects.create(phrase="weather", list=HOLD)
    assert "Rules that catch too much" not in staff.get(URL).content.decode()


def test_reach_is_what_the_check_itself_catches(article, rules):
    """The count comes from the check's own patterns: each comment counted is one the
    check would hold, and no other."""
    rules.duplicate_window_minutes = 0  # the same texts are posted again below
    rules.save()
    texts = [
        "the c.a.s.i.n.o is open",
        "casinos are fun",
        "CASINO night",
        "ｃａｓｉｎｏ tonight",  # full-width letters, folded as the check folds them
        "visit onlinecasinoworld",
        "<b>casino</b> in markup",
        # Disguised: letters set apart, a digit and Cyrillic look-alikes (folding.py).
        "the c a s i n o is open",
        "c4sino",
        "саsino",
    ]
    caught = {"casino": 7, "*casino*": 9, "c*a*s*i*n*o": 7, "casino*": 8}
    for phrase in ["casino", "*casino*", "c*a*s*i*n*o", "casino*"]:
        comments = published(article, *texts)
        [reach] = wordmatch.rule_reach([phrase], wordmatch.recent_published_texts(limit=len(texts)))
        WordRule.objects.create(phrase=phrase, list=HOLD)
        held = [post(article, c.body).status == Status.PENDING for c in comments]
        assert reach.caught == sum(held) == caught[phrase], phrase
        WordRule.objects.all().delete()


def test_trying_rules_reads_only_the_columns_the_check_matches(staff, article):
    twenty(article, weather=0)
    with CaptureQueriesContext(connection) as queries:
        staff.post(URL, {"hold": "weather\ncasino", "block": "viagr*"})
    reads = [q["sql"] for q in queries.captured_queries if "discussion_comment" in q["sql"]]
    assert len(reads) == 1  # once for all the new rules
    assert '"body"' in reads[0] and "body_html" not in reads[0] and "reasons" not in reads[0]


def test_a_page_with_no_rules_reads_no_comments(staff, article):
    twenty(article, weather=0)
    with CaptureQueriesContext(connection) as queries:
        staff.get(URL)
    assert not [q for q in queries.captured_queries if "discussion_comment" in q["sql"]]


def test_saving_writes_one_audit_entry_naming_the_changes(staff, moderator):
    actions.save_word_lists({HOLD: ["casino", "pills"], BLOCK: ["viagr*"]}, actor=None)
    AuditEntry.objects.all().delete()
    staff.post(URL, {"hold": "casino\n  free   money ", "block": "viagr*\n*pharma*"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.WORDS)
    assert entry.actor == moderator
    assert entry.said == (
        "Added “free money” on the hold list. Removed “pills” from the hold list. "
        "Added “*pharma*” on the block list."
    )
    # Saving the lists unchanged records nothing.
    staff.post(URL, {"hold": "casino\nfree money", "block": "viagr*\n*pharma*"})
    assert AuditEntry.objects.count() == 1


def test_rules_kept_keep_their_note(staff):
    WordRule.objects.create(phrase="casino", list=HOLD, note="from the 2024 spam wave")
    staff.post(URL, {"hold": "casino\npills", "block": ""})
    assert WordRule.objects.get(phrase="casino").note == "from the 2024 spam wave"


def test_who_may_read_and_who_may_change_the_lists(client, article):
    user = get_user_model().objects.create_user("reader", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_comment"))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_wordrule"))
    user = get_user_model().objects.get(pk=user.pk)  # permissions are cached per object
    client.force_login(user)
    WordRule.objects.create(phrase="casino", list=HOLD)
    html = client.get(URL).content.decode()
    assert "You may read the lists but not change them." in html and "<textarea" not in html
    assert client.post(URL, {"hold": "", "block": ""}).status_code == 403
    assert stored() == {(HOLD, "casino")}


def test_the_queue_links_to_the_word_lists(staff):
    assert 'href="/moderation/words/"' in staff.get("/moderation/").content.decode()


class TestAdmin:
    """The admin's Word rules form holds a rule to what the page does."""

    @pytest.fixture
    def admin_client(self, client, django_user_model):
        user = django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-long-1234")
        client.force_login(user)
        return client

    def test_a_rule_too_broad_to_be_useful_is_refused(self, admin_client):
        response = admin_client.post(
            "/admin/moderation/wordrule/add/", {"phrase": "*a*", "list": "block"}
        )
        assert response.status_code == 200
        assert "is too broad" in response.content.decode()
        assert not WordRule.objects.exists()

    def test_a_rule_catching_many_published_comments_needs_the_box_ticked(
        self, admin_client, article
    ):
        twenty(article, weather=2)
        add = "/admin/moderation/wordrule/add/"
        response = admin_client.post(add, {"phrase": "weather", "list": "block"})
        assert "would have caught 2 of the 20 published comments" in response.content.decode()
        assert not WordRule.objects.exists()
        response = admin_client.post(
            add, {"phrase": "weather", "list": "block", "save_anyway": "on"}
        )
        assert response.status_code == 302
        rule = WordRule.objects.get()
        # Its note changed alone, it is not asked about again.
        change = f"/admin/moderation/wordrule/{rule.pk}/change/"
        response = admin_client.post(
            change, {"phrase": "weather", "list": "block", "note": "storm"}
        )
        assert response.status_code == 302
        assert WordRule.objects.get().note == "storm"


def test_a_rule_removed_by_another_moderator_meanwhile_is_not_put_back_unchecked(
    staff, monkeypatch
):
    WordRule.objects.create(phrase="*ab*", list=HOLD)  # stored before the guard
    try_rules = wordmatch.rule_reach

    def other_moderator_removes_it(*args, **kwargs):
        WordRule.objects.filter(phrase="*ab*").delete()
        return try_rules(*args, **kwargs)

    monkeypatch.setattr(wordmatch, "rule_reach", other_moderator_removes_it)
    response = staff.post(URL, {"hold": "*ab*\ncasino", "block": ""})
    assert response.status_code == 400
    assert "“*ab*” is too broad" in response.content.decode()
    assert not WordRule.objects.exists()


def test_stored_rules_are_tried_once_until_the_lists_or_the_comments_change(staff, article):
    twenty(article, weather=0)
    actions.save_word_lists({HOLD: ["weather"], BLOCK: []}, actor=None)

    def reads_comments() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = staff.get(URL).content.decode()
        assert "weather" in page
        return sum(
            "discussion_comment" in q["sql"] and "LIMIT" in q["sql"]
            for q in queries.captured_queries
        )

    assert reads_comments() == 1  # the recent comments read, to try the stored rule
    assert reads_comments() == 0  # kept: only the newest comment's id is looked up
    post(article, "A new comment")
    assert reads_comments() == 1


def test_the_page_says_disguises_are_seen_through_and_each_example_is_caught(staff, article):
    html = staff.get(URL).content.decode()
    examples = re.findall(r'<span class="disguise">“([^”]+)”</span>', html)
    assert len(examples) == 5
    actions.save_word_lists({HOLD: ["casino"], BLOCK: []}, actor=None)
    for example in examples:
        comment = post(article, f"Try {example} tonight")
        assert comment.status == Status.PENDING
        assert comment.reasons[0]["reason"].endswith("(the rule “casino” on the hold list).")
