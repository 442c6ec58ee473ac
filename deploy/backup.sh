#!/usr/bin/env bash
# Karyalay backup: the whole database and media root, or one district schema and its
# media folder (<media root>/<schema>/).
#
#   backup.sh [--schema NAME] [--out DIR]
#
# Environment: DATABASE_URL (postgres://user:password@host:port/db), KARYALAY_MEDIA_ROOT,
# KARYALAY_BACKUP_DIR (parent folder, default /var/backups/karyalay; --out overrides).
# Writes <parent>/<UTC time>[-<schema>]/ holding database.dump (pg_dump custom format),
# media.tar (if there is media), manifest.txt and SHA256SUMS, then prints that path.
# pg_dump must be at least the server's major version (compose runs it from postgres:16).
set -euo pipefail
# Byte-wise character ranges: [a-z] below must mean exactly a to z.
export LC_ALL=C

die() { printf 'backup: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,11s/^# \{0,1\}//p' "$0"; }

# Same rule as restore.sh. Only a lower-case identifier (safe unquoted in SQL and as a
# folder name); the shared and system schemas are not districts.
valid_schema() {
    [[ $1 =~ ^[a-z][a-z0-9_]{0,62}$ ]] || return 1
    case $1 in public | information_schema | pg_*) return 1 ;; esac
}

schema=""
parent="${KARYALAY_BACKUP_DIR:-/var/backups/karyalay}"
while (($#)); do
    case $1 in
        --schema) (($# >= 2)) || die "--schema needs a value"; schema=$2; shift 2 ;;
        --schema=*) schema=${1#*=}; shift ;;
        --out) (($# >= 2)) || die "--out needs a value"; parent=$2; shift 2 ;;
        --out=*) parent=${1#*=}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
done

: "${DATABASE_URL:?DATABASE_URL is not set}"
media_root=${KARYALAY_MEDIA_ROOT:?KARYALAY_MEDIA_ROOT is not set}
if [[ -n $schema ]] && ! valid_schema "$schema"; then
    die "invalid schema name '$schema' (must match ^[a-z][a-z0-9_]{0,62}\$, not a system schema)"
fi
for tool in pg_dump tar sha256sum; do
    command -v "$tool" >/dev/null || die "$tool not found"
done

# Dumps hold personal data: everything written here is readable by the owner only.
umask 077
name=$(date -u +%Y%m%dT%H%M%SZ)${schema:+-$schema}
mkdir -p -- "$parent"
# Work in a hidden folder, renamed only when complete: a visible folder is a whole backup.
work="$parent/.$name.partial"
mkdir -- "$work"
trap 'rm -rf -- "$work"' EXIT

# Database first, media second: files uploaded in between are merely unreferenced after a
# restore, whereas the reverse order could restore rows whose files are missing.
dump_args=(--format=custom --file="$work/database.dump" --dbname="$DATABASE_URL")
if [[ -n $schema ]]; then
    # --strict-names: a schema that does not exist is an error, not an empty dump.
    dump_args+=(--schema="$schema" --strict-names)
fi
pg_dump "${dump_args[@]}"
files=(database.dump)

# Members are stored as ./<schema>/... in both kinds, so restore.sh can pick one district
# out of a whole backup.
media_member=.
[[ -z $schema ]] || media_member=./$schema
media=none
if [[ -d $media_root/${schema} ]]; then
    rc=0
    tar --create --file="$work/media.tar" --numeric-owner \
        --directory="$media_root" "$media_member" || rc=$?
    # GNU tar exits 1 when a file changed while being read (uploads continue during a
    # backup); the archive is still usable. Anything higher is a real failure.
    ((rc <= 1)) || die "tar failed with status $rc"
    ((rc == 0)) || printf 'backup: warning: some media files changed while archived\n' >&2
    media=media.tar
    files+=(media.tar)
else
    printf 'backup: note: no media folder at %s, archiving none\n' "$media_root/${schema}" >&2
fi

cat >"$work/manifest.txt" <<EOF
format=karyalay-backup-1
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
kind=$([[ -n $schema ]] && echo schema || echo full)
schema=$schema
media=$media
pg_dump=$(pg_dump --version)
EOF
files+=(manifest.txt)

(cd -- "$work" && sha256sum -- "${files[@]}" >SHA256SUMS)
# Flush to disk before the rename publishes the folder as complete.
sync -- "$work"/*
mv -- "$work" "$parent/$name"
trap - EXIT
printf '%s\n' "$parent/$name"
