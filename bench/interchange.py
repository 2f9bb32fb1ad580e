"""Benchmark: import a WordPress export of 2,000 posts and 100,000 comments.

    .venv/bin/python bench/interchange.py [--posts 2000] [--comments 100000] [--train]

Writes a WXR file into a temporary directory, then runs
``broadsheet import wxr`` on it in a fresh SQLite data directory, in a
separate process, and reports the wall time and that process's peak memory
(``ru_maxrss`` of the children). Targets: under 60 s and under 300 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
\t<title>Bench Gazette</title>
\t<link>https://bench.example.com</link>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>https://bench.example.com</wp:base_site_url>
\t<wp:base_blog_url>https://bench.example.com</wp:base_blog_url>
\t<wp:author><wp:author_id>1</wp:author_id>
\t\t<wp:author_login><![CDATA[editor]]></wp:author_login>
\t\t<wp:author_email><![CDATA[editor@bench.example.com]]></wp:author_email>
\t\t<wp:author_display_name><![CDATA[The Editor]]></wp:author_display_name></wp:author>
\t<wp:category><wp:term_id>1</wp:term_id>
\t\t<wp:category_nicename><![CDATA[news]]></wp:category_nicename>
\t\t<wp:category_parent><![CDATA[]]></wp:category_parent>
\t\t<wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>
"""

APPROVAL = ["1"] * 16 + ["0", "spam", "trash", "1"]
WORDS = [
    "the",
    "council",
    "voted",
    "again",
    "on",
    "the",
    "budget",
    "and",
    "readers",
    "disagree",
    "about",
    "what",
    "it",
    "means",
    "שלום",
    "مرحبا",
    "🎉",
    "for",
    "the",
    "city",
    "and",
    "its",
    "schools",
]


def comment_xml(post_id: int, cid: int, parent: int, n: int) -> str:
    text = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(40))
    minute = n % 60
    return f"""\t\t<wp:comment>
\t\t\t<wp:comment_id>{cid}</wp:comment_id>
\t\t\t<wp:comment_author><![CDATA[Reader {n % 997}]]></wp:comment_author>
\t\t\t<wp:comment_author_email><![CDATA[reader{n % 997}@example.org]]></wp:comment_author_email>
\t\t\t<wp:comment_author_url></wp:comment_author_url>
\t\t\t<wp:comment_author_IP><![CDATA[203.0.113.{n % 250}]]></wp:comment_author_IP>
\t\t\t<wp:comment_date><![CDATA[2020-01-01 10:{minute:02d}:00]]></wp:comment_date>
\t\t\t<wp:comment_date_gmt><![CDATA[2020-01-01 08:{minute:02d}:{n % 60:02d}]]></wp:comment_date_gmt>
\t\t\t<wp:comment_content><![CDATA[{text}

Second paragraph of comment {cid}.]]></wp:comment_content>
\t\t\t<wp:comment_approved><![CDATA[{APPROVAL[n % len(APPROVAL)]}]]></wp:comment_approved>
\t\t\t<wp:comment_type><![CDATA[{"pingback" if n % 97 == 0 else "comment"}]]></wp:comment_type>
\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
\t\t</wp:comment>
"""


def generate(path: Path, posts: int, comments: int) -> None:
    per_post = comments // posts
    cid = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for post_id in range(1, posts + 1):
            out.write(f"""\t<item>
\t\t<title><![CDATA[Story number {post_id}]]></title>
\t\t<link>https://bench.example.com/2020/01/01/story-{post_id}/</link>
\t\t<dc:creator><![CDATA[editor]]></dc:creator>
\t\t<content:encoded><![CDATA[<p>Body of story {post_id}.</p>
<!--more-->
More of the story, with a [caption]<img src="https://bench.example.com/a.jpg" alt="">
A caption[/caption].]]></content:encoded>
\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>
\t\t<wp:post_id>{post_id}</wp:post_id>
\t\t<wp:post_date><![CDATA[2020-01-01 10:00:00]]></wp:post_date>
\t\t<wp:post_date_gmt><![CDATA[2020-01-01 08:00:00]]></wp:post_date_gmt>
\t\t<wp:comment_status><![CDATA[open]]></wp:comment_status>
\t\t<wp:post_name><![CDATA[story-{post_id}]]></wp:post_name>
\t\t<wp:status><![CDATA[publish]]></wp:status>
\t\t<wp:post_type><![CDATA[post]]></wp:post_type>
\t\t<wp:post_password><![CDATA[]]></wp:post_password>
\t\t<category domain="category" nicename="news"><![CDATA[News]]></category>
""")
            first = cid + 1
            for i in range(per_post):
                cid += 1
                # A third of the comments reply to the one before (threads several deep).
                parent = cid - 1 if i % 3 and cid - 1 >= first else 0
                out.write(comment_xml(post_id, cid, parent, cid))
            out.write("\t</item>\n")
        out.write("</channel>\n</rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--train", action="store_true", help="Also train the moderation filter.")
    args = parser.parse_args()
    broadsheet = shutil.which("broadsheet") or str(Path(sys.executable).with_name("broadsheet"))
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as tmp:
        tmpdir = Path(tmp)
        wxr = tmpdir / "export.xml"
        started = time.perf_counter()
        generate(wxr, args.posts, args.comments)
        print(
            f"generated {wxr.stat().st_size / 1e6:.1f} MB WXR ({args.posts} posts, "
            f"{args.comments} comments) in {time.perf_counter() - started:.1f} s"
        )
        env = {**os.environ, "BROADSHEET_DATA_DIR": str(tmpdir / "data")}
        env.pop("BROADSHEET_DATABASE_URL", None)
        subprocess.run([broadsheet, "migrate", "-v0"], env=env, check=True)
        baseline = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        command = [broadsheet, "import", "wxr", str(wxr)]
        if not args.train:
            command.append("--no-train")
        started = time.perf_counter()
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(result.stdout)
        if result.returncode:
            print(result.stderr, file=sys.stderr)
            sys.exit(result.returncode)
        print(f"import wall time: {elapsed:.1f} s (target < 60 s)")
        print(
            f"import peak memory: {peak / 1024:.0f} MB (target < 300 MB; "
            f"migrate alone peaked at {baseline / 1024:.0f} MB)"
        )


if __name__ == "__main__":
    main()
