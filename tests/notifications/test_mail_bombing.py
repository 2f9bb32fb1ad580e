"""A bot cannot have the site mail a stranger over and over: the address it gives gets
at most MAIL_CONFIRM_MAX confirmations, however many comments, days and spellings, and
nothing for comments nobody can see. Through a real SMTP server, as on the site."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client

from broadsheet.discussion.models import Comment
from broadsheet.notifications.models import Address
from tests.notifications.conftest import web_post

pytestmark = pytest.mark.django_db(transaction=True)

STRANGER = "victim@example.org"
SPELLINGS = [STRANGER, "Victim@Example.ORG", "victim+news@example.org", "victim+1@example.org"]


def a_day_passes() -> None:
    Address.objects.update(confirmation_sent_at=F("confirmation_sent_at") - timedelta(hours=25))


def bot_posts(article, n: int, email: str, **fields) -> Comment:
    # A new client each time: no cookie ties one post to the next.
    return web_post(
        Client(), article, f"Great article, number {n}!", author_name="Bot",
        author_email=email, notify_replies="on", **fields,
    )  # fmt: skip


def test_a_strangers_address_is_sent_three_confirmations_in_all(article, smtp, settings):
    settings.BROADSHEET_MAIL_CONFIRM_INTERVAL_HOURS = 24
    for day in range(10):
        for n, spelling in enumerate(SPELLINGS):
            bot_posts(article, day * 10 + n, spelling)
        a_day_passes()
    # Before, one a day for as long as the bot went on: ten here.
    assert len(smtp.messages) == 3
    assert {tuple(to) for to in smtp.recipients} == {(STRANGER,)}
    assert Address.objects.get().confirmations_sent == 3


def test_the_limit_is_a_tunable(article, smtp, settings):
    settings.BROADSHEET_MAIL_CONFIRM_MAX = 1
    for day in range(3):
        bot_posts(article, day, STRANGER)
        a_day_passes()
    assert len(smtp.messages) == 1


def test_comments_judged_spam_send_nothing(article, smtp):
    for n in range(3):
        # The field hidden from people, filled in: the spam check's verdict.
        spam = bot_posts(article, n, f"other{n}@example.org", homepage="http://spam.example")
        assert spam.status == Comment.Status.SPAM
    assert smtp.messages == []


def test_an_address_sent_a_confirmation_before_the_upgrade_counts_one(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before = ("notifications", "0002_moderator_mail")

    def migrate(target: list | None = None) -> None:
        executor = MigrationExecutor(connection)
        executor.migrate(target or executor.loader.graph.leaf_nodes())

    migrate([before])
    old = MigrationExecutor(connection).loader.project_state(before).apps
    addresses = old.get_model("notifications", "Address")
    addresses.objects.create(key="a" * 64, confirmation_sent_at=timezone.now())
    addresses.objects.create(key="b" * 64)
    migrate()
    counted = dict(Address.objects.values_list("key", "confirmations_sent"))
    assert counted == {"a" * 64: 1, "b" * 64: 0}
