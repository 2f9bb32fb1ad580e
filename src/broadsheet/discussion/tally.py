"""The stored counts of the comments by status: what the moderation queue's tabs
and pager (pending, spam) and the admin's comment list show, read in a few rows
instead of counting 150,000 waiting comments on every page of the queue, or a
million in the admin (docs/moderation.md, "The queue's counts").

Database triggers on ``discussion_comment`` keep ``discussion_statustally`` (the
``StatusTally`` model), in the transaction of the change, for every insert, status
change and deletion, whatever makes it: an action, ``bulk_create``, an import, a
restore, the deletion of an article with its comments, a raw statement. So the
count cannot drift from the comments, as one kept by the code on each path could.

SQLite: a trigger for each row, adding 1 or -1 to its status's one row (SQLite
writes one transaction at a time: nothing waits longer for it).

PostgreSQL: a trigger for each statement, which adds up the statement's rows by
status (an import's 2,000 rows at once are one write) into the row of the status
for the session's share (``SLOTS`` rows per status): a row written stays locked
until the transaction ends, and with one row per status every post of a pending
comment across the site would wait for the one before it to commit. A statement
writes its statuses in one order (alphabetical).
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count, Sum

from broadsheet.discussion.models import Comment, StatusTally

TABLE = "discussion_statustally"
COMMENTS = "discussion_comment"
# The statuses counted: all of them.
TALLIED = tuple(Comment.Status.values)
# PostgreSQL: rows per status, one for each share of the database sessions.
SLOTS = 16

_ADD = f"ON CONFLICT (status, slot) DO UPDATE SET n = {TABLE}.n + excluded.n"
TRIGGERS = [f"{TABLE}_{event}" for event in ("insert", "update", "delete")]
# PostgreSQL: TRUNCATE deletes without a row trigger; it has a statement trigger of its
# own, which empties the tally. (SQLite has no TRUNCATE: its "DELETE FROM" without a
# WHERE, which it would otherwise run as one, runs row by row when the table has
# triggers.)
TRUNCATE_TRIGGER = f"{TABLE}_truncate"


def triggers(vendor: str) -> list[str]:
    """The names of the triggers that keep the tally, on this database."""
    return [*TRIGGERS, TRUNCATE_TRIGGER] if vendor == "postgresql" else TRIGGERS


def sqlite_schema() -> list[str]:
    """The three triggers (SQLite); a change that keeps the status counts nothing."""

    def add(row: str, n: int) -> str:
        # An upsert from a SELECT needs a WHERE (SQLite's grammar).
        return (
            f"INSERT INTO {TABLE} (status, slot, n) SELECT {row}.status, 0, {n} WHERE true {_ADD};"
        )

    return [
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON {COMMENTS} "
        f"BEGIN {add('new', 1)} END",
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_update AFTER UPDATE OF status ON {COMMENTS} "
        f"WHEN old.status IS NOT new.status BEGIN {add('old', -1)} {add('new', 1)} END",
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON {COMMENTS} "
        f"BEGIN {add('old', -1)} END",
    ]


# PostgreSQL: the advisory locks that give a transaction its slots (their first key).
SLOT_LOCKS = 0x7461
# A transaction writes the slots it holds the advisory lock of, for as long as it runs:
# the first free one from its session's (the process id modulo ``SLOTS``), or that one
# when all are taken. Two transactions whose sessions fell on one slot otherwise locked its
# rows one status at a time, each in its own order across statements, and could wait
# for each other for ever: two moderators' bulk decisions, one taking a pending comment
# then a spam one, the other a spam one then a pending one (a deadlock, one refused).
_CHOOSE_SLOT = (
    f"DECLARE first int := pg_backend_pid() % {SLOTS}; chosen int := -1; i int := 0; "
    f"BEGIN WHILE chosen < 0 AND i < {SLOTS} LOOP "
    f"IF pg_try_advisory_xact_lock({SLOT_LOCKS}, (first + i) % {SLOTS}) "
    f"THEN chosen := (first + i) % {SLOTS}; END IF; i := i + 1; END LOOP; "
    "IF chosen < 0 THEN chosen := first; END IF;"
)


def postgres_schema() -> list[str]:
    """A function and a statement trigger for each event (PostgreSQL): the rows the
    statement inserted count 1, those it deleted -1, an update's rows both (before:
    -1, after: 1), added up by status."""
    sides = {"insert": ["new_rows"], "update": ["old_rows", "new_rows"], "delete": ["old_rows"]}
    statements = []
    for event, tables in sides.items():
        changed = " UNION ALL ".join(
            f"SELECT status, {-1 if t == 'old_rows' else 1} AS d FROM {t}" for t in tables
        )
        referencing = " ".join(
            f"{'OLD' if t == 'old_rows' else 'NEW'} TABLE AS {t}" for t in tables
        )
        statements += [
            f"CREATE OR REPLACE FUNCTION {TABLE}_{event}() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ {_CHOOSE_SLOT} INSERT INTO {TABLE} (status, slot, n) "
            f"SELECT status, chosen, SUM(d) FROM ({changed}) AS changed "
            f"GROUP BY status HAVING SUM(d) <> 0 ORDER BY status {_ADD}; "
            "RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {TABLE}_{event} ON {COMMENTS}",
            f"CREATE TRIGGER {TABLE}_{event} AFTER {event.upper()} ON {COMMENTS} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_{event}()",
        ]
    return [*statements, *postgres_truncate_schema()]


def postgres_truncate_schema() -> list[str]:
    """PostgreSQL's trigger that empties the tally when the comments' table is
    truncated (and its function), made again in place: part of ``postgres_schema``,
    and what discussion's migration 0014 adds to a tally made before it."""
    # A TRUNCATE holds the comments' table alone (no other statement on it runs
    # meanwhile), so nothing is counted between the emptying and the commit.
    return [
        f"CREATE OR REPLACE FUNCTION {TRUNCATE_TRIGGER}() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$ BEGIN DELETE FROM {TABLE}; RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {COMMENTS}",
        f"CREATE TRIGGER {TRUNCATE_TRIGGER} AFTER TRUNCATE ON {COMMENTS} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TRUNCATE_TRIGGER}()",
    ]


def drop_schema(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {t}" for t in TRIGGERS]
    names = triggers(vendor)
    return [f"DROP TRIGGER IF EXISTS {t} ON {COMMENTS}" for t in names] + [
        f"DROP FUNCTION IF EXISTS {t}()" for t in names
    ]


def schema(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return sqlite_schema()
    if vendor == "postgresql":
        return postgres_schema()
    return []


def _recount_sql(vendor: str) -> list[str]:
    """The tally made anew from the comments, the comments held still meanwhile (on
    PostgreSQL, a lock that lets them be read but not changed until the end of the
    transaction; SQLite writes one transaction at a time)."""
    hold = [f"LOCK TABLE {COMMENTS} IN SHARE MODE"] if vendor == "postgresql" else []
    return [
        *hold,
        f"DELETE FROM {TABLE}",
        f"INSERT INTO {TABLE} (status, slot, n) SELECT status, 0, COUNT(*) FROM {COMMENTS} "
        "GROUP BY status",
    ]


def install(cursor, vendor: str) -> None:
    """The triggers made (again) and the tally counted from the comments."""
    for statement in [*schema(vendor), *_recount_sql(vendor)]:
        cursor.execute(statement)


def rebuild(using: str = DEFAULT_DB_ALIAS) -> None:
    """The triggers made where missing and the tally counted anew (``broadsheet
    search rebuild``, and after a migration dropped them on SQLite)."""
    conn = connections[using]
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if _triggers(cursor, conn.vendor) >= set(triggers(conn.vendor)):
            # Made again, PostgreSQL's triggers would lock the comments against readers
            # too (every article page) until the transaction ends; their functions are
            # replaced without a lock on the table.
            made = [s for s in schema(conn.vendor) if s.startswith("CREATE OR REPLACE")]
            for statement in [*made, *_recount_sql(conn.vendor)]:
                cursor.execute(statement)
        else:
            install(cursor, conn.vendor)


def counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """{status: comments in it} for each status: a few rows read."""
    rows = StatusTally.objects.using(using).values_list("status").annotate(total=Sum("n"))
    rows = rows.order_by()
    found = {status: int(total) for status, total in rows}
    return {status: found.get(status, 0) for status in TALLIED}


def counted(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """The same figures counted in the comments themselves (what ``counts`` must equal)."""
    rows = Comment.objects.using(using).values_list("status").annotate(total=Count("pk"))
    rows = rows.order_by()
    found = dict(rows)
    return {status: found.get(status, 0) for status in TALLIED}


def _triggers(cursor, vendor: str) -> set[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [COMMENTS],
        )
    else:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [COMMENTS],
        )
    return {row[0] for row in cursor.fetchall()}


def check() -> list[str]:
    """What is wrong with the tally (empty when nothing is): a missing trigger, or a
    count that differs from the comments'."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return []
    with connection.cursor() as cursor:
        present = _triggers(cursor, connection.vendor)
    problems = [f"trigger {t} is missing" for t in triggers(connection.vendor) if t not in present]
    stored, real = counts(), counted()
    problems += [
        f"{status} comments are counted {stored[status]}, and there are {real[status]}"
        for status in TALLIED
        if stored[status] != real[status]
    ]
    return problems


def mend(using: str = DEFAULT_DB_ALIAS, **kwargs) -> bool:
    """A receiver (``post_migrate``, which ``flush`` sends too): the triggers made
    again where missing and the tally counted anew, where it differs from the
    comments. On SQLite a migration that changes a column of the comments' table
    copies it and drops the old one's triggers; and ``flush`` empties the tables one
    by one, the tally perhaps before the comments, whose deletion the triggers then
    count against an empty tally. Returns whether anything was mended."""
    conn = connections[using]
    if conn.vendor not in ("sqlite", "postgresql"):
        return False
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if TABLE not in conn.introspection.table_names(cursor):
            return False  # before the migration that makes it
        whole = _triggers(cursor, conn.vendor) >= set(triggers(conn.vendor))
        if whole and counts(using) == counted(using):
            return False
        install(cursor, conn.vendor)
    return True
