"""Exports as they arrive: a WordPress.com .zip of several files, a gzipped Disqus
export, a site split into files given together; and archives that must be refused."""

from __future__ import annotations

import gzip
import re
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from broadsheet.discussion.actions import reserve_ids
from broadsheet.discussion.models import Comment
from broadsheet.interchange import sources
from broadsheet.newsroom.models import Article, Redirect
from tests.interchange.conftest import SAMPLES, run_import, tally

BLOG = "https://split.example.com"


def wxr(items: str, blog: str = BLOG) -> str:
    """One file of a WordPress.com export: the channel's header, then its share of posts."""
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Split</title>\n'
        f"<link>{blog}</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n"
        "<wp:base_site_url>http://wordpress.com/</wp:base_site_url>\n"
        f"<wp:base_blog_url>{blog}</wp:base_blog_url>\n"
        "<wp:author><wp:author_id>3</wp:author_id><wp:author_login><![CDATA[dana]]>"
        "</wp:author_login></wp:author>\n"
        f"{items}</channel>\n</rss>\n"
    )


def item(post_id: int, slug: str, comments: str = "") -> str:
    return (
        f"<item>\n<title>{slug.title()}</title>\n<link>{BLOG}/2019/01/{slug}/</link>\n"
        "<dc:creator><![CDATA[dana]]></dc:creator>\n"
        f"<content:encoded><![CDATA[About {slug}.]]></content:encoded>\n"
        f"<wp:post_id>{post_id}</wp:post_id>\n"
        "<wp:post_date_gmt>2019-01-05 10:00:00</wp:post_date_gmt>\n"
        f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>\n"
        f"<wp:post_type>post</wp:post_type>\n{comments}</item>\n"
    )


def comment(cid: int, parent: int = 0, user: int = 0) -> str:
    return (
        f"<wp:comment>\n<wp:comment_id>{cid}</wp:comment_id>\n"
        f"<wp:comment_author><![CDATA[Reader {cid}]]></wp:comment_author>\n"
        "<wp:comment_date_gmt>2019-01-05 11:00:00</wp:comment_date_gmt>\n"
        f"<wp:comment_content><![CDATA[Comment {cid}.]]></wp:comment_content>\n"
        "<wp:comment_approved>1</wp:comment_approved>\n"
        f"<wp:comment_parent>{parent}</wp:comment_parent>\n"
        f"<wp:comment_user_id>{user}</wp:comment_user_id>\n</wp:comment>\n"
    )


def site(base: int) -> tuple[str, str]:
    """Two files of one site whose comments were numbered across posts: the second file's
    are lower than the first file's highest, as on any blog split by post. Comment ids
    start past ``base``, ids the database has not given (PostgreSQL's sequence is not
    rolled back between tests)."""
    first = wxr(item(1, "alpha", comment(base + 5) + comment(base + 9, user=3)))
    second = wxr(
        item(2, "beta", comment(base + 7) + comment(base + 8, base + 7) + comment(base + 6, 99))
    )
    return first, second


FIRST, SECOND = site(0)


def write_zip(path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)


@pytest.fixture
def base(db) -> int:
    """Past the highest comment id the database has given out."""
    return reserve_ids(0) + 100


@pytest.fixture
def wordpress_com_zip(tmp_path, base):
    first, second = site(base)
    path = tmp_path / "split.wordpress.2019-02-01.zip"
    write_zip(
        path,
        {
            # Written as WordPress.com names them; read in the order of their names.
            "split.wordpress.2019-02-01.001.xml": second,
            "split.wordpress.2019-02-01.000.xml": first,
            # What macOS adds when it makes an archive, and a name that points outside.
            "__MACOSX/._split.wordpress.2019-02-01.000.xml": "\x00\x05\x16\x07",
            "notes/readme.txt": "not an export",
        },
    )
    return path


def assert_one_site_with_every_id(base: int) -> None:
    assert Article.objects.count() == 2
    assert sorted(Comment.objects.values_list("pk", flat=True)) == [base + n for n in range(5, 10)]
    assert Comment.objects.get(pk=base + 8).parent_id == base + 7
    # The first file's comment by the author its header lists: linked.
    assert Comment.objects.get(pk=base + 9).user.username == "dana"
    assert set(Redirect.objects.values_list("old_path", flat=True)) >= {
        "/2019/01/alpha/",
        "/2019/01/beta/",
    }


def test_the_files_an_archive_holds_are_named_once_each(base, wordpress_com_zip, tmp_path):
    err = StringIO()
    call_command(
        "import", "wxr", str(wordpress_com_zip), "--dry-run", stderr=err, stdout=StringIO()
    )
    first = err.getvalue().splitlines()[0]
    assert first == (
        f"{wordpress_com_zip} holds split.wordpress.2019-02-01.000.xml, "
        "split.wordpress.2019-02-01.001.xml"
    )
    # A gzipped file holds one export, under the archive's own name: nothing to list.
    packed = tmp_path / "forum-2019-all.xml.gz"
    packed.write_bytes(gzip.compress((SAMPLES / "disqus.xml").read_bytes()))
    err = StringIO()
    call_command("import", "disqus", str(packed), "--dry-run", stderr=err, stdout=StringIO())
    assert " holds " not in err.getvalue()


def test_a_wordpress_com_zip_of_several_files_is_imported_as_one_site(base, wordpress_com_zip):
    output = run_import("wxr", wordpress_com_zip, "--no-train")
    assert_one_site_with_every_id(base)
    assert "Every comment kept its WordPress id" in output
    assert tally(output, "comments") == [5, 5, 0, 0, 0]
    # A note says which file of the archive, and which line of it.
    assert f"{wordpress_com_zip}, split.wordpress.2019-02-01.001.xml, line " in output
    assert "replies to comment 99, which is not in the file" in output
    again = run_import("wxr", wordpress_com_zip, "--no-train")
    assert tally(again, "comments") == [5, 0, 0, 5, 0]
    assert tally(again, "posts") == [2, 0, 0, 2, 0]
    assert Comment.objects.count() == 5


def test_files_of_one_site_given_together_keep_every_comment_id(base, tmp_path):
    first, second = tmp_path / "site.000.xml", tmp_path / "site.001.xml"
    for path, text in zip((first, second), site(base), strict=True):
        path.write_text(text)
    run_import("wxr", first, second, "--no-train")
    assert_one_site_with_every_id(base)


def test_files_of_two_blogs_are_refused_together_and_nothing_is_written(db, tmp_path):
    path = tmp_path / "two.zip"
    write_zip(path, {"a.xml": FIRST, "b.xml": wxr("", blog="https://other.example.com")})
    with pytest.raises(
        CommandError, match=re.escape("b.xml is an export of https://other.example.com")
    ):
        run_import("wxr", path, "--no-train")
    assert not Article.objects.exists()


def test_a_broken_file_in_an_archive_is_named_with_its_line(db, tmp_path):
    path = tmp_path / "broken.zip"
    write_zip(path, {"a.xml": FIRST, "b.xml": SECOND.replace("</item>", "", 1)})
    with pytest.raises(CommandError, match=r"broken.zip, b.xml: line \d+: not well-formed"):
        run_import("wxr", path, "--no-train")
    assert not Article.objects.exists()


def test_a_gzipped_disqus_export_is_read_as_the_file_itself(db, tmp_path):
    path = tmp_path / "gazette-2019-02-01T10:00:00.000000-all.xml.gz"
    path.write_bytes(gzip.compress((SAMPLES / "disqus.xml").read_bytes()))
    output = run_import("disqus", path, "--no-train", "--create-missing")
    assert Comment.objects.filter(origin__startswith="disqus:gazette#").exists()
    plain = run_import("disqus", SAMPLES / "disqus.xml", "--no-train", "--create-missing")
    assert tally(plain, "comments")[0] == tally(output, "comments")[0] > 0
    assert tally(plain, "comments")[1] == 0  # the same posts: nothing new


@pytest.mark.parametrize("kind", ["zip", "gzip"])
def test_an_archive_that_unpacks_to_a_bombs_size_is_refused(db, tmp_path, monkeypatch, kind):
    monkeypatch.setattr(sources, "FLOOR", 10_000)
    bulky = FIRST.replace("About alpha.", "About alpha." + " " * 2_000_000)
    path = tmp_path / f"bomb.{kind}"
    if kind == "zip":
        write_zip(path, {"a.xml": bulky})
    else:
        path.write_bytes(gzip.compress(bulky.encode()))
    with pytest.raises(CommandError, match="unpacks to more than 100 times its compressed size"):
        run_import("wxr", path, "--no-train")
    assert not Article.objects.exists()


def test_a_zip_that_lies_about_its_size_is_refused_as_damaged(db, tmp_path, monkeypatch):
    path = tmp_path / "liar.zip"
    write_zip(path, {"a.xml": FIRST})
    data = bytearray(path.read_bytes())
    # Every record of the member's size (local header, central directory) says 100 bytes.
    size = len(FIRST).to_bytes(4, "little")
    assert data.count(size) == 2
    path.write_bytes(bytes(data).replace(size, (100).to_bytes(4, "little")))
    with pytest.raises(CommandError, match=r"liar\.zip, a\.xml: .*(damaged|not well-formed)"):
        run_import("wxr", path, "--no-train")
    assert not Article.objects.exists()


def test_archives_without_an_export_are_refused_clearly(db, tmp_path):
    empty = tmp_path / "empty.zip"
    write_zip(empty, {"readme.txt": "nothing"})
    with pytest.raises(CommandError, match=re.escape("the .zip archive holds no .xml file")):
        run_import("wxr", empty)
    cut = tmp_path / "cut.zip"
    write_zip(cut, {"a.xml": FIRST})
    cut.write_bytes(cut.read_bytes()[:-30])
    with pytest.raises(CommandError, match=re.escape("not a readable .zip archive")):
        run_import("wxr", cut)
    several = tmp_path / "several.zip"
    write_zip(several, {"a.xml": FIRST, "b.xml": SECOND})
    with pytest.raises(CommandError, match="a Disqus export is one"):
        run_import("disqus", several)
    with pytest.raises(CommandError, match="reads one file"):
        run_import("disqus", SAMPLES / "disqus.xml", SAMPLES / "disqus.xml")
