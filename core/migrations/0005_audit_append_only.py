"""The district audit trail becomes append-only in the database, and its chain cannot fork.

- A trigger function refuses every UPDATE and DELETE (row triggers) and TRUNCATE (statement
  trigger) on ``core_auditevent``, whoever runs them: the only way around it is to disable or drop
  the triggers as the table's owner, which ``verify_audit`` reports.
- A unique index on ``prev_hash``: two events can never follow the same event, so concurrent
  appends that somehow missed the advisory lock fail instead of forking the chain.

``core`` is a district (tenant) app, so this runs in each district schema and in the template
that new districts are cloned from (tenants/schemas.py copies functions, triggers and indexes).
Nothing here names a schema: the function is created in the first schema of ``search_path``,
the district's own, and its body refers to no table.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION core_auditevent_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_change();
CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_change();
CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse_change();
CREATE UNIQUE INDEX core_auditevent_prev_hash_uniq ON core_auditevent (prev_hash);
"""

BACKWARD = """
DROP INDEX core_auditevent_prev_hash_uniq;
DROP TRIGGER core_auditevent_no_truncate ON core_auditevent;
DROP TRIGGER core_auditevent_no_delete ON core_auditevent;
DROP TRIGGER core_auditevent_no_update ON core_auditevent;
DROP FUNCTION core_auditevent_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0004_officer_import")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
