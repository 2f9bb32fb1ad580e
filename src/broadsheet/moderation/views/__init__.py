"""The moderators' pages and the readers' report form.

Moderating (the queue, decisions, blocks, the audit log, the filter's figures) is for
staff who may change comments (``MODERATE``; the Moderators group has it): an editor who
only writes articles does not see commenters' addresses or decide on their comments.

One module a kind of page: ``decisions`` (the queue, and deciding on its comments),
``blocklist`` (blocking a comment's author), ``audit`` (the audit log and the filter's
figures) and ``reports`` (readers' reports). Who may open them is in ``decorators``; how
their lists are paged, in ``paging``.
"""
