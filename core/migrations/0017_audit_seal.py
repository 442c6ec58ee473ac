"""The audit trail is appended without a lock and sealed into its chain shortly after.

- ``seq`` (the event's place in the chain), ``prev_hash`` and ``hash`` may be empty: an event is
  written unsealed and ``core.audit.audit_seal`` sets all three once, under the district's
  sealing lock. Events already chained get their ``seq`` here, in id order (their chain order).
- The append-only trigger function now lets exactly one UPDATE through: the seal of an unsealed
  event (the three columns from empty to set, every other column unchanged). Every other UPDATE,
  every DELETE and TRUNCATE is still refused for every role.
- A partial index finds the unsealed events (a handful at a time) without reading the trail.
"""

from django.db import migrations, models

NUMBER = """
ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update;
UPDATE core_auditevent AS e SET seq = n.seq
FROM (SELECT id, row_number() OVER (ORDER BY id) AS seq FROM core_auditevent) AS n
WHERE e.id = n.id;
ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update;
"""

# The seal is the one UPDATE let through.
FUNCTION = """
CREATE OR REPLACE FUNCTION core_auditevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
           AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
           AND to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash']
               = to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash'] THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

FORWARD = (
    NUMBER + FUNCTION + "CREATE INDEX core_auditevent_unsealed_idx ON core_auditevent (id) WHERE seq IS NULL;"
)

BACKWARD = """
DROP INDEX core_auditevent_unsealed_idx;
CREATE OR REPLACE FUNCTION core_auditevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0016_search_sight_keys")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
