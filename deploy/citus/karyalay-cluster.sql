-- Register the workers with the coordinator, once, in the application's database (compose names).
-- The citus extension is already created by the image's entrypoint in POSTGRES_DB on every node.
-- Then run the application's `manage.py migrate`: migration tenants.0008 makes the accounts table
-- a reference table, and every district provisioned afterwards is a distributed schema.
-- The coordinator connects to the workers as the role of each client session (postgres, and the
-- owner and app roles tenants/roles.py makes): their passwords, for every node (nodeid 0). Run
-- with  psql -v pw="$(cat pg_password)" -v owner_pw=... -v app_pw=...
INSERT INTO pg_dist_authinfo (nodeid, rolename, authinfo) VALUES
  (0, 'postgres', 'password=' || :'pw'),
  (0, 'karyalay_owner', 'password=' || :'owner_pw'),
  (0, 'karyalay_app', 'password=' || :'app_pw')
ON CONFLICT DO NOTHING;
SELECT citus_set_coordinator_host('coordinator', 5432);
SELECT citus_add_node('worker1', 5432);
SELECT citus_add_node('worker2', 5432);
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;   -- propagated to every worker
SELECT nodename, nodeport, noderole, isactive FROM pg_dist_node ORDER BY nodeid;
