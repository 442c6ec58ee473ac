"""Each search index row carries the keys of who may see it (issue 15: search fast for every
officer).

The search used to test the sight rules of every kind inside each ranked statement as nested
``IN (SELECT … OR … IN (SELECT …))`` subqueries: cheap for the SP (who skips them), seconds for
everyone else. Now a row holds ``sight_keys``, the keys that give sight of its record, with a GIN
index, and the search intersects them with the viewer's keys (``sight_keys && …``). The keys are
the sight rules of ``core.efile.access``, ``core.cases.access`` and ``core.rti.access`` written
per row:

- ``p<post>``: a post that holds the record or that it passed through (files, dak), the
  investigating officer's post (cases), the PIO's post or a post whose help was sought (RTI);
- ``o<office>``: an office the record is in or passed through (files, dak), its thana (cases), the
  office that received it (RTI): whoever supervises that office sees it;
- ``m<office>``: the thana of a case: whoever holds any post there sees it;
- ``r<office>``: the office that received an RTI application: whoever holds a post there other
  than the district admin's sees it;
- ``*``: everybody posted in the district (people).

A receipt put in a file carries the file's keys too; a document carries the keys of its file,
its receipt and its case. The viewer's keys are worked out once per search
(``core.search.sight.viewer_keys``). ``core.search.index`` runs the same statement
(``SIGHT_SQL``) whenever it writes rows, and again for the receipts and documents of a file,
receipt or case it writes.
"""

# The SQL below is built from constant fragments only (no input reaches it).
# ruff: noqa: S608
import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models


def _file_keys(file_id: str) -> str:
    return (
        f"SELECT 'p' || f.current_post_id FROM core_efile f WHERE f.id = {file_id} "
        f"AND f.current_post_id IS NOT NULL "
        f"UNION SELECT 'o' || f.office_id FROM core_efile f WHERE f.id = {file_id} AND f.office_id IS NOT NULL "
        f"UNION SELECT 'p' || s.post_id FROM core_passage s WHERE s.file_id = {file_id} "
        f"UNION SELECT 'o' || s.office_id FROM core_passage s WHERE s.file_id = {file_id}"
    )


def _receipt_keys(receipt_id: str) -> str:
    return (
        f"SELECT 'p' || r.current_post_id FROM core_receipt r WHERE r.id = {receipt_id} "
        f"AND r.current_post_id IS NOT NULL "
        f"UNION SELECT 'o' || r.office_id FROM core_receipt r WHERE r.id = {receipt_id} "
        f"AND r.office_id IS NOT NULL "
        f"UNION SELECT 'p' || s.post_id FROM core_passage s WHERE s.receipt_id = {receipt_id} "
        f"UNION SELECT 'o' || s.office_id FROM core_passage s WHERE s.receipt_id = {receipt_id} "
        f"UNION {_file_keys(f'(SELECT r.file_id FROM core_receipt r WHERE r.id = {receipt_id})')}"
    )


def _case_keys(case_id: str) -> str:
    return (
        f"SELECT k || c.thana_id FROM core_case c, unnest(ARRAY['o', 'm']) k WHERE c.id = {case_id} "
        f"AND c.thana_id IS NOT NULL "
        f"UNION SELECT 'p' || c.io_post_id FROM core_case c WHERE c.id = {case_id} AND c.io_post_id IS NOT NULL"
    )


def _rti_keys(rti_id: str) -> str:
    return (
        f"SELECT k || a.office_id FROM core_rtiapplication a, unnest(ARRAY['o', 'r']) k WHERE a.id = {rti_id} "
        f"AND a.office_id IS NOT NULL "
        f"UNION SELECT 'p' || a.pio_post_id FROM core_rtiapplication a WHERE a.id = {rti_id} "
        f"AND a.pio_post_id IS NOT NULL "
        f"UNION SELECT 'p' || h.post_id FROM core_rtiapplication_helper_posts h WHERE h.rtiapplication_id = {rti_id}"
    )


def _document_keys(document_id: str) -> str:
    of = f"(SELECT d.%s FROM core_document d WHERE d.id = {document_id})"
    return f"{_file_keys(of % 'file_id')} UNION {_receipt_keys(of % 'receipt_id')} UNION {_case_keys(of % 'case_id')}"


_KEYS = {
    "file": _file_keys("e.object_id"),
    "receipt": _receipt_keys("e.object_id"),
    "document": _document_keys("e.object_id"),
    "case": _case_keys("e.object_id"),
    "rti": _rti_keys("e.object_id"),
    "person": "SELECT '*'",
}
# The sight keys of the index rows that ``WHERE`` picks (``e`` is the row), sorted, no repeats.
# A searched CASE (``WHEN e.kind = …``), not a simple one (``CASE e.kind WHEN …``): on a Citus
# cluster the coordinator evaluated a simple CASE's branch tests as constants, to NULL, before
# sending the UPDATE to the district's worker (issue 21). Same result on plain PostgreSQL.
SIGHT_SQL = (
    "UPDATE core_searchentry e SET sight_keys = CASE "
    + " ".join(
        f"WHEN e.kind = '{kind}' THEN ARRAY(SELECT k FROM ({sql}) s(k) ORDER BY k)"
        for kind, sql in _KEYS.items()
    )
    + " ELSE '{}'::text[] END WHERE {where}"
)


def _forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(SIGHT_SQL.replace("{where}", "TRUE"))


class Migration(migrations.Migration):
    dependencies = [("core", "0015_search_words")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="sight_keys",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.TextField(), blank=True, default=list, size=None
            ),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["sight_keys"], name="core_searchentry_sight"
            ),
        ),
        migrations.RunPython(_forward, migrations.RunPython.noop),
    ]
