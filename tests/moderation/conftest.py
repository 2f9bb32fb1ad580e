"""Moderation fixtures: a tiny labelled sample, and a clean learned-filter memo per test."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from broadsheet.moderation import learned
from broadsheet.moderation.apps import MODERATORS
from broadsheet.moderation.models import ModerationSettings

# Small, made-up comments in the shapes spam and discussion take on a news site.
HAM = [
    "I think the minister is wrong about the budget, the numbers do not add up.",
    "Great reporting, thank you for covering the council meeting.",
    "My grandmother lived through the flood of 1953 and tells the same story.",
    "The article says 40 percent but the chart shows 34, which is right?",
    "Interesting point about the railway, but who will pay for the new line?",
    "I disagree with the previous comment; the school did respond to parents.",
    "Well written piece. The interview with the mayor was revealing.",
    "Does anyone know when the bridge reopens? I cross it every morning.",
    "This is the third time the hospital has been in the news this year.",
    "Thanks for the correction at the bottom, good to see it acknowledged.",
    "The photos of the festival are lovely, I was there on Saturday.",
    "I remember when this street still had a cinema and two bakeries.",
]
SPAM = [
    "Check out my channel for free gift cards http://win-prizes.example.com",
    "Subscribe to my channel and I will subscribe back!!! http://sub4sub.example.net",
    "EARN $500 A DAY FROM HOME click here www.fast-cash.example.biz",
    "Cheap pills online no prescription http://pharma.example.ru buy now",
    "Visit my website for the best casino bonus http://casino.example.com",
    "Hey guys check out my new video please like and subscribe",
    "Make money fast working from home, message me on whatsapp",
    "Free followers and likes, visit http://followers.example.info today",
    "Best crypto investment, double your bitcoin in one week www.coin.example.io",
    "Check out my music channel and subscribe please, thank you!!",
    "Win an iPhone now, just click http://prize.example.xyz and enter",
    "Buy cheap watches and bags at http://replica.example.shop discount",
]


@pytest.fixture(autouse=True)
def _fresh_filter():
    learned.forget()
    yield
    learned.forget()


@pytest.fixture
def frozen_clock(monkeypatch):
    """Stop the rate-limit clock mid-window, so a test never straddles two windows."""
    from broadsheet import counters
    from broadsheet.moderation import checks

    class Clock:
        now = 1_700_000_010.0  # 30 s into a minute

        def time(self) -> float:
            return self.now

    clock = Clock()
    monkeypatch.setattr(checks, "time", clock)
    monkeypatch.setattr(counters, "time", clock)
    return clock


@pytest.fixture
def rules(db) -> ModerationSettings:
    return ModerationSettings.load()


def make_moderator(username: str = "mod", **fields):
    """A staff account in the Moderators group, as an operator sets one up."""
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user


@pytest.fixture
def moderator(db):
    return make_moderator()


@pytest.fixture
def staff(client, moderator):
    """The test client, signed in as a moderator."""
    client.force_login(moderator)
    return client


def train_site_filter(epochs: int = 5) -> None:
    from broadsheet.moderation.features import CommentText

    items = [CommentText(t) for t in HAM + SPAM]
    labels = [learned.PUBLISH] * len(HAM) + [learned.NOT_PUBLISH] * len(SPAM)
    with learned.updating() as spam_filter:
        learned.train(spam_filter, items, labels, epochs=epochs)
