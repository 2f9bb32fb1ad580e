"""Behind reverse proxies, each reader is counted by their own address."""

from __future__ import annotations

import pytest

from broadsheet.discussion.models import Comment
from broadsheet.moderation.models import ModerationSettings
from broadsheet.proxy import forwarded_address
from tests.api.conftest import post_json

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "proxies", "expected"),
    [
        ("198.51.100.7", 1, "198.51.100.7"),
        ("6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),  # the left one is the client's own claim
        ("198.51.100.7, 10.0.0.2", 2, "198.51.100.7"),  # a CDN, then nginx
        ("2001:db8::1", 1, "2001:db8::1"),
        ("198.51.100.7:5123", 1, "198.51.100.7"),  # with the port the proxy saw
        ("[2001:db8::1]:443", 1, "2001:db8::1"),
        ("198.51.100.7", 2, None),  # fewer hops than proxies: not to be trusted
        ("unknown", 1, None),
        ("", 1, None),
    ],
)
def test_the_address_the_outermost_proxy_saw(header, proxies, expected):
    assert forwarded_address(header, proxies) == expected


def api_post(client, article, reader: str, forwarded: str):
    return post_json(
        client,
        article,
        {"author_name": reader, "body": f"A thought from {reader}."},
        HTTP_X_FORWARDED_FOR=forwarded,
        REMOTE_ADDR="127.0.0.1",  # the proxy
    )


def test_rate_limits_count_each_reader_behind_the_proxy(client, article, settings):
    settings.BROADSHEET_RATE_LIMIT = "on"
    settings.BROADSHEET_BEHIND_PROXY = True
    rules = ModerationSettings.load()
    rules.rate_per_minute = 1
    rules.save()
    for n in range(3):
        assert api_post(client, article, f"Reader {n}", f"198.51.100.{n + 1}").status_code == 201
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {
        "198.51.100.1", "198.51.100.2", "198.51.100.3"
    }  # fmt: skip
    # The same reader again is limited, whatever they claim to the left.
    again = api_post(client, article, "Reader 9", "203.0.113.50, 198.51.100.1")
    assert again.status_code == 429


def test_without_the_setting_the_header_is_ignored(client, article, settings):
    settings.BROADSHEET_BEHIND_PROXY = False
    assert api_post(client, article, "Reader", "198.51.100.1").status_code == 201
    assert Comment.objects.get().ip_address == "127.0.0.1"
