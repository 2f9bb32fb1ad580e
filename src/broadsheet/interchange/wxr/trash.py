"""What WordPress keeps of a post in its trash, read back as the post was.

Trashing a post in WordPress renames it (``wp:post_name`` gets ``__trashed``
appended, so that a new post may take the address) and marks each of its
comments ``post-trashed``; the slug and the comments' statuses before the trash
go into post meta, and restoring the post (as a draft, since WordPress 5.6)
puts both back. An import makes a trashed post a draft, so it reads them back
as WordPress's restore does.
"""

from __future__ import annotations

import re

from broadsheet.interchange.wxr import reader

TRASHED_SUFFIX = "__trashed"
# The slug before the post was trashed.
META_DESIRED_SLUG = "_wp_desired_post_slug"
# Comment id -> wp:comment_approved before the trash, as a PHP serialized array:
# a:2:{i:38;s:1:"1";i:39;s:4:"spam";}
META_COMMENTS_STATUS = "_wp_trash_meta_comments_status"

# One entry of such an array: an integer (or numeric string) key and a short value.
_ENTRY = re.compile(r'(?:i:(\d+)|s:\d+:"(\d+)");(?:s:\d+:"([^"]*)"|i:(\d+));')
_ARRAY = re.compile(r"a:\d+:\{(.*)\}", re.DOTALL)


def untrashed_name(post: reader.Post) -> str:
    """The post's ``wp:post_name`` as it was before the trash renamed it."""
    name = post.post_name
    if not name.endswith(TRASHED_SUFFIX):
        return name
    return post.meta.get(META_DESIRED_SLUG, "").strip() or name.removesuffix(TRASHED_SUFFIX)


def statuses_before_trash(post: reader.Post) -> dict[str, str]:
    """Each ``post-trashed`` comment's ``wp:comment_approved`` before its post was
    trashed, by comment id; empty when the file does not say (an unreadable value
    included: those comments then stay deleted)."""
    match = _ARRAY.fullmatch(post.meta.get(META_COMMENTS_STATUS, "").strip())
    if match is None:
        return {}
    return {
        int_key or str_key: str_value if str_value is not None else int_value
        for int_key, str_key, str_value, int_value in _ENTRY.findall(match.group(1))
    }
