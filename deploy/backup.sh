#!/usr/bin/env bash
# Karyalay backup: a thin wrapper over `manage.py backup_create` (the one backup path; the
# CronJob calls the same command).
#
#   backup.sh [--all | --district SLUG] [--out DIR]
#
# --all (the default): the whole database (pg_dump custom format) and every district's files
# (MEDIA_ROOT/districts/<schema>/) in one .tar. --district SLUG: that district's schema, its files
# and the accounts posted in it, as a .tar.gz. Each has a manifest (row counts, every file's
# SHA-256, the audit chain's head, migration state) and is read back and verified after writing;
# it is written under a hidden name, fsynced and renamed, so a full or unwritable target leaves
# nothing that looks complete. Prints the archive's path. Environment: DATABASE_URL,
# KARYALAY_DATA_DIR / KARYALAY_MEDIA_ROOT, KARYALAY_BACKUP_DIR (default for --out),
# KARYALAY_PYTHON (default: the checkout's .venv/bin/python, else python3).
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")/.." && pwd)
python=${KARYALAY_PYTHON:-}
[[ -n $python ]] || { [[ -x $here/.venv/bin/python ]] && python=$here/.venv/bin/python || python=python3; }

args=()
which=(--all)
while (($#)); do
    case $1 in
        --all) which=(--all); shift ;;
        --district | --schema) (($# >= 2)) || { echo "backup: $1 needs a value" >&2; exit 2; }
            which=(--district "${2//_/-}"); shift 2 ;;
        --out) (($# >= 2)) || { echo "backup: --out needs a value" >&2; exit 2; }; args+=(--out "$2"); shift 2 ;;
        -h | --help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "backup: unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
done
umask 077  # backups hold personal data
out=$("$python" "$here/manage.py" backup_create "${which[@]}" "${args[@]}")
printf '%s\n' "$out" >&2
sed -n 's/^path: //p' <<<"$out"
