"""Streaming a WXR file into plain records, read the way WordPress's importer reads it.

The ``wp`` and ``excerpt`` namespaces are recognised by their WordPress
address whatever the version (``http://wordpress.org/export/1.0/`` to
``1.2/``, https too); elements are matched by name within them, so files from
other tools that write WXR with slightly different namespace spellings or
element order still read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from lxml import etree

from broadsheet.interchange.wxr.meta import META_OLD_DATE, META_OLD_SLUG, META_REDIRECT
from broadsheet.interchange.xmlstream import BrokenFile, Repairs, Source, events, release, split_tag

_WP = re.compile(r"^https?://(?:www\.)?wordpress\.(?:org|com)/export/[\d.]+/?$")
_EXCERPT = re.compile(r"^https?://(?:www\.)?wordpress\.(?:org|com)/export/[\d.]+/excerpt/?$")
_KNOWN = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
    "": "",
}
_ns_kinds: dict[str, str] = {}


def ns_kind(ns: str) -> str:
    kind = _ns_kinds.get(ns)
    if kind is None:
        if ns in _KNOWN:
            kind = _KNOWN[ns]
        elif _WP.match(ns):
            kind = "wp"
        elif _EXCERPT.match(ns):
            kind = "excerpt"
        else:
            kind = "other"
        _ns_kinds[ns] = kind
    return kind


_keys: dict[str, str] = {}


def key(element: etree._Element) -> str:
    """``"wp:post_id"``, ``"title"``, ``"content:encoded"`` ...: the element's name, prefixed
    by what its namespace is rather than by whatever prefix the file used."""
    tag = element.tag
    found = _keys.get(tag)  # type: ignore[call-overload]
    if found is not None:
        return found
    if not isinstance(tag, str):
        return ""
    ns, name = split_tag(tag)
    kind = ns_kind(ns)
    found = _keys[tag] = f"{kind}:{name}" if kind else name
    return found


def fields(element: etree._Element) -> dict[str, str]:
    """Direct children's text by key (the first one wins, as SimpleXML's does)."""
    out: dict[str, str] = {}
    for child in element:
        k = key(child)
        if k and k not in out:
            out[k] = child.text or ""
    return out


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    # When the file was written (RSS pubDate), as the exporter wrote it.
    pub_date: str = ""
    # What wrote it (RSS generator): WordPress's address and version, or Broadsheet's.
    generator: str = ""


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    author_id: str = ""
    line: int | None = None


@dataclass
class Category:
    nicename: str
    name: str
    parent: str = ""
    description: str = ""
    line: int | None = None


@dataclass
class Tag:
    slug: str
    name: str
    description: str = ""
    line: int | None = None


@dataclass
class Comment:
    comment_id: str
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str
    parent: str
    user_id: str
    meta: dict[str, str] = field(default_factory=dict)
    line: int | None = None


@dataclass
class Post:
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    post_id: str
    post_date: str
    post_date_gmt: str
    pub_date: str
    comment_status: str
    post_name: str
    status: str
    post_type: str
    password: str
    post_modified: str = ""
    post_modified_gmt: str = ""
    # The post a media item was uploaded to (and whose page shows it); "0" for none.
    post_parent: str = ""
    # A media item's file (``attachment`` items only).
    attachment_url: str = ""
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # domain, slug, name
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    line: int | None = None
    # Every value of the meta entries a post may hold several of (``REPEATED``), in the
    # order of the file, where ``meta`` keeps the last.
    repeated: dict[str, list[str]] = field(default_factory=dict)


# The post meta entries that WordPress keeps one of per value (add_post_meta), all read.
REPEATED = (META_OLD_SLUG, META_OLD_DATE, META_REDIRECT)


def _meta(element: etree._Element) -> tuple[str, str]:
    # A key never holds white space: any around it is a pretty-printer's padding. A value
    # is kept as written (a whole author name may begin with a space).
    f = fields(element)
    return f.get("wp:meta_key", "").strip(), f.get("wp:meta_value", "")


def _comment(element: etree._Element) -> Comment:
    f = fields(element)
    meta = dict(_meta(m) for m in element if key(m) == "wp:commentmeta")
    return Comment(
        comment_id=f.get("wp:comment_id", "").strip(),
        author=f.get("wp:comment_author", ""),
        author_email=f.get("wp:comment_author_email", "").strip(),
        author_url=f.get("wp:comment_author_url", "").strip(),
        author_ip=f.get("wp:comment_author_IP", "").strip(),
        date=f.get("wp:comment_date", "").strip(),
        date_gmt=f.get("wp:comment_date_gmt", "").strip(),
        content=f.get("wp:comment_content", ""),
        # Missing, WordPress stores it empty: shown to nobody, so held here.
        approved=f.get("wp:comment_approved", "").strip(),
        type=f.get("wp:comment_type", "").strip(),
        parent=f.get("wp:comment_parent", "").strip(),
        user_id=f.get("wp:comment_user_id", "").strip(),
        meta=meta,
        line=element.sourceline,
    )


def _password(text: str) -> str:
    """A post's password as WordPress holds it. White space on lines of its own is a
    pretty-printer's padding (a password is one line): an empty one so padded is no
    password. Spaces alone on one line are one, which WordPress asks for as any other."""
    return text.strip() if "\n" in text else text


def _post(element: etree._Element) -> Post:
    f = fields(element)
    terms = []
    meta: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    comments = []
    for child in element:
        k = key(child)
        if k == "category":
            nicename = child.get("nicename")
            if nicename is not None:  # WordPress ignores the old name-only form too
                terms.append((child.get("domain", "category"), nicename, child.text or ""))
        elif k == "wp:postmeta":
            name, value = _meta(child)
            meta[name] = value
            if name in REPEATED:
                repeated.setdefault(name, []).append(value.strip())
        elif k == "wp:comment":
            comments.append(_comment(child))
    return Post(
        title=f.get("title", ""),
        link=f.get("link", "").strip(),
        guid=f.get("guid", "").strip(),
        creator=f.get("dc:creator", "").strip(),
        content=f.get("content:encoded", ""),
        excerpt=f.get("excerpt:encoded", ""),
        post_id=f.get("wp:post_id", "").strip(),
        post_date=f.get("wp:post_date", "").strip(),
        post_date_gmt=f.get("wp:post_date_gmt", "").strip(),
        pub_date=f.get("pubDate", "").strip(),
        comment_status=f.get("wp:comment_status", "open").strip(),
        post_name=f.get("wp:post_name", "").strip(),
        # Missing, WordPress makes the post a draft.
        status=f.get("wp:status", "").strip(),
        # Missing, WordPress refuses the item (no such post type): skipped here too.
        post_type=f.get("wp:post_type", "").strip(),
        password=_password(f.get("wp:post_password", "")),
        post_modified=f.get("wp:post_modified", "").strip(),
        post_modified_gmt=f.get("wp:post_modified_gmt", "").strip(),
        post_parent=f.get("wp:post_parent", "").strip(),
        attachment_url=f.get("wp:attachment_url", "").strip(),
        terms=terms,
        meta=meta,
        comments=comments,
        line=element.sourceline,
        repeated=repeated,
    )


Record = Channel | Author | Category | Tag | Post


def _outline(element: etree._Element) -> PostOutline:
    comments, post_date, post_date_gmt, highest = 0, "", "", 0
    attachment = None
    for child in element:
        k = key(child)
        if k == "wp:post_type" and (child.text or "").strip() == "attachment":
            # Kept whole (a media item is small): posts name their featured image by
            # its id, and may come before it.
            attachment = _post(element)
        elif k == "wp:comment":
            comments += 1
            for field in child:
                if key(field) == "wp:comment_id":
                    cid = (field.text or "").strip()
                    # Ids past 2**31 are never kept (discussion.actions.KEPT_ID_LIMIT).
                    if cid.isascii() and cid.isdigit() and int(cid) < 2**31:
                        highest = max(highest, int(cid))
        elif k == "wp:post_date":
            post_date = child.text or ""
        elif k == "wp:post_date_gmt":
            post_date_gmt = child.text or ""
    return PostOutline(comments, post_date, post_date_gmt, highest, attachment)


# Everything read is a child of <channel>; only these names produce events.
_CHANNEL_CHILDREN = [
    f"{{*}}{name}"
    for name in (
        "item", "author", "category", "tag", "term", "title", "link", "description",
        "language", "wxr_version", "base_site_url", "base_blog_url", "pubDate", "generator",
    )
]  # fmt: skip


@dataclass
class PostOutline:
    """What the checking pass keeps of a post."""

    comments: int
    post_date: str
    post_date_gmt: str
    highest_comment_id: int = 0
    attachment: Post | None = None


def read(
    path: Source, *, outline: bool = False, repairs: Repairs | None = None
) -> Iterator[Record | PostOutline]:
    """Yield the channel (once its header is read), authors, terms and posts in file order.

    With ``outline``, posts come as PostOutline (no text is kept). Raises
    BrokenFile when the file is not WXR or not well-formed XML.
    """
    channel = Channel()
    channel_sent = False
    root_checked = False
    for _event, element in events(path, ("end",), _CHANNEL_CHILDREN, repairs):
        if not root_checked:
            root_checked = True
            root = element.getroottree().getroot()
            if key(root) != "rss":
                name = split_tag(root.tag)[1] if isinstance(root.tag, str) else "?"
                raise BrokenFile(
                    f"this is not a WordPress export (WXR): it starts with <{name}>, not <rss>",
                    line=root.sourceline,
                )
        parent = element.getparent()
        if parent is None or key(parent) != "channel":
            continue
        k = key(element)
        if k == "item":
            if not channel_sent:
                _check_version(channel, element.sourceline)
                channel_sent = True
                yield channel
            if outline:
                yield _outline(element)
            else:
                yield _post(element)
        elif k == "wp:author":
            f = fields(element)
            yield Author(
                login=f.get("wp:author_login", "").strip(),
                email=f.get("wp:author_email", "").strip(),
                display_name=f.get("wp:author_display_name", "").strip(),
                first_name=f.get("wp:author_first_name", "").strip(),
                last_name=f.get("wp:author_last_name", "").strip(),
                author_id=f.get("wp:author_id", "").strip(),
                line=element.sourceline,
            )
        elif k == "wp:category":
            f = fields(element)
            yield Category(
                nicename=f.get("wp:category_nicename", "").strip(),
                name=f.get("wp:cat_name", ""),
                parent=f.get("wp:category_parent", "").strip(),
                description=f.get("wp:category_description", ""),
                line=element.sourceline,
            )
        elif k == "wp:tag":
            f = fields(element)
            yield Tag(
                slug=f.get("wp:tag_slug", "").strip(),
                name=f.get("wp:tag_name", ""),
                description=f.get("wp:tag_description", ""),
                line=element.sourceline,
            )
        elif k == "wp:term":
            f = fields(element)
            taxonomy = f.get("wp:term_taxonomy", "")
            if taxonomy == "category":
                yield Category(
                    nicename=f.get("wp:term_slug", "").strip(),
                    name=f.get("wp:term_name", ""),
                    parent=f.get("wp:term_parent", "").strip(),
                    description=f.get("wp:term_description", ""),
                    line=element.sourceline,
                )
            elif taxonomy == "post_tag":
                yield Tag(
                    slug=f.get("wp:term_slug", "").strip(),
                    name=f.get("wp:term_name", ""),
                    description=f.get("wp:term_description", ""),
                    line=element.sourceline,
                )
        elif not channel_sent:
            value = (element.text or "").strip()
            attr = {
                "title": "title",
                "link": "link",
                "description": "description",
                "language": "language",
                "pubDate": "pub_date",
                "generator": "generator",
                "wp:wxr_version": "wxr_version",
                "wp:base_site_url": "base_site_url",
                "wp:base_blog_url": "base_blog_url",
            }.get(k)
            if attr:
                setattr(channel, attr, value)
        release(element)
    if not root_checked:
        raise BrokenFile("this is not a WordPress export (WXR): no <rss><channel>")
    if not channel_sent:
        _check_version(channel, None)
        yield channel


def _check_version(channel: Channel, line: int | None) -> None:
    if not re.fullmatch(r"\d+\.\d+", channel.wxr_version):
        raise BrokenFile(
            "this does not look like a WordPress export: no valid <wp:wxr_version> "
            "in the channel before the first item",
            line,
        )


# Dates. WordPress writes "YYYY-MM-DD HH:MM:SS" in the site's time zone
# (post_date, comment_date) and in UTC (…_gmt, all zeros for drafts).

_ZERO = ("", "0000-00-00 00:00:00", "0000-00-00T00:00:00")


def parse_wp_date(value: str) -> datetime | None:
    value = value.strip()
    if value in _ZERO or value.startswith("0000"):
        return None
    if len(value) == 19 and value[4] == "-" and value[10] == " ":
        try:  # the usual "YYYY-MM-DD HH:MM:SS", without strptime's cost
            return datetime(
                int(value[0:4]), int(value[5:7]), int(value[8:10]),
                int(value[11:13]), int(value[14:16]), int(value[17:19]),
            )  # fmt: skip
        except ValueError:
            pass
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def utc_time(gmt: str, local: str, offset: timedelta, pub_date: str = "") -> datetime | None:
    """The UTC time of a post or comment: the GMT field, else the local one less the site's
    offset, else the RSS pubDate."""
    if (when := parse_wp_date(gmt)) is not None:
        return when.replace(tzinfo=UTC)
    if (when := parse_wp_date(local)) is not None:
        return (when - offset).replace(tzinfo=UTC)
    if pub_date:
        try:
            parsed = parsedate_to_datetime(pub_date)
        except (TypeError, ValueError, IndexError):
            return None
        if parsed.year > 1:
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


@dataclass
class Survey:
    """What a first, validating pass learned about the file."""

    channel: Channel
    posts: int = 0
    comments: int = 0
    # The site's UTC offset, from posts that carry both dates (for those that don't).
    offset: timedelta = timedelta(0)
    # What was forgiven while reading (control characters, text around the XML).
    repairs: Repairs = field(default_factory=Repairs)
    # The highest wp:comment_id: an import keeps the ids up to it free for the file's comments.
    highest_comment_id: int = 0
    # The media items (``attachment``), by wp:post_id.
    attachments: dict[str, Post] = field(default_factory=dict)


def survey(path: Source) -> Survey:
    """Read the whole file once, writing nothing: raises BrokenFile on any fault."""
    channel = Channel()
    offsets: Counter[timedelta] = Counter()
    posts = comments = highest = 0
    repairs = Repairs()
    attachments: dict[str, Post] = {}
    for record in read(path, outline=True, repairs=repairs):
        if isinstance(record, Channel):
            channel = record
        elif isinstance(record, PostOutline):
            posts += 1
            comments += record.comments
            highest = max(highest, record.highest_comment_id)
            if record.attachment is not None:
                attachments.setdefault(record.attachment.post_id, record.attachment)
            local, gmt = parse_wp_date(record.post_date), parse_wp_date(record.post_date_gmt)
            if local and gmt and posts < 1000:
                offsets[local - gmt] += 1
    offset = offsets.most_common(1)[0][0] if offsets else timedelta(0)
    return Survey(
        channel=channel,
        posts=posts,
        comments=comments,
        offset=offset,
        repairs=repairs,
        highest_comment_id=highest,
        attachments=attachments,
    )


def one_site(surveys: list[tuple[str, Survey]]) -> Survey:
    """What several files of one site, imported together, hold between them (WordPress.com
    splits a large site's export into numbered files). Raises BrokenFile when they are
    exports of different blogs, which are imported each on its own."""
    (_, first), *others = surveys
    blog = _blog(first.channel)
    for name, other in others:
        if _blog(other.channel) != blog:
            raise BrokenFile(
                f"{name} is an export of {_blog(other.channel) or 'an unnamed blog'}, not of "
                f"{blog or 'an unnamed blog'} as the first file is: import each blog on its own"
            )
    busiest = max((s for _, s in surveys), key=lambda s: s.posts)
    return Survey(
        channel=first.channel,
        posts=sum(s.posts for _, s in surveys),
        comments=sum(s.comments for _, s in surveys),
        offset=busiest.offset,
        repairs=first.repairs,
        highest_comment_id=max(s.highest_comment_id for _, s in surveys),
        attachments={k: v for _, s in reversed(surveys) for k, v in s.attachments.items()},
    )


def _blog(channel: Channel) -> str:
    return (channel.base_blog_url or channel.base_site_url or channel.link).rstrip("/")
