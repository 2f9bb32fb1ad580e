"""Announcements only: receivers can react, never veto. Sent after commit."""

from django.dispatch import Signal

# sender=Comment, comment=..., decision=...
comment_posted = Signal()
# sender=Comment, comment=..., old_status=..., new_status=..., actor=...
comment_status_changed = Signal()
# sender=Comment, comment=...
comment_edited = Signal()
