"""Imported WordPress and Disqus files whose posts, comments, names and websites hold
the attack corpus: the pages and feeds they make run nothing."""

from __future__ import annotations

import itertools
import re
from xml.sax.saxutils import escape

import pytest
from django.test import Client

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article
from tests.attacks import breakouts
from tests.interchange.conftest import SAMPLES, run_import
from tests.test_attacks import _feed_risks, _risks_on, bodies

pytestmark = pytest.mark.django_db

NAMES = [n for n in breakouts() if "]]>" not in n]
WEBSITES = ['https://example.org/"onmouseover="alert(1)', "javascript:alert(1)",
            "https://example.org/'onmouseover='alert(1)", " JavaScript:alert(1)"]  # fmt: skip


def _cdata(text: str) -> str:
    """``text`` in a CDATA section, whatever it holds (its own "]]>" included)."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _fill(text: str, pattern: str, values: itertools.cycle) -> str:
    """Each match of ``pattern`` (an element with its content) with the next value."""
    return re.sub(pattern, lambda m: f"{m[1]}{next(values)}{m[2]}", text, flags=re.S)


def _pages_of_everything() -> list[str]:
    articles = Article.objects.live()
    assert articles.exists() and Comment.objects.filter(status="approved").exists()
    return ["/", *[a.get_absolute_url() for a in articles]]


def _feeds_of_everything() -> list[str]:
    slugs = Article.objects.live().values_list("slug", flat=True)
    return ["/feed/", "/comments/feed/", *[f"/article/{s}/feed/" for s in slugs]]


def assert_nothing_runs() -> None:
    client = Client()
    found = {
        **_risks_on(client, _pages_of_everything()),
        **_feed_risks(client, _feeds_of_everything()),
    }
    assert not found
    shown = "".join(Client().get(url).content.decode() for url in _pages_of_everything())
    assert "onerror=alert(1)" in shown  # the corpus went in, as text


def test_a_hostile_wordpress_file_makes_pages_that_run_nothing(tmp_path):
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    # Each element once, the short fields first: a body holds "<title>" as text.
    names = itertools.cycle([_cdata(n) for n in NAMES])
    text = _fill(text, r"(<title>).*?(</title>)", names)
    text = _fill(text, r"(<wp:comment_author>).*?(</wp:comment_author>)", names)
    text = _fill(text, r"(<wp:cat_name>).*?(</wp:cat_name>)", names)
    websites = itertools.cycle([escape(w) for w in WEBSITES])
    text = _fill(text, r"(<wp:comment_author_url>).*?(</wp:comment_author_url>)", websites)
    chunks = itertools.cycle([_cdata(b) for b in bodies()])
    text = _fill(text, r"(<content:encoded>).*?(</content:encoded>)", chunks)
    text = _fill(text, r"(<excerpt:encoded>).*?(</excerpt:encoded>)", chunks)
    text = _fill(text, r"(<wp:comment_content>).*?(</wp:comment_content>)", chunks)
    path = tmp_path / "hostile.xml"
    path.write_text(text, encoding="utf-8")
    run_import("wxr", path, "--no-train")
    assert_nothing_runs()


def test_a_hostile_disqus_file_makes_pages_that_run_nothing(tmp_path, article):
    text = (SAMPLES / "disqus.xml").read_text()
    names = itertools.cycle([escape(n) for n in NAMES])
    text = _fill(text, r"(<name>).*?(</name>)", names)
    text = _fill(text, r"(<title>).*?(</title>)", names)
    chunks = itertools.cycle([_cdata(b) for b in bodies()])
    text = _fill(text, r"(<message>)<!\[CDATA\[.*?\]\]>(</message>)", chunks)
    path = tmp_path / "hostile.xml"
    path.write_text(text, encoding="utf-8")
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    run_import("disqus", path, "--no-train")
    assert Comment.objects.filter(origin__startswith="disqus").exists()
    assert_nothing_runs()
