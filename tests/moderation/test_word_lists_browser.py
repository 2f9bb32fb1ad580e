"""The word lists' confirm step in a real browser, with JavaScript off: a rule that
would catch many published comments is saved on the second submit, once ticked."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Page, expect

from broadsheet.moderation.models import AuditEntry, WordRule
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import post
from tests.moderation.conftest import make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(new_context, live_server):
    """A page signed in as a moderator, with JavaScript off unless asked for."""

    def make(*, javascript: bool = False) -> Page:
        client = Client()
        client.force_login(make_moderator("words"))
        session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        context = new_context(java_script_enabled=javascript)
        context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": session,
                    "url": live_server.url,
                }
            ]
        )
        return context.new_page()

    return make


@pytest.fixture
def staff_page(signed_in) -> Page:
    return signed_in()


def test_a_broad_rule_is_saved_only_once_the_moderator_ticks_it(staff_page: Page, article):
    for n in range(3):
        post(article, f"Storm warning number {n} for the coast")
    for n in range(7):
        post(article, f"The council vote {n} was close")
    page = staff_page
    page.goto("/moderation/words/")
    page.get_by_label("File as spam").fill("storm\ncasino")
    page.get_by_role("button", name="Save the word lists").click()

    expect(page.get_by_role("heading", name="Not saved yet")).to_be_visible()
    box = page.get_by_label("Save “storm” on the block list anyway")
    expect(box).not_to_be_checked()
    expect(page.locator("#confirm")).to_contain_text(
        "it would have caught 3 of the 10 published comments (30.0 %)"
    )
    assert not WordRule.objects.exists()

    # Saving again without the tick changes nothing.
    page.get_by_role("button", name="Save the word lists").click()
    expect(page.get_by_role("heading", name="Not saved yet")).to_be_visible()
    assert not WordRule.objects.exists()

    page.get_by_label("Save “storm” on the block list anyway").check()
    page.get_by_role("button", name="Save the word lists").click()
    expect(page.locator(".messages")).to_contain_text("Saved the word lists, with 2 new rules.")
    expect(page.locator(".messages")).to_contain_text(
        "“storm” (block list) would have caught 3 of the 10 published comments (30.0 %)."
    )
    expect(page.get_by_label("File as spam")).to_have_value("casino\nstorm")
    assert set(WordRule.objects.values_list("list", "phrase")) == {
        ("block", "storm"),
        ("block", "casino"),
    }
    assert AuditEntry.objects.get(action=AuditEntry.Action.WORDS).said == (
        "Added “storm”, “casino” on the block list."
    )
    # Stored now, it is one of the rules the page warns about.
    expect(page.locator("#stale")).to_contain_text("“storm” on the block list would have caught 3")


def test_the_confirm_step_and_the_warnings_are_accessible(signed_in, article):
    # axe runs as a script in the page, so this page has JavaScript on.
    page = signed_in(javascript=True)
    for n in range(3):
        post(article, f"Storm warning number {n} for the coast")
    WordRule.objects.create(phrase="*a*", list=WordRule.List.HOLD)  # stored before the guard
    page.goto("/moderation/words/")
    expect(page.locator("#stale")).to_contain_text("“*a*” is too broad")
    page.get_by_label("File as spam").fill("storm")
    page.get_by_role("button", name="Save the word lists").click()
    expect(page.get_by_role("heading", name="Not saved yet")).to_be_visible()
    assert_accessible(page)
