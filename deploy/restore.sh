#!/usr/bin/env bash
# Karyalay restore: a thin wrapper over `manage.py backup_restore`.
#
#   restore.sh ARCHIVE [--as NEW-SLUG] [--replace] [--district SLUG]
#
# A district backup (.tar.gz) comes back into the running deployment without touching any other
# district: under its own slug where it is gone; over the live district only with --replace (the
# live one keeps serving until one transaction swaps schema and files); beside it with
# --as NEW-SLUG (new schema, new domain). A deployment backup (.tar) restores whole into an empty
# database (disaster recovery); run `manage.py db_roles` afterwards. Every member's SHA-256 and
# the code's version are checked before anything changes. Environment as for backup.sh; the
# same SECRET_KEY (or KARYALAY_AUDIT_ANCHOR_KEY) as the backed-up deployment, or its audit
# anchors do not verify.
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")/.." && pwd)
python=${KARYALAY_PYTHON:-}
[[ -n $python ]] || { [[ -x $here/.venv/bin/python ]] && python=$here/.venv/bin/python || python=python3; }
case ${1:-} in -h | --help | "") sed -n '2,13s/^# \{0,1\}//p' "$0"; [[ -n ${1:-} ]]; exit ;; esac
exec "$python" "$here/manage.py" backup_restore "$@"
