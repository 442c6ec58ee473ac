"""Each kind's words and sight keys in one GIN index (issue 15: search fast for every officer).

The search asks each kind for the rows that match the words AND that the viewer may see
(``document @@ … AND sight_keys && …``). With the words in a per-kind index (core.0013) and the
keys in one index over every kind (core.0016), PostgreSQL either read the whole kind's matches of
the words and tested each row's keys, or built a bitmap of every row of every kind the viewer's
keys name (all the dak for the dak clerk) and intersected the two: hundreds of milliseconds at
1,000,000 rows for an officer who sees a small share. One index per kind over both columns
(``(document, sight_keys)``, GIN) lets the index scan intersect the posting lists of the words
and of the keys itself, skipping through the longer one: only rows that match and may be seen
leave the index.

A multicolumn GIN index serves a condition on either column alone as well as one over that column
only (the SP's search, which tests no keys), so the per-kind vector indexes of core.0013 and
core.0014 go.
"""

from django.db import migrations

KINDS = ["receipt", "file", "document", "case", "rti", "person"]  # SearchEntry.Kind, as of this migration

INDEXES = [
    (
        f"core_searchentry_seen_{kind}",
        f"CREATE INDEX IF NOT EXISTS core_searchentry_seen_{kind} ON core_searchentry "
        f"USING gin (document, sight_keys) WHERE kind = '{kind}'",
    )
    for kind in KINDS
]
# The per-kind vector indexes these replace (core.0013, core.0014).
REPLACED = [
    (
        f"core_searchentry_doc_{kind}",
        f"CREATE INDEX IF NOT EXISTS core_searchentry_doc_{kind} ON core_searchentry "
        f"USING gin (document) WHERE kind = '{kind}'",
    )
    for kind in KINDS
]


def _forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for _name, sql in INDEXES:
            cursor.execute(sql)
        for name, _sql in REPLACED:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


def _backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for _name, sql in REPLACED:
            cursor.execute(sql)
        for name, _sql in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("core", "0017_audit_seal")]

    operations = [
        migrations.RunPython(_forward, _backward),
    ]
