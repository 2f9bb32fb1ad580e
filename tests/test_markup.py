"""Rendering's quick paths give what the plain ones give."""

from __future__ import annotations

import sys

from broadsheet import markup


def test_the_quick_check_finds_every_character_html_forbids_and_no_other():
    for code in range(sys.maxunicode + 1):
        text = f"a{chr(code)}b"
        assert markup.has_characters_not_in_html(text) == bool(markup.NOT_IN_HTML.search(text))


def test_a_character_html_forbids_past_the_first_plane_is_replaced_beside_others():
    # A text with characters past U+FFFF is looked through with the whole class.
    assert markup.html_text("😀 \U0001fffe x \U0010ffff") == "😀 \ufffd x \ufffd"
    assert markup.html_text("😀 fine") == "😀 fine"


def test_a_comment_read_for_its_nesting_renders_as_one_read_afresh():
    text = "> > quoted twice\n\n- a list https://example.com/x\n  > quoted in it\n\n`code`"
    markup._read_comment.cache_clear()
    fresh = markup.render_comment(text)
    markup._read_comment.cache_clear()
    assert markup.comment_nesting(text) == 4
    assert markup.render_comment(text) == fresh
    assert markup.render_comment(text) == fresh  # rendering leaves what was read as it was
    expected = markup._clean(
        markup._comment_parser().render(text), markup.COMMENT_TAGS, "nofollow ugc noopener"
    )
    assert fresh == expected


def test_the_parsers_find_every_option_their_rules_ask_for(monkeypatch):
    # A missing option costs a raised KeyError each time a rule asks (at every "~" and
    # list item of a long article).
    from markdown_it.utils import OptionsDict

    missing = []
    look_up = OptionsDict.__getitem__

    def recorded(options, key):
        try:
            return look_up(options, key)
        except KeyError:
            missing.append(key)
            raise

    monkeypatch.setattr(OptionsDict, "__getitem__", recorded)
    text = (
        "> quote\n\n- [ ] item ~~gone~~ ~one~\n- [link](https://a.example) ![x](/a.png)\n\n[r]: /r"
    )
    markup.render_article(f"{text}\n\n| a |\n| - |\n| b |\n\n<b>raw</b>")
    markup.render_comment(text)
    assert missing == []


def test_struck_text_stays_struck():
    # markdown-it writes ~~text~~ as <s>, which the sanitizer dropped (keeping the words).
    assert markup.render_article("~~Tuesday~~ Wednesday") == "<p><s>Tuesday</s> Wednesday</p>\n"
    assert markup.sanitize_html("<p><s>a</s> <del>b</del></p>") == "<p><s>a</s> <del>b</del></p>"


def test_the_sanitizer_reads_a_markdown_body_once(monkeypatch):
    # The renderer writes what the sanitizer keeps as it keeps it (a link's rel, a code
    # block without its language class): a second reading would only find that out.
    readings = []
    clean = markup.nh3.clean

    def counted(html, **rules):
        readings.append(html)
        return clean(html, **rules)

    monkeypatch.setattr(markup.nh3, "clean", counted)
    text = 'A [link](https://a.example "t") and <https://b.example>.[^1]\n\n'
    text += "```python\nprint(1)\n```\n\n| a |\n|:-|\n| b |\n\n[^1]: A note ~~struck~~."
    html = markup.render_article(text)
    assert len(readings) == 1 and html == readings[0]
