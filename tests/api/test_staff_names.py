"""POST /api/v1/articles/{slug}/comments: a staff member's name is a 400 on author_name."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from broadsheet.discussion.models import Comment
from broadsheet.moderation.checks import ROLE_WORD_TAKEN, STAFF_NAME_TAKEN
from tests.api.conftest import errors_of, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user(
        "nokafor", first_name="Nell", last_name="Okafor", is_staff=True
    )


@pytest.mark.parametrize(
    "name",
    [
        "Nell Okafor",
        "nell OKAFOR",
        " Nell \u2002 Okafor",  # an en space among plain ones
        "Nell\u2060 Okafor\ufe0f",  # a word joiner and a variation selector
        "Ｎｅｌｌ Ｏｋａｆｏｒ",
        "N\u0435ll \u041ekafor",  # Cyrillic е and О
        "NeII Okafor",
    ],
)
def test_a_staff_members_name_is_a_400_on_the_name(client, article, editor, name):
    response = post_json(client, article, {"author_name": name, "body": "Official."})
    assert response.status_code == 400
    assert errors_of(response) == {"author_name": [STAFF_NAME_TAKEN]}
    assert not Comment.objects.exists()


def test_a_role_word_is_a_400_on_the_name_saying_which_word(client, article, editor):
    response = post_json(client, article, {"author_name": "Moderator", "body": "Official."})
    assert response.status_code == 400
    assert errors_of(response) == {"author_name": [ROLE_WORD_TAKEN % {"word": "Moderator"}]}
    assert not Comment.objects.exists()


def test_other_names_are_posted(client, article, editor):
    response = post_json(client, article, {"author_name": "Nell Oka", "body": "Hi."})
    assert response.status_code == 201
    assert response.json()["author_name"] == "Nell Oka"


def test_a_signed_in_session_does_not_lend_the_api_its_account(client, article, editor):
    """The API takes no cookies, so not even the editor's own browser posts as her there."""
    client.force_login(editor)
    response = post_json(client, article, {"author_name": "Nell Okafor", "body": "Official."})
    assert response.status_code == 400
    assert list(errors_of(response)) == ["author_name"]
