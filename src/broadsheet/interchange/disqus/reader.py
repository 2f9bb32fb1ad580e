"""Reading a Disqus export: its threads and posts, streamed, in file order.

A Disqus export is one ``<disqus xmlns="http://disqus.com">`` document holding
``<category>``, ``<thread dsq:id>`` (one per page that had comments, with its
``<link>``) and ``<post dsq:id>`` elements (comments, each naming its
``<thread dsq:id>`` and maybe its ``<parent dsq:id>``), in any order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from broadsheet.interchange.xmlstream import BrokenFile, Repairs, Source, events, release, split_tag


def _id(element) -> str:
    for name, value in element.attrib.items():
        if split_tag(name)[1] == "id":
            return value.strip()
    return ""


def _fields(element) -> dict[str, str]:
    out: dict[str, str] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = split_tag(child.tag)[1]
        if name == "author":
            for part in child:
                if isinstance(part.tag, str):
                    out[f"author.{split_tag(part.tag)[1]}"] = (part.text or "").strip()
        elif name in ("thread", "parent", "category"):
            out[name] = _id(child)
            # Disqus's documented example names some by text: <thread>1</thread>.
            out[f"{name}.text"] = (child.text or "").strip()
        elif name not in out:
            out[name] = child.text or ""
    return out


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() in ("true", "1", "yes")


def parse_time(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class Thread:
    dsq_id: str
    link: str
    title: str
    identifier: str
    created_at: datetime | None
    closed: bool
    line: int | None
    deleted: bool = False
    # The Disqus site (its short name) the thread belongs to.
    forum: str = ""


@dataclass
class Post:
    dsq_id: str
    thread: str
    parent: str
    message: str
    created_at: datetime | None
    deleted: bool
    spam: bool
    approved: bool | None
    name: str
    email: str
    username: str
    ip: str
    line: int | None
    # The post's key where it came from: "wp_id=834" for a comment Disqus's WordPress
    # plugin copied from WordPress.
    identifier: str = ""
    # What <thread>, <parent> and <createdAt> say as text: the thread's and the parent's
    # <id> when they have no dsq:id attribute, the time as written.
    thread_text: str = ""
    parent_text: str = ""
    created_text: str = ""


@dataclass
class Survey:
    forum: str = ""
    posts: int = 0
    # What was forgiven while reading (control characters, text around the XML).
    repairs: Repairs = field(default_factory=Repairs)
    threads: dict[str, Thread] = field(default_factory=dict)
    # Threads without a dsq:id attribute, which no post can name by it.
    unnamed: list[Thread] = field(default_factory=list)
    # How many posts name each thread.
    thread_posts: Counter[str] = field(default_factory=Counter)
    # A thread's <id> -> its dsq:id, or "" when several threads have that <id>.
    by_identifier: dict[str, str] = field(default_factory=dict)
    # The WordPress comments (``wordpress_id``) each thread's posts were copied from.
    wordpress_ids: dict[str, set[str]] = field(default_factory=dict)

    def same_page(self) -> dict[str, str]:
        """Threads holding copies of the same WordPress comments, each mapped to the first
        of them: Disqus's plugin sometimes exported one post's comments into a thread for
        each of its addresses (``/x/`` and ``/blog/x.html``), so they are one page."""
        order = {thread: n for n, thread in enumerate(self.threads)}
        owner: dict[str, str] = {}  # WordPress comment id -> the first thread holding it
        first: dict[str, str] = {}
        for thread in self.threads:
            held = self.wordpress_ids.get(thread, set())
            roots = {first.get(owner[wp], owner[wp]) for wp in held if wp in owner}
            if roots:
                first[thread] = min(roots, key=order.__getitem__)
            for wp in held:
                owner.setdefault(wp, thread)
        return first

    def thread_of(self, post: Post) -> str:
        """The dsq:id of the thread a post names: by the ``dsq:id`` attribute, or, as in
        Disqus's documented example (``<thread>1</thread>``), by the thread's ``<id>``."""
        if post.thread or not post.thread_text:
            return post.thread
        return self.by_identifier.get(post.thread_text, "")


def wordpress_id(identifier: str) -> str:
    """The WordPress comment id in a post's ``<id>``, as Disqus's plugin writes it
    (``wp_id=834``), else ""."""
    match = re.fullmatch(r"wp_id=(\d+)", identifier.strip())
    return match.group(1) if match else ""


def read(path: Source, repairs: Repairs | None = None):
    """Yield Thread and Post records in file order; raise BrokenFile on a broken file."""
    depth = 0
    checked = False
    for event, element in events(path, repairs=repairs):
        if event == "start":
            depth += 1
            if not checked:
                checked = True
                root = split_tag(element.tag)[1]
                if root != "disqus":
                    raise BrokenFile(
                        f"this is not a Disqus export: it starts with <{root}>",
                        element.sourceline,
                    )
            continue
        depth -= 1
        if depth != 1:
            continue
        name = split_tag(element.tag)[1] if isinstance(element.tag, str) else ""
        if name == "thread":
            f = _fields(element)
            yield Thread(
                dsq_id=_id(element),
                link=f.get("link", "").strip(),
                title=f.get("title", "").strip(),
                identifier=f.get("id", "").strip(),
                created_at=parse_time(f.get("createdAt", "")),
                closed=bool(_flag(f.get("isClosed"))),
                line=element.sourceline,
                deleted=bool(_flag(f.get("isDeleted"))),
                forum=f.get("forum", "").strip(),
            )
            yield f.get("forum", "").strip()
        elif name == "post":
            f = _fields(element)
            yield Post(
                dsq_id=_id(element),
                thread=f.get("thread", ""),
                parent=f.get("parent", ""),
                message=f.get("message", ""),
                created_at=parse_time(f.get("createdAt", "")),
                deleted=bool(_flag(f.get("isDeleted"))),
                spam=bool(_flag(f.get("isSpam"))),
                approved=_flag(f.get("isApproved")),
                name=f.get("author.name", ""),
                email=f.get("author.email", ""),
                username=f.get("author.username", ""),
                ip=f.get("ipAddress", "").strip(),
                line=element.sourceline,
                identifier=f.get("id", "").strip(),
                thread_text=f.get("thread.text", ""),
                parent_text=f.get("parent.text", ""),
                created_text=f.get("createdAt", "").strip(),
            )
        release(element)
    if not checked:
        raise BrokenFile("the file is empty")


def survey(path: Source) -> Survey:
    """Read the whole file once, writing nothing; keep the threads (posts refer to them)."""
    result = Survey()
    by_text: Counter[str] = Counter()
    for record in read(path, result.repairs):
        if isinstance(record, str):
            result.forum = result.forum or record
        elif isinstance(record, Thread):
            if not record.dsq_id:
                result.unnamed.append(record)
                continue
            result.threads[record.dsq_id] = record
            if record.identifier:
                known = result.by_identifier.setdefault(record.identifier, record.dsq_id)
                if known != record.dsq_id:
                    result.by_identifier[record.identifier] = ""
        else:
            result.posts += 1
            if record.thread or not record.thread_text:
                result.thread_posts[record.thread] += 1
                if copied := wordpress_id(record.identifier):
                    result.wordpress_ids.setdefault(record.thread, set()).add(copied)
            else:
                by_text[record.thread_text] += 1
    # Posts may come before their threads: those named by text are counted at the end.
    for text, n in by_text.items():
        result.thread_posts[result.by_identifier.get(text, "")] += n
    return result
