"""Broken and hostile files fail fast, say where, and change nothing."""

from __future__ import annotations

import re
import time

import pytest
from django.core.management.base import CommandError

from broadsheet.discussion.models import Comment
from broadsheet.interchange import xmlstream
from broadsheet.nesting import NESTING_LIMIT
from broadsheet.newsroom.models import Article, Author, Section
from tests.interchange.conftest import SAMPLES, run_import, tally
from tests.test_nesting import written_depth


def nothing_written() -> bool:
    return not (
        Article.objects.exists()
        or Comment.objects.exists()
        or Author.objects.exists()
        or Section.objects.exists()
    )


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_entity_declarations_are_refused_before_anything_is_read(db, name):
    started = time.monotonic()
    with pytest.raises(CommandError, match="line 1: the file declares a DOCTYPE"):
        run_import("wxr", SAMPLES / name)
    assert time.monotonic() - started < 2
    assert nothing_written()


def test_external_entity_is_refused_for_disqus_too(db):
    with pytest.raises(CommandError, match="DOCTYPE"):
        run_import("disqus", SAMPLES / "external-entity.xml")


def test_truncated_file_names_the_line_and_changes_nothing(db):
    with pytest.raises(CommandError) as failure:
        run_import("wxr", SAMPLES / "truncated.xml")
    message = str(failure.value)
    lines = (SAMPLES / "truncated.xml").read_text().count("\n") + 1
    assert f"line {lines}:" in message
    assert "Nothing was imported" in message
    assert nothing_written()


def test_an_unfinished_cdata_section_is_reported_on_one_line(db, tmp_path):
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    cut = tmp_path / "cut.xml"
    # Cut inside a comment's CDATA section, as a download that stopped early is.
    at = text.index("<![CDATA[Binned.") + len("<![CDATA[")
    cut.write_text(text[:at] + "A private remark that no error message should repeat")
    with pytest.raises(CommandError) as failure:
        run_import("wxr", cut)
    message = str(failure.value)
    assert "CData section not finished" in message and "Nothing was imported" in message
    # libxml2 follows its message with the file's text; the file's words are not quoted.
    assert "private remark" not in message and "\n" not in message.split("Nothing")[0]
    assert nothing_written()


def test_break_late_in_the_file_rolls_everything_back(db, tmp_path):
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    broken = tmp_path / "broken.xml"
    # Well-formed up to the last item, whose title holds a tag never closed.
    broken.write_text(text.replace("<title><![CDATA[cat]]></title>", "<title>cat <b>dog</title>"))
    with pytest.raises(CommandError, match=r"line \d+: not well-formed XML"):
        run_import("wxr", broken)
    assert nothing_written()


def test_a_file_that_is_not_wxr_is_refused(db):
    with pytest.raises(CommandError, match="not a WordPress export"):
        run_import("wxr", SAMPLES / "disqus.xml")
    with pytest.raises(CommandError, match="not a Disqus export"):
        run_import("disqus", SAMPLES / "wordpress-1.2.xml")


def test_rss_without_a_wxr_version_is_refused(db, tmp_path):
    plain = tmp_path / "feed.xml"
    plain.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                     "<item><title>x</title></item></channel></rss>")  # fmt: skip
    with pytest.raises(CommandError, match="wxr_version"):
        run_import("wxr", plain)


def test_missing_file_and_unknown_format_are_user_errors(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run_import("wxr", tmp_path / "nope.xml")
    with pytest.raises(CommandError, match="is a directory"):
        run_import("wxr", tmp_path)
    with pytest.raises(CommandError, match="invalid choice"):
        run_import("blogger", SAMPLES / "wordpress-1.2.xml")


def test_control_characters_are_blanked_as_wordpress_does(db, tmp_path):
    text = (SAMPLES / "wordpress-1.0.xml").read_text()
    dirty = tmp_path / "dirty.xml"
    dirty.write_text(text.replace("Hi, this is a comment.", "Hi,\x0bthis is\x1b a comment."))
    output = run_import("wxr", dirty, "--no-train")
    assert "2 control characters XML cannot hold were replaced by spaces" in output
    assert Comment.objects.get(author_name="Mr WordPress").body == "Hi, this is  a comment."


def test_a_namespace_prefix_used_without_its_declaration_is_read_as_wordpress_does(db, tmp_path):
    # WordPress.com's exports of 2011-2012 write <atom:link> without declaring atom:
    # libxml2 calls that an error, WordPress's importer reads the file.
    text = (SAMPLES / "wordpress-1.0.xml").read_text()
    text = text.replace(
        "<channel>", '<channel>\n\t<atom:link rel="search" href="https://x.test/osd.xml" />', 1
    )
    forgetful = tmp_path / "forgetful.xml"
    forgetful.write_text(text)
    run_import("wxr", forgetful, "--no-train")
    assert Comment.objects.get(author_name="Mr WordPress").body == "Hi, this is a comment."
    # A file that is not well-formed is still refused, naming its line.
    broken = tmp_path / "broken.xml"
    broken.write_text(text.replace("</channel>", "</chanel>"))
    with pytest.raises(CommandError, match=r"line \d+: not well-formed XML"):
        run_import("wxr", broken, "--no-train")


def test_a_disqus_file_given_as_wordpress_says_what_it_is(db):
    with pytest.raises(CommandError, match=r"it starts with <disqus>, not <rss>"):
        run_import("wxr", SAMPLES / "disqus.xml")
    assert nothing_written()


PHP_WARNING = (
    "<br />\n<b>Warning</b>:  Cannot modify header information - headers already sent by "
    "(output started at /var/www/wp-content/themes/news/functions.php:52) in "
    "<b>/var/www/wp-admin/includes/export.php</b> on line <b>34</b><br />\n"
)


@pytest.mark.parametrize(
    ("before", "note"),
    [
        ("\n\n", "lines 1-2: blank lines before the XML declaration ignored"),
        (PHP_WARNING, "lines 1-2: text (most often a PHP warning printed into the export)"),
    ],
)
def test_what_a_site_printed_before_the_export_is_ignored_as_wordpress_does(
    db, tmp_path, before, note
):
    # A theme's stray blank line or a plugin's PHP warning lands before <?xml ...?>:
    # libxml2 refuses such a file, WordPress's importer reads it.
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    printed = tmp_path / "printed.xml"
    printed.write_text(before + text)
    output = run_import("wxr", printed, "--no-train")
    assert note in output
    imported = Comment.objects.count()
    assert imported > 0
    # The same file without what was printed finds everything already there.
    plain = run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    assert Comment.objects.count() == imported
    assert "declaration ignored" not in plain
    # Line numbers in the other notes are the file's own.
    assert "line 189: comment 120 on post 10" in plain
    assert "line 191: comment 120 on post 10" in output


def test_a_declaration_quoted_in_a_post_of_a_file_without_one_is_left_alone(db, tmp_path):
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    text = text.split("\n", 1)[1]  # no declaration of its own
    text = text.replace(
        "<content:encoded><![CDATA[",
        '<content:encoded><![CDATA[<pre>&lt;?xml version="1.0"?&gt;</pre> <?xml version="1.0"?>',
        1,
    )
    quoted = tmp_path / "quoted.xml"
    quoted.write_text(text)
    output = run_import("wxr", quoted, "--no-train")
    assert "declaration ignored" not in output
    assert Article.objects.filter(body__contains='<?xml version="1.0"?>').exists()


def test_text_after_the_export_is_ignored_but_a_second_export_is_refused(db, tmp_path):
    text = (SAMPLES / "disqus.xml").read_text()
    trailing = tmp_path / "trailing.xml"
    trailing.write_text(text.rstrip() + "\n<script src='/debug-bar.js'></script>\nDone.\n")
    lines = text.rstrip().count("\n") + 2
    output = run_import("disqus", trailing, "--create-missing", "--no-train")
    assert f"line {lines}: text after the end of the export ignored" in output
    assert Comment.objects.exists()

    wordpress = (SAMPLES / "wordpress-1.2.xml").read_text()
    rest = wordpress.split("\n", 1)[1]  # the same export without its declaration
    for second in (wordpress, rest):
        both = tmp_path / "both.xml"
        both.write_text(wordpress + second)
        with pytest.raises(CommandError, match=r"line \d+: .*(another export|XML declaration)"):
            run_import("wxr", both, "--no-train")
    assert not Article.objects.filter(origin__startswith="wxr:").exists()


def test_bare_ampersands_and_html_entity_names_are_read_as_wordpress_reads_them(db, tmp_path):
    # Files written by hand or by other tools: libxml2 refuses "Tom & Jerry" and
    # "&nbsp;" outside CDATA, WordPress's importer reads them. Inside CDATA, as is.
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    janes = text.count("<wp:comment_author><![CDATA[Jane Doe]]>")
    text = text.replace(
        "<title><![CDATA[Coming soon]]></title>",
        "<title>Tom & Jerry&nbsp;&hellip; &bogus; &amp;</title>",
    ).replace("<wp:comment_author><![CDATA[Jane Doe]]>", "<wp:comment_author>Jane & John Doe")
    loose = tmp_path / "loose.xml"
    loose.write_text(text)
    output = run_import("wxr", loose, "--no-train")
    assert f"{2 + janes} bare '&' read as text and 2 HTML entity names" in output
    assert Article.objects.filter(title="Tom & Jerry\xa0\u2026 &bogus; &").exists()
    assert Comment.objects.filter(author_name="Jane & John Doe").exists()


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64])
def test_ampersands_cut_between_two_reads_are_read_as_whole(size):
    document = (
        b'<t a="?x=1&y=2">Tom & Jerry &nbsp;&amp;&#8217;&bogus;'
        b"<![CDATA[ & &nbsp; ]]]]><![CDATA[> & ]]><!-- & <![CDATA[ --> &" + b"a" * 60 + b";</t>"
    )
    expected = (
        b'<t a="?x=1&amp;y=2">Tom &amp; Jerry &#160;&amp;&#8217;&amp;bogus;'
        b"<![CDATA[ & &nbsp; ]]]]><![CDATA[> & ]]><!-- & <![CDATA[ --> &amp;" + b"a" * 60 + b";</t>"
    )
    reader = xmlstream.Ampersands(xmlstream.Repairs())
    pieces = [document[i : i + size] for i in range(0, len(document), size)]
    read = b"".join(reader.feed(piece, final=False) for piece in pieces)
    assert read + reader.feed(b"", final=True) == expected


def test_a_cdata_end_the_export_did_not_escape_is_read_as_text(db, tmp_path):
    # An export that wrote a post's text in CDATA without escaping "]]>" in it: a
    # script's "//]]>" ends the section early, and libxml2 then refuses the file at
    # the markup that follows (</script>, closing no element of the file's). WordPress's
    # importer reads the text up to the element's end; so does this one.
    script = '<script type="text/javascript">//<![CDATA[\nvar n = 1;\n//]]></script>'
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    text = text.replace("<![CDATA[Not ready yet.]]>", f"<![CDATA[Not ready yet.\n{script}]]>")
    text = text.replace("<![CDATA[Fourth level.]]>", "<![CDATA[Fourth ]]> level ]]>]]>")
    # WordPress's own escape, beside the unescaped ones, stays as it is.
    text = text.replace("<![CDATA[Fifth level.]]>", "<![CDATA[Fifth ]]]]><![CDATA[> level.]]>")
    old = tmp_path / "old.xml"
    old.write_text(text, encoding="utf-8")
    output = run_import("wxr", old, "--no-train")
    assert "3 ']]>' inside text" in output
    assert Article.objects.get(origin="wxr:https://gazette.example.com#11").body == (
        f"Not ready yet.\n{script}"
    )
    assert Comment.objects.filter(body="Fourth ]]> level ]]>").exists()
    assert Comment.objects.filter(body="Fifth ]]> level.").exists()


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 64, 4096])
def test_cdata_ends_cut_between_two_reads_are_read_as_whole(size):
    document = (
        b"<r><a x='1'>\n <![CDATA[//<![CDATA[ x //]]></script> & ]]> ]]>\n </a>"
        # Mixed content: the section ends at its "]]>", the text after it is the element's.
        b"<b><![CDATA[one]]> two &amp; three</b>"
        # WordPress's escape, and a section in no element's whole text.
        b"<c><![CDATA[ ]]]]><![CDATA[> ]]></c><d>t <![CDATA[ u ]]> v</d></r>"
    )
    expected = (
        b"<r><a x='1'>\n <![CDATA[//<![CDATA[ x //]]]]><![CDATA[></script> & ]]]]><![CDATA[> ]]>"
        b"\n </a><b><![CDATA[one]]> two &amp; three</b>"
        b"<c><![CDATA[ ]]]]><![CDATA[> ]]></c><d>t <![CDATA[ u ]]> v</d></r>"
    )
    repairs = xmlstream.Repairs()
    reader = xmlstream.Ampersands(repairs)
    pieces = [document[i : i + size] for i in range(0, len(document), size)]
    read = b"".join(reader.feed(piece, final=False) for piece in pieces)
    assert read + reader.feed(b"", final=True) == expected
    assert repairs.cdata_ends == 2


def test_a_line_break_in_an_imported_name_or_title_becomes_a_space(db, tmp_path):
    # An encoded carriage return survives XML (which turns a raw one into \n): the form
    # refuses a name on two lines, and an export then import would change it.
    text = (SAMPLES / "wordpress-1.2.xml").read_text()
    text = text.replace("<![CDATA[Jane Doe]]>", "<![CDATA[Jane&#x0D;Doe]]>").replace(
        "<title><![CDATA[Coming soon]]></title>", "<title>Coming&#13;&#10;soon</title>"
    )
    broken = tmp_path / "lines.xml"
    broken.write_text(text)
    run_import("wxr", broken, "--no-train")
    assert Comment.objects.filter(author_name="Jane Doe").exists()
    assert not Comment.objects.filter(author_name__contains="\r").exists()
    assert Article.objects.filter(title="Coming soon").exists()
    disqus = tmp_path / "d.xml"
    disqus.write_text((SAMPLES / "disqus.xml").read_text().replace("<name>", "<name>Two&#13;", 1))
    run_import("disqus", disqus, "--create-missing", "--no-train")
    assert not Comment.objects.filter(author_name__regex=r"[\r\n]").exists()


def test_bytes_that_are_not_utf8_are_read_as_windows_1252_with_a_note(db, tmp_path):
    # An old site's database held text pasted from Windows programs; its export says
    # UTF-8. libxml2 refuses the file at the first such byte, and nothing would come in.
    raw = (SAMPLES / "wordpress-1.2.xml").read_bytes()
    line = raw[: raw.index(b"Binned.")].count(b"\n") + 1
    raw = raw.replace(b"Binned.", b"Binn\xe9d: \x93caf\xe9\x94 \x80 \x81 ol\xc3\xa9", 1)
    mixed = tmp_path / "mixed.xml"
    mixed.write_bytes(raw)
    output = run_import("wxr", mixed, "--no-train")
    assert (
        f"6 bytes that are not UTF-8, though the file says it is (the first on line {line})"
        in output
    )
    # Valid UTF-8 beside them ("olé") is read as UTF-8; 0x81, which Windows-1252 leaves
    # unassigned, is the control character U+0081, as browsers read it.
    body = "Binnéd: \u201ccafé\u201d € \x81 olé"
    assert Comment.objects.filter(body=body).count() == 1
    assert tally(output, "comments") == [18, 18, 0, 0, 0]  # as from the file before


def test_a_file_that_names_another_encoding_is_read_in_it(db, tmp_path):
    raw = (SAMPLES / "wordpress-1.2.xml").read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8" ?>')
    # Its other text is read as Latin-1 too (this sample is UTF-8: mojibake there).
    declared = raw.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1)
    path = tmp_path / "latin.xml"
    path.write_bytes(declared.replace(b"Binned.", b"Binn\xe9d.", 1))
    output = run_import("wxr", path, "--no-train")
    assert "not UTF-8" not in output
    assert Comment.objects.filter(body="Binnéd.").exists()


@pytest.mark.parametrize("size", [1, 2, 3, 5, 64])
def test_characters_cut_between_two_reads_are_read_as_whole(size):
    document = "<t>olé ☃ 🎉 ".encode() + b"caf\xe9 \xe2\x82 " + "€</t>".encode()
    expected = "<t>olé ☃ 🎉 café â‚ €</t>".encode()
    reader = xmlstream.MisEncoded(xmlstream.Repairs())
    pieces = [document[i : i + size] for i in range(0, len(document), size)]
    read = b"".join(reader.feed(piece, final=False) for piece in pieces)
    assert read + reader.feed(b"", final=True) == expected


def test_html_nested_thousands_deep_is_imported_whole_with_its_depth_limited(db, tmp_path):
    # Sanitized as it came, such a comment held the import's write lock for minutes.
    n = 3_000
    comment = "".join(f"<blockquote>c{i} " for i in range(n)) + "</blockquote>" * n
    post = "".join(f"<div>p{i} " for i in range(n))  # never closed
    text = (SAMPLES / "wordpress-1.0.xml").read_text()
    text = text.replace("Hi, this is a comment.", comment)
    text = text.replace("Welcome to WordPress. This is your first post.", post)
    deep = tmp_path / "deep.xml"
    deep.write_text(text)
    run_import("wxr", deep, "--no-train")
    stored = Comment.objects.get(author_name="Mr WordPress")
    assert stored.body == comment  # the source is kept as written
    assert re.findall(r"c\d+", stored.body_html) == [f"c{i}" for i in range(n)]
    assert written_depth(stored.body_html) == NESTING_LIMIT
    article = Article.objects.get(title="Hello world!")
    assert re.findall(r"p\d+", article.body_html) == [f"p{i}" for i in range(n)]
    assert written_depth(article.body_html) <= NESTING_LIMIT


def test_a_post_of_more_than_ten_megabytes_is_read_as_wordpress_reads_it(db, tmp_path):
    # A picture pasted into the editor is stored in the post as a data: address; a few
    # of them take a post past libxml2's 10 MB limit on one text.
    picture = '<img src="data:image/png;base64,' + "iVBORw0KGgo" * 1_000_000 + '">'
    text = (SAMPLES / "wordpress-1.0.xml").read_text()
    text = text.replace("Welcome to WordPress. This is your first post.", f"Look: {picture}")
    big = tmp_path / "big.xml"
    big.write_text(text)
    run_import("wxr", big, "--no-train")
    assert Article.objects.get(title="Hello world!").body == f"Look: {picture}"
