"""The search index without per-query work: the tsvector stored (PostgreSQL) and the year at hand.

PostgreSQL: migration 0002 indexed the expression ``to_tsvector('simple', tokens)``. The GIN index
finds the candidates of a phrase, but the positions that make it a phrase (``速公`` right after
``高速``) are not in a GIN index, so every candidate was checked by parsing its ``tokens`` again,
and ``ts_rank`` parsed them once more (bench/scale, 1,000,000 tasks: 1.9 s for the 20,796 tasks
with 高速公路). Now the database keeps the vector in a generated column::

    vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED

so every write of ``tokens`` (``save``, ``bulk_create``, ``bulk_update``, ``loaddata``, the scale
generator's ``COPY``) keeps it right without any code, and nothing can write it out of step. Its
storage is ``MAIN``: kept in the row (compressed if need be) rather than moved to the TOAST table,
so checking a candidate reads one heap tuple, not a TOAST index and two chunks (a vector is about
1.5 KB: with the tokens a row passes the 2 KB at which PostgreSQL moves its largest value out).
The GIN index moves to the column.
The model does not declare the column: Django would read and write it, and SQLite has no
tsvector (its FTS5 table of 0002 keeps the positions already). Only ``supervision.search``
names it, in SQL. Adding it rewrites the table: the whole migration took 22 s for 200,000 rows
(bench/scale data, PostgreSQL 15), so about two minutes for 1,000,000.

Every database: ``TaskSearch.year``, the document's year, filled in here from the documents, so
that equal matches are ordered newest first without joining four tables for each of them.

SQLite: the FTS5 update trigger of 0002 fires on any update of a row; it now fires only when
``tokens`` change (a year written alone leaves the FTS5 table alone). Adding a nullable column
does not make Django remake the table, so the triggers stay.
"""

from django.db import migrations, models

TABLE = "supervision_tasksearch"
FTS = "supervision_taskfts"

# 0002's index on the expression goes first: filling in the year with it in place would parse
# every row's tokens again for it (200,000 rows: 20 s instead of 2)
POSTGRES_OLD_INDEX = [f"DROP INDEX IF EXISTS {TABLE}_tsv"]
POSTGRES_OLD_INDEX_BACK = [
    f"CREATE INDEX IF NOT EXISTS {TABLE}_tsv ON {TABLE} "
    f"USING gin (to_tsvector('simple'::regconfig, tokens))"
]
POSTGRES_VECTOR = [
    # one ALTER TABLE: the column's storage is set before the rewrite fills it
    f"ALTER TABLE {TABLE} ADD COLUMN vector tsvector "
    f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED, "
    f"ALTER COLUMN vector SET STORAGE MAIN",
    f"CREATE INDEX {TABLE}_vector ON {TABLE} USING gin (vector)",
]
POSTGRES_VECTOR_BACK = [f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS vector"]  # and its index
SQLITE_UPDATE_TRIGGER = (
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF tokens ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, tokens) VALUES ('delete', old.task_id, old.tokens); "
    f"INSERT INTO {FTS}(rowid, tokens) VALUES (new.task_id, new.tokens); END"
)
SQLITE_UPDATE_TRIGGER_BACK = (  # 0002's
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, tokens) VALUES ('delete', old.task_id, old.tokens); "
    f"INSERT INTO {FTS}(rowid, tokens) VALUES (new.task_id, new.tokens); END"
)
FILL_YEAR = (
    f"UPDATE {TABLE} SET year = (SELECT d.year FROM documents_task t "
    "JOIN documents_section s ON s.id = t.section_id "
    "JOIN documents_part p ON p.id = s.part_id "
    "JOIN documents_document d ON d.id = p.document_id "
    f"WHERE t.id = {TABLE}.task_id)"
)


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, [f"DROP TRIGGER IF EXISTS {FTS}_au", SQLITE_UPDATE_TRIGGER])


def sqlite_trigger_back(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _run(schema_editor, [f"DROP TRIGGER IF EXISTS {FTS}_au", SQLITE_UPDATE_TRIGGER_BACK])


def fill_year(apps, schema_editor):
    schema_editor.execute(FILL_YEAR)


def _postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _run(schema_editor, statements)

    return run


class Migration(migrations.Migration):
    dependencies = [("supervision", "0002_fulltext")]

    operations = [
        migrations.RunPython(sqlite_trigger, sqlite_trigger_back, elidable=False),
        migrations.RunPython(
            _postgres(POSTGRES_OLD_INDEX), _postgres(POSTGRES_OLD_INDEX_BACK), elidable=False
        ),
        migrations.AddField(
            model_name="tasksearch",
            name="year",
            field=models.IntegerField(blank=True, null=True),
        ),
        migrations.RunPython(fill_year, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(
            _postgres(POSTGRES_VECTOR), _postgres(POSTGRES_VECTOR_BACK), elidable=False
        ),
    ]
