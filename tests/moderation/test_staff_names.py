"""The staff_name check: a name that would be taken for a staff member's is theirs alone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.exceptions import CommentRefused
from broadsheet.discussion.models import Comment
from broadsheet.moderation.apps import MODERATORS
from broadsheet.moderation.checks import STAFF_NAME_TAKEN
from broadsheet.moderation.names import name_key, reserved_keys
from tests.conftest import post

pytestmark = pytest.mark.django_db


def make_editor(**fields):
    fields.setdefault("is_staff", True)
    return get_user_model().objects.create_user(
        fields.pop("username", "nokafor"), first_name="Nell", last_name="Okafor", **fields
    )


def refused(article, name: str, **fields) -> CommentRefused:
    with pytest.raises(CommentRefused) as caught:
        post(article, "Official word: the bridge stays shut.", author_name=name, **fields)
    return caught.value


# How a reader might write "Nell Okafor" so that it looks the same on the page.
LOOKALIKES = [
    "Nell Okafor",
    "NELL OKAFOR",
    "nell okafor",
    "  Nell   Okafor ",
    "Nell\u00a0Okafor",  # no-break space
    "Nell\u3000Okafor",  # ideographic space
    "Nell\u115fOkafor",  # a Hangul filler, drawn as a blank
    "Ne\u200bll Oka\u200dfor",  # zero-width space and joiner
    "\u202eNell Okafor",  # a direction mark
    "Ｎｅｌｌ Ｏｋａｆｏｒ",  # full-width (NFKC)
    "𝐍𝐞𝐥𝐥 𝐎𝐤𝐚𝐟𝐨𝐫",  # mathematical bold (NFKC)
    "N\u0435ll Ok\u0430f\u043er",  # Cyrillic е, а, о
    "\u039dell \u039fkafor",  # Greek capital Nu and Omicron
    "NeII Okafor",  # capital I for l
    "Ne1l Okafor",  # the digit one for l
    "Nell 0kafor",  # the digit zero for O
    "Nell Okafór",  # an accent
    "Nell Okafo\u0301r",  # a combining accent
    "Nell.Okafor",  # punctuation for the space
    "Nell Okafor.",
    "Nell Okafor \u2713",  # a check mark after it
    "Nell Okafor (staff)",  # the name within a longer one, as whole words
    "The real Nell Okafor",
]


@pytest.mark.parametrize("name", LOOKALIKES)
def test_a_name_that_looks_like_a_staff_members_is_refused(article, name):
    make_editor()
    error = refused(article, name)
    assert (error.field, error.reason, error.code) == (
        "author_name",
        STAFF_NAME_TAKEN,
        "staff_name",
    )
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "name", ["Nell", "Okafor", "Neil Okafor", "Nell O.", "NellOkafor", "Nell Okaforson"]
)
def test_a_name_that_only_resembles_it_is_anybodys(article, name):
    make_editor()
    assert post(article, "Hello.", author_name=name).author_name == name


def test_a_name_no_member_of_staff_has_is_anybodys(article):
    make_editor()
    comment = post(article, "Hello.", author_name="Jane Doe")
    assert comment.status == Comment.Status.APPROVED
    assert "staff_name" not in {r["check"] for r in comment.reasons}


def test_the_account_name_is_reserved_where_it_is_the_name_shown(article):
    get_user_model().objects.create_user("n.okafor", is_staff=True)  # no full name
    refused(article, "N.Okafor")
    refused(article, "n.okafor")


def test_a_one_word_staff_name_is_refused_alone_not_within_a_longer_name(article):
    get_user_model().objects.create_user("dana", is_staff=True)  # shown as "dana"
    refused(article, "Dana")
    assert post(article, "Hi.", author_name="Dana Smith").pk


def test_a_username_behind_a_full_name_is_anybodys(article):
    # Many usernames are a first name: the account is shown as its full name, and
    # readers called Dana are not refused for it.
    get_user_model().objects.create_user(
        "dana", first_name="Dana", last_name="Writer", is_staff=True
    )
    assert post(article, "Hi.", author_name="Dana").pk
    refused(article, "Dana Writer")


@pytest.mark.parametrize("name", ["Admin", "moderator", "EDITOR", "Staff", "Site Admin"])
def test_role_words_are_reserved_for_staff(article, name):
    staff = make_editor()
    refused(article, name)
    assert post(article, "Speaking for the desk.", author_name=name, user=staff).pk


def test_the_member_of_staff_signed_in_may_use_their_own_name(article):
    editor = make_editor()
    comment = post(article, "We have asked.", author_name="NELL OKAFOR", user=editor)
    assert comment.user == editor
    assert comment.author_name == "NELL OKAFOR"


def test_another_account_signed_in_may_not(article):
    make_editor()
    writer = get_user_model().objects.create_user(
        "dana", first_name="Dana", last_name="Writer", is_staff=True
    )
    reader = get_user_model().objects.create_user("jo")
    for account in (writer, reader):
        assert refused(article, "Nell Okafor", user=account).field == "author_name"


def test_a_moderator_by_group_alone_is_staff_here(article):
    """Who may moderate decides too, not only the staff flag: the Moderators group."""
    moderator = make_editor(is_staff=False)
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    refused(article, "Nell Okafor")


def test_a_moderator_by_permission_alone_and_a_superuser_are_staff_here(article):
    permission = Permission.objects.get(
        content_type__app_label="discussion", codename="change_comment"
    )
    make_editor(is_staff=False).user_permissions.add(permission)
    get_user_model().objects.create_user(
        "boss", first_name="Ada", last_name="Chief", is_superuser=True
    )
    refused(article, "Nell Okafor")
    refused(article, "Ada Chief")


def test_a_reader_account_and_a_closed_staff_account_reserve_nothing(article):
    get_user_model().objects.create_user("jo", first_name="Jo", last_name="Reader")
    make_editor(is_active=False)
    assert post(article, "Hi.", author_name="Jo Reader").pk
    assert post(article, "Hi.", author_name="Nell Okafor").pk


def test_the_names_follow_changes_to_the_accounts(article, django_capture_on_commit_callbacks):
    """Kept in the cache, the names are built anew once a change to an account, a group
    or a group's permissions commits: no post sees the old set."""

    def committed():
        return django_capture_on_commit_callbacks(execute=True)

    with committed():
        user = get_user_model().objects.create_user("nell", first_name="Nell", last_name="Okafor")
    assert post(article, "Before.", author_name="Nell Okafor").pk  # the set is now cached

    with committed():
        user.is_staff = True
        user.save()
    refused(article, "Nell Okafor")

    with committed():
        user.first_name = "Eleanor"
        user.save()
    refused(article, "Eleanor Okafor")
    assert post(article, "Free again.", author_name="Nell Okafor").pk

    group = Group.objects.get(name=MODERATORS)
    with committed():
        user.is_staff = False
        user.save()
        user.groups.add(group)
    refused(article, "Eleanor Okafor")
    with committed():
        group.permissions.clear()
    assert post(article, "Not a moderator now.", author_name="Eleanor Okafor").pk

    with committed():
        user.is_staff = True
        user.save()
    refused(article, "Eleanor Okafor")
    with committed():
        user.delete()
    assert post(article, "Gone.", author_name="Eleanor Okafor").pk


def test_a_change_is_seen_only_once_it_commits(article, django_capture_on_commit_callbacks):
    """Until then, another server would rebuild the set from what the database held
    before: the set's generation is replaced after the commit, not before."""
    user = get_user_model().objects.create_user("nell", first_name="Nell", last_name="Okafor")
    assert post(article, "Before.", author_name="Nell Okafor").pk
    with django_capture_on_commit_callbacks() as callbacks:
        user.is_staff = True
        user.save()
    assert post(article, "Not committed yet.", author_name="Nell Okafor").pk
    for callback in callbacks:
        callback()
    refused(article, "Nell Okafor")


def test_a_sign_in_does_not_throw_the_names_away(
    article, client, django_capture_on_commit_callbacks
):
    make_editor(password="pw-long-enough-1")
    refused(article, "Nell Okafor")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.login(username="nokafor", password="pw-long-enough-1")
    assert callbacks == []  # it saved the time of the sign-in, which changes no name


def test_the_accounts_are_read_once_not_for_every_comment(article):
    make_editor()
    post(article, "First.", author_name="Jane Doe")
    with CaptureQueriesContext(connection) as ctx:
        post(article, "Second.", author_name="Sam Reed")
        refused(article, "Nell Okafor")
    assert not [q for q in ctx.captured_queries if "auth_user" in q["sql"]]


def test_an_edit_keeps_the_name_it_was_posted_with(article):
    """A comment posted before its name was reserved stays editable by its author."""
    comment = post(article, "Before she joined.", author_name="Nell Okafor")
    make_editor()
    edited = discussion_actions.edit_comment(comment, "Edited since.", token=comment._token)
    assert (edited.body, edited.author_name) == ("Edited since.", "Nell Okafor")


def test_keys_see_through_case_for_a_name_with_an_i():
    """Capital I is drawn as l, so "IAN" is read as "lAN", and "ian" as small letters."""
    keys = reserved_keys("Ian Moss")
    for name in ("Ian Moss", "IAN MOSS", "ian moss", "lan Moss", "1an Moss", "Іan Moss"):
        assert name_key(name) in keys, name
    assert name_key("Jan Moss") not in keys
    assert name_key("Sarn Reed") in reserved_keys("Sam Reed")


@pytest.mark.parametrize(("name", "word"), [("Editor Tester", "Editor"), ("the ADMIN", "Admin")])
def test_a_name_refused_for_a_role_word_alone_is_told_which_word(article, name, word):
    make_editor()
    reason = refused(article, name).reason
    assert f"“{word}”" in reason
    assert reason != STAFF_NAME_TAKEN


def test_a_staff_members_own_name_holding_a_role_word_is_refused_as_theirs(article):
    get_user_model().objects.create_user(
        "desk", first_name="Staff", last_name="Writer", is_staff=True
    )
    assert refused(article, "Staff Writer").reason == STAFF_NAME_TAKEN
