"""Imported HTML nested past the limit loses the tags that go too deep, never a word."""

from __future__ import annotations

import re

import nh3
import pytest

from broadsheet.nesting import NESTING_LIMIT, limit_nesting

ALL_TAGS = {"div", "p", "b", "em", "blockquote", "ul", "li", "table", "tr", "td", "span", "hr"}


_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)[^>]*>")


def written_depth(sanitized: str) -> int:
    """How deep the elements of the sanitizer's output nest: it closes every element
    it opens, so a count of the tags is the depth of the tree it built."""
    deepest = level = 0
    for tag in _TAG.finditer(sanitized):
        if tag[2] in ("br", "img", "hr"):
            continue
        level += -1 if tag[1] else 1
        deepest = max(deepest, level)
    return deepest


def parsed_depth(html: str) -> int:
    """How deep the elements of ``html`` nest as the sanitizer's parser builds them."""
    return written_depth(nh3.clean(html, tags=ALL_TAGS, attributes={}, link_rel=None))


def words(html: str) -> list[str]:
    return re.findall(r"w\d+", nh3.clean(html, tags=set()))


@pytest.mark.parametrize(
    "html",
    [
        # Quotes of quotes a few levels deep, with the tags that never open anything.
        "<blockquote cite='https://a.test/?x=1>2'><p>One<br>two<br/>"
        + "<blockquote><p>Three <img src=x alt='a > b'><!-- <div><div> --></p>" * 5
        + "</blockquote>" * 6,
        # Hundreds of tags that close each other without their end tags.
        "<ul>" + "<li>item <em>x</em>" * 300 + "</ul>",
        "<p>" + "para <b>b</b> <i>i</i>\n<p>" * 300,
        "<table>" + "<tr><td>a<td>b<th>c" * 200 + "</table>",
        "<dl>" + "<dt>term<dd>meaning" * 200 + "</dl>",
        "<div>" * 60 + "<span>x</span><hr>" * 200 + "</div>" * 60,
        # Tags in script, textarea and comments are text.
        "<script>" + "<div>" * 300 + "</script><textarea>" + "<p>" * 300 + "</textarea>",
        "<!--" + "<div>" * 300 + "-->",
    ],
)
def test_html_within_the_limit_is_unchanged_byte_for_byte(html):
    assert limit_nesting(html) == html


@pytest.mark.parametrize("closed", [True, False])
def test_nesting_past_the_limit_is_cut_and_every_word_kept(closed):
    n = 3_000
    html = "".join(f"<blockquote>w{i} " for i in range(n))
    html += "</blockquote>" * n if closed else ""
    limited = limit_nesting(html)
    assert parsed_depth(html) == n  # as it came
    assert parsed_depth(limited) == NESTING_LIMIT
    assert words(limited) == words(html) == [f"w{i}" for i in range(n)]


def test_text_after_a_deep_part_keeps_its_own_structure():
    html = "<div>" * 500 + "w1" + "</div>" * 500 + "<p>w2 <em>w3</em></p>"
    limited = limit_nesting(html)
    assert limited.endswith("<p>w2 <em>w3</em></p>")
    assert words(limited) == ["w1", "w2", "w3"]


@pytest.mark.parametrize(
    "html",
    [
        "<div/>" * 1_000 + "w1",  # HTML ignores "/>" on a div: each opens one
        "<span><div></span>" * 1_000 + "w1",  # </span> cannot close past the div
        "<p><b></p>w1" * 1_000,  # each <b> is opened again around the next text
        "<form><div></form>" * 1_000 + "w1",  # </form> closes the form alone
    ],
)
def test_what_the_parser_nests_without_saying_so_is_cut_too(html):
    assert parsed_depth(html) >= 1_000
    limited = limit_nesting(html)
    assert parsed_depth(limited) <= 2 * NESTING_LIMIT
    assert words(limited) == words(html)


def test_text_in_svg_past_the_limit_is_not_left_where_the_sanitizer_drops_it():
    # An HTML tag ends SVG content; dropped, it would leave the text after it inside.
    html = "<svg>" + "<g>" * 200 + "<p>w1</p>"
    assert words(limit_nesting(html)) == words(html) == ["w1"]
