"""The full-text index of ``TaskSearch.tokens``, on each database its own way.

SQLite: an FTS5 table with ``supervision_tasksearch`` as its external content, kept in step by
three triggers (a restore's ``loaddata`` and a bulk insert are indexed like any other write).
PostgreSQL: a GIN index on ``to_tsvector('simple', tokens)``, the expression the queries use.
Other databases get neither; search falls back to LIKE (see ``supervision.search``).

Django remakes a SQLite table to alter it (create, copy, drop, rename) and the triggers go with
the old table: a later migration that alters ``TaskSearch`` must run ``SQLITE_TRIGGERS`` again.
"""

from django.db import migrations

FTS = "supervision_taskfts"
CONTENT = "supervision_tasksearch"

SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE {FTS} USING fts5("
    f"tokens, content='{CONTENT}', content_rowid='task_id', tokenize='unicode61')"
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {CONTENT} BEGIN "
    f"INSERT INTO {FTS}(rowid, tokens) VALUES (new.task_id, new.tokens); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {CONTENT} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, tokens) VALUES ('delete', old.task_id, old.tokens); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {CONTENT} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, tokens) VALUES ('delete', old.task_id, old.tokens); "
    f"INSERT INTO {FTS}(rowid, tokens) VALUES (new.task_id, new.tokens); END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES = [
    f"CREATE INDEX {CONTENT}_tsv ON {CONTENT} USING gin (to_tsvector('simple'::regconfig, tokens))"
]
POSTGRES_DROP = [f"DROP INDEX IF EXISTS {CONTENT}_tsv"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [
            SQLITE_TABLE,
            *SQLITE_TRIGGERS,
            f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
        ]
    elif vendor == "postgresql":
        statements = POSTGRES
    else:
        statements = []
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
