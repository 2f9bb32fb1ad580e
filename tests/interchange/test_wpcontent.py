"""WordPress-stored text becomes what Broadsheet shows."""

from __future__ import annotations

import re

import lxml.html
import nh3
import pytest

from broadsheet import markup
from broadsheet.interchange import wpcontent
from broadsheet.markup import sanitize_html
from broadsheet.nesting import NESTING_LIMIT
from tests.test_nesting import written_depth


def test_more_marker_splits_the_teaser_and_disappears():
    assert wpcontent.split_more("Teaser<!--more Read on-->Rest") == ("Teaser", True)
    assert wpcontent.split_more("No marker") == ("No marker", False)
    assert "more" not in wpcontent.article_html("Teaser\n\n<!--more-->\n\nRest")


def test_caption_in_both_forms_becomes_a_figure():
    new = '[caption id="a1" width="300"]<img src="https://x.test/a.jpg" alt="a"> Caption[/caption]'
    old = '[caption id="a1" caption="Old style"]<img src="https://x.test/b.jpg" alt="b">[/caption]'
    assert wpcontent.expand_shortcodes(new) == (
        '<figure><img src="https://x.test/a.jpg" alt="a"><figcaption>Caption</figcaption></figure>'
    )
    assert "<figcaption>Old style</figcaption>" in wpcontent.expand_shortcodes(old)


def test_other_shortcodes():
    assert wpcontent.expand_shortcodes('[gallery ids="1,2"]') == ""
    assert wpcontent.expand_shortcodes("[embed]https://v.test/1[/embed]") == (
        '<a href="https://v.test/1">https://v.test/1</a>'
    )
    assert wpcontent.expand_shortcodes('[pullquote align="left"]Said it[/pullquote]') == "Said it"
    assert wpcontent.expand_shortcodes("[[caption]] and [sic] and [1]") == (
        "[caption] and [sic] and [1]"
    )
    assert wpcontent.expand_shortcodes('[contact-form-7 id="4" /]') == ""
    assert wpcontent.expand_shortcodes('[contact-form-7 id="4" title="Contact"]') == ""


@pytest.mark.parametrize(
    "text",
    [
        "char buffer[BUFSIZ + 1];",  # C
        "tail = buf[split + 1:]",  # Python
        '"[Programmers are] satisfied with less"',  # a quotation's editorial insert
        "[master 6d6f696] Fix the build",  # git's output
        "[total 691130122][Prob 4.5%]",
        "<!--[if lt IE 9]><script src=x></script><![endif]-->",
        "See [Help 1] for more",  # Maven's output
        "set statusline=[ASCII=\\%03.3b] [HEX=%B] [LEN=%L]",  # a vim setting
        "<strong>[format=html]</strong>",  # a heading naming an option
    ],
)
def test_brackets_that_are_no_shortcode_stay_as_written(text):
    # WordPress expands only the shortcodes a plugin registered and shows the rest as
    # written; these (real posts' text) were once taken for shortcodes and dropped.
    assert wpcontent.expand_shortcodes(text) == text


def test_embeds_in_every_spelling_become_links():
    def link(url: str) -> str:
        return f'<a href="{url}">{url}</a>'

    expand = wpcontent.expand_shortcodes
    assert expand("[youtube dQw4w9WgXcQ]") == link("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert expand("[youtube=http://www.youtube.com/watch?v=ab1&w=320]") == link(
        "http://www.youtube.com/watch?v=ab1&amp;w=320"
    )  # WordPress.com's [name=value]
    assert expand("[vimeo 12345]") == link("https://vimeo.com/12345")
    assert expand("[dailymotion x7tgad0]") == link("https://www.dailymotion.com/video/x7tgad0")
    assert expand("[audio http://x.test/a.mp3]") == link("http://x.test/a.mp3")
    assert expand('[audio mp3="https://x.test/b.mp3"][/audio]') == link("https://x.test/b.mp3")
    assert expand("[youtube javascript:alert(1)]") == ""  # only web addresses become links
    assert expand('[gist id="5f3a9c1d2e"]') == link("https://gist.github.com/5f3a9c1d2e")
    assert expand("[gist https://gist.github.com/ann/5f3a9c1d2e]") == link(
        "https://gist.github.com/ann/5f3a9c1d2e"
    )
    assert expand("[slideshare id=1870859&amp;style=border-width: 1px;&amp;sc=no]") == link(
        "https://www.slideshare.net/slideshow/embed_code/1870859"
    )  # WordPress.com's way


def test_code_shortcodes_stay_code():
    source = '[sourcecode language="python"]\ndef f(x):\n\n    return x < 2\n[/sourcecode]'
    html = wpcontent.article_html(f"Intro\n\n{source}\n\nAfter")
    assert html == (
        "<p>Intro</p>\n<pre><code>def f(x):\n\n    return x &lt; 2</code></pre>\n<p>After</p>"
    )
    assert (
        wpcontent.expand_shortcodes("[code]a &lt; b[/code]") == "<pre><code>a &lt; b</code></pre>"
    )


def test_autop_makes_paragraphs_and_leaves_blocks_and_pre_alone():
    assert wpcontent.autop("One\ntwo\n\nThree") == "<p>One<br>\ntwo</p>\n<p>Three</p>"
    blocks = "<p>Block</p>\n\n<ul><li>x</li></ul>"
    assert wpcontent.autop(blocks) == "<p>Block</p>\n<ul><li>x</li></ul>"
    assert "<pre>a\n\nb</pre>" in wpcontent.autop("Text\n\n<pre>a\n\nb</pre>")


def test_two_line_breaks_in_a_row_end_a_paragraph_as_a_blank_line_does():
    # Text pasted from an editor that wrote <br><br> for a new paragraph.
    assert wpcontent.autop("One<br><br>Two<br />\n<BR/>Three<br>four") == (
        "<p>One</p>\n<p>Two</p>\n<p>Three<br>four</p>"
    )
    assert wpcontent.autop("<pre>a<br><br>b</pre>") == "<pre>a<br><br>b</pre>"


def test_text_then_a_list_on_the_next_line_makes_a_paragraph_and_a_list():
    # A block tag starts a block of its own, as in WordPress, even with no blank line
    # before it; no <br> goes between the list's tags.
    assert wpcontent.autop("Intro:\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>") == (
        "<p>Intro:</p>\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>"
    )


def test_lines_after_a_heading_make_a_paragraph_with_line_breaks():
    assert wpcontent.autop("<h2>T</h2>\nline one\nline two") == (
        "<h2>T</h2>\n<p>line one<br>\nline two</p>"
    )


def test_table_rows_and_cells_on_their_own_lines_get_no_line_breaks():
    text = "Scores:\n<table>\n<tr>\n<td>Ann</td>\n<td>3\n(late)</td>\n</tr>\n</table>\nDone."
    assert wpcontent.autop(text) == (
        "<p>Scores:</p>\n<table>\n<tr>\n<td>Ann</td>\n<td>3<br>\n(late)</td>\n</tr>\n"
        "</table>\n<p>Done.</p>"
    )  # a line break inside a cell's own text stays one


def test_a_blockquotes_text_is_made_into_paragraphs_inside_it():
    assert wpcontent.autop("<blockquote>First\nline\n\nSecond</blockquote>") == (
        "<blockquote><p>First<br>\nline</p>\n<p>Second</p></blockquote>"
    )
    assert wpcontent.autop("<blockquote>Quote</blockquote>") == (
        "<blockquote><p>Quote</p></blockquote>"
    )
    already = "<blockquote>\n<p>Said</p>\n</blockquote>"
    assert wpcontent.autop(already) == already


def test_pre_inside_a_block_keeps_its_newlines_and_the_text_around_it_is_paragraphed():
    text = (
        "<blockquote>Run:\n<pre>make\n  make  test\n\nmake install</pre>\nThen wait.</blockquote>"
    )
    assert wpcontent.autop(text) == (
        "<blockquote><p>Run:</p>\n<pre>make\n  make  test\n\nmake install</pre>\n"
        "<p>Then wait.</p></blockquote>"
    )
    in_a_list = "<ul>\n<li>Run:\n<pre>make\n\nmake test</pre>\n</li>\n</ul>"
    assert wpcontent.autop(in_a_list) == in_a_list


def test_inline_tags_stay_in_the_paragraph_and_single_newlines_still_break_lines():
    text = (
        '<h2>Notes</h2>\nAn <em>important</em>\nline with <a\nhref="https://x.test">a'
        " link</a><br>\nend"
    )
    assert wpcontent.autop(text) == (
        '<h2>Notes</h2>\n<p>An <em>important</em><br>\nline with <a\nhref="https://x.test">a'
        " link</a><br>\nend</p>"
    )  # no <br> inside a tag written over two lines, nor a second one after the author's


def test_block_editor_comments_are_no_paragraphs():
    text = "<!-- wp:paragraph -->\n<p>Text</p>\n<!-- /wp:paragraph -->"
    assert wpcontent.autop(text) == text


def test_a_list_in_an_imported_comment_keeps_its_items_clean():
    html = wpcontent.comment_html("I agree:\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>")
    assert html == "<p>I agree:</p>\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>"


def test_long_text_full_of_unclosed_tags_comes_through_whole():
    # Each unclosed "<div" or "<!--" must not send the search for its end on to the
    # end of the text again (seconds for a long post): the text is read in one pass.
    for text in ("<div " * 40_000, "a < b " * 40_000):
        assert wpcontent.autop(text) == f"<p>{text.strip()}</p>"
    unclosed_comment = "<!-- x " * 30_000  # a browser reads it to the end, and shows nothing
    assert wpcontent.autop(unclosed_comment) == unclosed_comment.strip()


def test_comment_html_is_sanitized_and_links_are_nofollow():
    html = wpcontent.comment_html(
        'Hi <b>bold</b> <i>it</i> <a href="javascript:alert(1)">x</a> '
        '<a href="https://ok.test">ok</a><script>alert(1)</script><img src=x onerror=y>'
    )
    assert "<strong>bold</strong> <em>it</em>" in html
    assert "javascript" not in html and "<script" not in html and "<img" not in html
    assert '<a href="https://ok.test" rel="nofollow ugc noopener">ok</a>' in html


def test_html_to_text():
    assert wpcontent.html_to_text("<p>A &amp; B &lt; C</p><p>D&#8217;s</p>") == "A & B < C\nD’s"


def test_imported_comment_html_cannot_leave_its_list_item():
    # Dropping <marquee> left <li><li>x</li></li>, whose second </li> closed the page's
    # own list item; a stray <li> would start a new one.
    for hostile in ("<li><marquee><li>x</li></marquee></li><p>after</p>", "a <li>b</li>"):
        html = wpcontent.comment_html(hostile)
        assert html == nh3.clean(html, tags=wpcontent.COMMENT_TAGS)  # what a browser reads
        document = lxml.html.fromstring(f"<ol><li>{html}</li></ol>")
        assert [li.getparent().tag for li in document.iter("li")][1:] == ["ul"] * (
            len(list(document.iter("li"))) - 1
        )


def test_code_full_of_brackets_and_unclosed_blocks_come_through_whole():
    # Text with many openings and no closing once made every opening search to the
    # end of the post (seconds for 60 KB of code); it is read in one pass now.
    code = "int a[SIZE];\nb[i] = a[i + 1]; /* [note] */\n" * 2000
    assert wpcontent.expand_shortcodes(code) == code
    assert wpcontent.autop("<pre>a\n\nb</pre>\n\nc\n\n<pre>d\n\ne") == (
        "<pre>a\n\nb</pre>\n<p>c</p>\n<pre>d\n<p>e</p>"
    )  # an unclosed <pre> is paragraphed like any text, as before
    assert (
        wpcontent.article_html("x<script>alert(1)</script>y<style>p{}</style>z<script>never closed")
        == "<p>xyz<script>never closed</p>"
    )  # sanitized afterwards, as every body is


def test_a_block_editor_post_is_shown_as_written():
    """WordPress makes paragraphs only of classic posts, not of blocks."""
    content = (
        "<!-- wp:html -->\n<b>test</b>\n<!-- /wp:html -->\n\n"
        '<!-- wp:image -->\n<img src="https://x.example/a.png">\n<!-- /wp:image -->\n\n'
        "<!-- wp:gallery --><figure><figcaption>A caption wrapped\nover two lines"
        "</figcaption></figure><!-- /wp:gallery -->"
    )
    shown = wpcontent.article_html(content)
    assert "<br>" not in shown and "<p>" not in shown
    assert "A caption wrapped\nover two lines" in shown


def visible_lines(fragment: str) -> list[str]:
    """The lines a browser shows: each block's text, stripped."""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for block in root.iter("p", "li", "blockquote", "pre", "h2", "h3", "td", "th", "figcaption"):
        block.tail = "\n" + (block.tail or "")
        if block.text:
            block.text = "\n" + block.text
    return [line.strip() for line in root.text_content().split("\n") if line.strip()]


def test_headings_and_tables_a_comment_cannot_hold_keep_their_lines():
    shown = wpcontent.comment_html(
        "Source\n<h2>Tables</h2>\n<table>\n<tr><td>Cell</td><td>Two</td></tr>\n</table>\n"
        "<h2>Lists</h2>\nMore"
    )
    assert "<h2" not in shown and "<table" not in shown  # not a comment's to have
    assert visible_lines(shown) == ["Source", "Tables", "Cell Two", "Lists", "More"]


def test_blocks_an_article_cannot_hold_keep_their_lines():
    shown = nh3.clean(
        wpcontent.article_html("Intro\n<div>one</div>\n<div>two</div>\n<h1>Big</h1>\nEnd"),
        tags={"p", "br", "h2"},
    )
    assert visible_lines(shown) == ["Intro", "one", "two", "Big", "End"]


def test_a_greater_than_sign_in_an_attribute_does_not_end_the_tag():
    shown = wpcontent.comment_html('<h3 title="x > y">Heading</h3>\nText')
    assert visible_lines(shown) == ["Heading", "Text"]
    article = wpcontent.article_html("Intro\n<div title='a>b'>x</div>\nEnd")
    assert "b'>" not in article and 'b">' not in article


@pytest.mark.parametrize(
    "cite",
    ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
     "vbscript:msgbox(1)"],
)  # fmt: skip
def test_a_quotes_cite_address_is_checked_like_a_link(cite):
    # nh3 checks the schemes of href and src, not of cite.
    quoted = f'<blockquote cite="{cite}">Quoted</blockquote>'
    for html in (wpcontent.comment_html(quoted), sanitize_html(wpcontent.article_html(quoted))):
        assert "<blockquote>" in html and "Quoted" in html
        assert "cite" not in html


@pytest.mark.parametrize(
    ("style", "kept"),
    [("text-align:expression(alert(1))", None), ("text-align:url(javascript:x)", None),
     ("text-align: Center;", "text-align:center"),
     ("color:red; text-align:right", "text-align:right"),
     ("text-align:left;background:url(javascript:x)", "text-align:left")],
)  # fmt: skip
def test_a_cells_style_keeps_only_an_alignment_keyword(style, kept):
    # nh3 keeps an allowed property whatever its value, expression() included.
    html = sanitize_html(f'<table><tr><td style="{style}">cell</td></tr></table>')
    assert "<td" in html and "cell" in html
    assert (f'<td style="{kept}">' if kept else "<td>") in html


def test_a_quotes_web_address_stays():
    html = wpcontent.comment_html('<blockquote cite="https://ok.test/a">Quoted</blockquote>')
    assert '<blockquote cite="https://ok.test/a">' in html


def test_a_comment_nested_thousands_deep_keeps_its_words_but_not_its_depth():
    # Only an import file can hold such HTML; sanitized as it is, it held an import's
    # write lock for minutes. A comment quoting a few levels deep is shown as before.
    n = 3_000
    deep = "".join(f"<blockquote>w{i} " for i in range(n)) + "</blockquote>" * n
    html = wpcontent.comment_html(deep)
    assert re.findall(r"w\d+", html) == [f"w{i}" for i in range(n)]
    assert written_depth(html) == NESTING_LIMIT
    unclosed = wpcontent.comment_html("<blockquote>" * n + "words")
    assert "words" in unclosed and written_depth(unclosed) <= NESTING_LIMIT
    quotes = "<blockquote>Quoted\n<blockquote>quoted <b>back</b></blockquote>\n</blockquote>\nYes."
    assert wpcontent.comment_html(quotes) == (
        "<blockquote><p>Quoted</p>\n<blockquote><p>quoted <strong>back</strong></p>"
        "</blockquote>\n</blockquote>\n<p>Yes.</p>"
    )


def test_html_within_the_limit_is_sanitized_exactly_as_without_it(monkeypatch):
    # Enough tags to be read through (a short text cannot nest that deep), five
    # quotes deep, with lists and paragraphs whose end tags are left out.
    quotes = "".join(f"<blockquote cite='https://q.test/{i}'>Level {i}\n\n" for i in range(5))
    body = quotes + "<ul>" + "<li>one <b>two</b> <i>three</i>" * 40 + "</ul>" + "</blockquote>" * 5
    body += "<p>Then <a href='https://x.test/'>a link</a>" * 40
    with_limit = wpcontent.comment_html(body), sanitize_html(body)
    monkeypatch.setattr(wpcontent, "limit_nesting", lambda html: html)
    monkeypatch.setattr(markup, "limit_nesting", lambda html: html)
    assert (wpcontent.comment_html(body), sanitize_html(body)) == with_limit
    assert written_depth(with_limit[0]) == 8


def test_an_article_nested_thousands_deep_is_still_sanitized():
    n = 3_000
    body = (
        "<blockquote>" * n
        + '<p>kept <script>alert("deep")</script><a href="javascript:alert(1)">link</a>'
        + '<img src="https://x.test/a.png" onerror="alert(2)"></p>'
        + "</blockquote>" * n
        + "<p>after</p>"
    )
    for html in (sanitize_html(body), sanitize_html(wpcontent.article_html(body))):
        assert "kept" in html and "link" in html and "<p>after</p>" in html
        assert "script" not in html and "alert" not in html and "javascript" not in html
        assert '<img src="https://x.test/a.png">' in html
        assert written_depth(html) <= NESTING_LIMIT
