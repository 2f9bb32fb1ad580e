"""Meta keys (``wp:postmeta``, ``wp:commentmeta``) the WXR import reads.

``broadsheet export wxr`` writes the ``_broadsheet_`` ones, so that what WordPress
cannot say survives a round trip through a WXR file.
"""

from __future__ import annotations

# A comment's status, where WordPress's wp:comment_approved has no word for it.
META_STATUS = "_broadsheet_status"
# The whole slug, where WordPress's 200 characters held only part of it encoded.
META_SLUG = "_broadsheet_slug"
# The whole of an author field WordPress's columns could not hold (the export wrote it cut,
# or left it out); a Broadsheet import takes it from here.
META_AUTHOR = {
    "author_name": "_broadsheet_author_name",
    "author_email": "_broadsheet_author_email",
    "author_url": "_broadsheet_author_url",
}
# When a comment was last edited (its "(edited)"), as wp:comment_date_gmt is written,
# and the browser it was posted from: WXR has no field for either.
META_EDITED_AT = "_broadsheet_edited_at"
META_USER_AGENT = "_broadsheet_user_agent"
# When moderators made it one of its article's editors' picks (written as the edit time).
META_FEATURED_AT = "_broadsheet_featured_at"
# What kind of response a linkback is (reply, like, mention, rsvp:yes...), written by the
# Semantic-Linkbacks plugin on the Webmention plugin's comments (type ``webmention``) and
# on pingbacks and trackbacks, before Webmention 5.0 made these comment types.
META_LINKBACK_TYPE = "semantic_linkbacks_type"
# How a response from another site came (``webmention``, ``activitypub``), written by the
# Webmention and ActivityPub plugins on every comment they receive.
META_PROTOCOL = "protocol"
# Written by Disqus's WordPress plugin on the comments it copied from Disqus.
META_DISQUS_POST = "dsq_post_id"
# The slugs a post had before it was renamed, and the dates (YYYY-MM-DD) it had before it
# was redated, one entry each: WordPress answers its old addresses with a redirect to the
# new one (wp_old_slug_redirect), and so are they here.
META_OLD_SLUG = "_wp_old_slug"
META_OLD_DATE = "_wp_old_date"
# Every other former address of an article (a permalink of the WordPress it was imported
# from, a ``?p=`` address, a Disqus thread's page), as the path it answers 301 on: WordPress
# keeps the entries and ignores them, a Broadsheet import gives them back.
META_REDIRECT = "_broadsheet_redirect"
# A post's footnotes (WordPress 6.3+): a JSON list of {"content": html, "id": uuid}.
META_FOOTNOTES = "footnotes"
# A republished article's outlet and its address.
META_SOURCE_NAME = "_broadsheet_source_name"
META_SOURCE_URL = "_broadsheet_source_url"

# What WordPress keeps of a media item (an ``attachment`` post): its file, relative to
# the uploads folder, and its alt text; and a post's featured image, as the id of its
# attachment post.
META_ATTACHED_FILE = "_wp_attached_file"
META_ALT_TEXT = "_wp_attachment_image_alt"
META_THUMBNAIL = "_thumbnail_id"
# Who took or made an image: WordPress has no field for it.
META_CREDIT = "_broadsheet_credit"

# The channel's <generator> of a Broadsheet export, and what it adds when the file holds
# only the comments readers see (``export wxr --visible-only``): an import of that file
# must not take the others down as comments removed at the source; and when its comments
# are numbered as a WordPress importing it will number them (``--first-comment-id``): an
# import of that file here must not take them for the comments of those ids. Every
# export since 2026-11-27 also says that each article it holds comes with all its comments
# (all its visible ones, with ``comments=visible``), which a file of WordPress's says only
# by holding media items: an import of it takes down those it lacks.
GENERATOR = "https://broadsheet.invalid/?v=1"
VISIBLE_ONLY = "comments=visible"
WORDPRESS_IDS = "comment-ids=wordpress"
WHOLE_ARTICLES = "articles=whole"


def _generator_says(generator: str, mark: str) -> bool:
    base, _, query = generator.strip().partition("&")
    return base == GENERATOR and mark in query.split("&")


def holds_visible_comments_only(generator: str) -> bool:
    """Whether a file's <generator> is a Broadsheet export's of visible comments only."""
    return _generator_says(generator, VISIBLE_ONLY)


def holds_wordpress_comment_ids(generator: str) -> bool:
    """Whether a file's <generator> is a Broadsheet export's whose comments are numbered
    for a WordPress (``export wxr --first-comment-id``), not by their ids there."""
    return _generator_says(generator, WORDPRESS_IDS)


def holds_whole_articles(generator: str) -> bool:
    """Whether a file's <generator> says it holds every comment of each article in it
    (of those readers see, with ``comments=visible``): a Broadsheet export's since
    2026-11-27."""
    return _generator_says(generator, WHOLE_ARTICLES)


def written_by_broadsheet(generator: str) -> bool:
    """Whether a file's <generator> is a Broadsheet export's, of any version."""
    return generator.strip().partition("&")[0] == GENERATOR
