from __future__ import annotations

import pytest

from broadsheet.discussion.forms import CommentForm, EditForm, form_stamp, seconds_since_stamp
from broadsheet.discussion.models import Comment
from tests.conftest import make_article, post

pytestmark = pytest.mark.django_db


def form(article, user=None, **data):
    data.setdefault("author_name", "Jane")
    data.setdefault("body", "Hello")
    return CommentForm(data, article=article, user=user)


def test_valid_form_normalises_line_endings_and_trims(article):
    f = form(article, body="\r\n  one\r\ntwo\rthree  \n")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["body"] == "one\ntwo\nthree"


def test_inner_white_space_and_markup_are_kept_exactly(article):
    text = "a  b\n\n\n* item\n    code\n<b>raw</b>"
    f = form(article, body=text)
    assert f.is_valid()
    assert f.cleaned_data["body"] == text


def test_name_is_required_for_anonymous_readers_only(article, django_user_model):
    assert "author_name" in form(article, author_name="").errors
    user = django_user_model.objects.create_user("sam", first_name="Sam", last_name="Roe")
    f = form(article, user=user, author_name="")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["author_name"] == "Sam Roe"


@pytest.mark.parametrize(
    "field,value",
    [
        ("body", "nul\x00inside"),
        ("body", "lone \ud800 surrogate"),
        ("author_name", "Ja\x00ne"),
        ("author_url", "https://a\ud800.example"),
        ("author_email", "jane@a\ud800.example"),
    ],
)
def test_text_that_cannot_be_stored_is_refused(article, field, value):
    f = form(article, **{field: value})
    assert not f.is_valid()
    assert field in f.errors


def test_limits_are_read_when_the_form_is_built(article, settings):
    settings.BROADSHEET_COMMENT_MAX_LENGTH = 5
    settings.BROADSHEET_COMMENT_NAME_MAX_LENGTH = 3
    f = form(article, body="123456", author_name="Jane")
    assert not f.is_valid()
    assert "at most 5 characters" in f.errors["body"][0]
    assert "at most 3 characters" in f.errors["author_name"][0]
    assert f.fields["body"].widget.attrs["maxlength"] == "5"


def test_parent_must_be_a_visible_comment_of_the_same_article(article):
    root = post(article, "root")
    assert form(article, parent_id=root.pk).is_valid()
    hidden = post(article, "spam", honeypot="x")
    assert hidden.status == Comment.Status.SPAM
    assert "parent_id" in form(article, parent_id=hidden.pk).errors
    other = post(make_article(), "elsewhere")
    assert "parent_id" in form(article, parent_id=other.pk).errors
    assert "parent_id" in form(article, parent_id=999999).errors


def test_website_without_scheme_gets_https(article):
    f = form(article, author_url="jane.example")
    assert f.is_valid()
    assert f.cleaned_data["author_url"] == "https://jane.example"


def test_edit_form_applies_the_same_rules():
    assert not EditForm({"body": "x\x00"}).is_valid()
    f = EditForm({"body": " fixed\r\n"})
    assert f.is_valid() and f.cleaned_data["body"] == "fixed"


def test_form_stamp_measures_time_and_rejects_forgeries():
    elapsed = seconds_since_stamp(form_stamp())
    assert elapsed is not None and 0 <= elapsed < 5
    assert seconds_since_stamp("forged:stamp") is None
