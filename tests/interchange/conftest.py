"""Helpers for the import and export tests: run the commands as an operator does."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

SAMPLES = Path(__file__).resolve().parent / "samples"


def run_import(fmt: str, path: Path | str, *args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("import", fmt, str(path), *args, stdout=out, stderr=err)
    return out.getvalue()


def run_export(fmt: str, *args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("export", fmt, *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def wxr_site(db):
    """The main WordPress sample, imported."""
    return run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")


def tally(output: str, kind: str) -> list[int]:
    """found, created, updated, skipped, errors for ``kind`` from a summary."""
    for line in output.splitlines():
        parts = line.split()
        if parts and parts[0] == kind:
            return [int(n) for n in parts[1:6]]
    raise AssertionError(f"no {kind} line in:\n{output}")


# A small WordPress export that a test writes for itself.
WXR_BLOG = "https://catchup.example.com"


def wxr_comment(
    cid: int,
    text: str,
    *,
    approved: str = "1",
    kind: str = "",
    parent: int = 0,
    meta: dict[str, str] | None = None,
) -> str:
    metas = "".join(
        f"<wp:commentmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:commentmeta>"
        for key, value in (meta or {}).items()
    )
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author>Reader {cid}</wp:comment_author>"
        f"<wp:comment_author_email>r{cid}@example.org</wp:comment_author_email>"
        f"<wp:comment_date_gmt>2020-01-0{cid % 9 + 1} 10:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[{text}]]></wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved>"
        f"<wp:comment_type>{kind}</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent>{metas}</wp:comment>"
    )


def wxr_post(
    pid: int,
    title: str,
    body: str,
    *,
    slug: str,
    post_type: str = "post",
    open_: str = "open",
    category: str = "news",
    tag: str = "local",
    comments: str = "",
    meta: dict[str, str] | None = None,
) -> str:
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        for key, value in (meta or {}).items()
    )
    return (
        f"<item><title>{title}</title><link>{WXR_BLOG}/{slug}/</link>"
        f"<dc:creator>dana</dc:creator>"
        f'<category domain="category" nicename="{category}">{category.title()}</category>'
        f'<category domain="post_tag" nicename="{tag}">{tag.title()}</category>'
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<wp:post_id>{pid}</wp:post_id><wp:post_name>{slug}</wp:post_name>"
        "<wp:post_date_gmt>2020-01-01 09:00:00</wp:post_date_gmt>"
        "<wp:post_modified_gmt>2020-01-01 09:00:00</wp:post_modified_gmt>"
        f"<wp:comment_status>{open_}</wp:comment_status><wp:status>publish</wp:status>"
        f"<wp:post_type>{post_type}</wp:post_type>{metas}{comments}</item>"
    )


def wxr_file(tmp_path, name: str, *items: str):
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title>'
        f"<link>{WXR_BLOG}</link><wp:wxr_version>1.2</wp:wxr_version>"
        f"<wp:base_site_url>{WXR_BLOG}</wp:base_site_url><wp:base_blog_url>{WXR_BLOG}</wp:base_blog_url>"
        f"{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )
    return path
