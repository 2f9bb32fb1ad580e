from __future__ import annotations


class CommentRefused(Exception):
    """The comment cannot be taken at all (closed article, blocked author). HTTP 403.

    With ``field``, it cannot be taken as it was filled in (a staff member's name):
    the poster can mend that field, so it is a 400 on it, as a form error would be.
    """

    def __init__(
        self,
        reason: str,
        code: str = "refused",
        field: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.field = field
        # Seconds until the refusal lifts (a timed block), for Retry-After; None when
        # waiting would not help.
        self.retry_after = retry_after


class RateLimited(Exception):
    """Too many comments too fast. HTTP 429 with Retry-After."""

    def __init__(self, reason: str, retry_after: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class EditNotAllowed(Exception):
    """The author may not change the comment. ``code`` says why: "token" (missing or
    wrong token: HTTP 401) or "closed" (the window has passed, or the comment is no
    longer the author's to change: HTTP 403)."""

    def __init__(self, reason: str, code: str = "closed") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
