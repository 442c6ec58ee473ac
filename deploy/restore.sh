#!/usr/bin/env bash
# Karyalay restore from a folder written by backup.sh.
#
#   restore.sh [--schema NAME] [--yes] BACKUP_FOLDER
#
# Every file is checked against SHA256SUMS before anything is changed.
# Whole backup:  pg_restore --clean --if-exists in one transaction, then media.tar is
#                unpacked into KARYALAY_MEDIA_ROOT.
# --schema NAME: only that district, from a district or a whole backup: the schema is
#                dropped and rebuilt in one transaction, then <media root>/NAME/ is unpacked.
# A district backup restores its own district without --schema. Stop web and worker first.
# Files newer than the backup stay in the media root (unreferenced after the restore).
set -euo pipefail
# Byte-wise character ranges: [a-z] below must mean exactly a to z.
export LC_ALL=C

die() { printf 'restore: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }

# Same rule as backup.sh. Only a lower-case identifier (safe unquoted in SQL and as a
# folder name); the shared and system schemas are not districts.
valid_schema() {
    [[ $1 =~ ^[a-z][a-z0-9_]{0,62}$ ]] || return 1
    case $1 in public | information_schema | pg_*) return 1 ;; esac
}

schema=""
assume_yes=0
folder=""
while (($#)); do
    case $1 in
        --schema) (($# >= 2)) || die "--schema needs a value"; schema=$2; shift 2 ;;
        --schema=*) schema=${1#*=}; shift ;;
        --yes) assume_yes=1; shift ;;
        -h | --help) usage; exit 0 ;;
        -*) die "unknown option: $1 (try --help)" ;;
        *) [[ -z $folder ]] || die "only one backup folder may be given"; folder=$1; shift ;;
    esac
done
[[ -n $folder ]] || die "no backup folder given (try --help)"

: "${DATABASE_URL:?DATABASE_URL is not set}"
media_root=${KARYALAY_MEDIA_ROOT:?KARYALAY_MEDIA_ROOT is not set}
if [[ -n $schema ]] && ! valid_schema "$schema"; then
    die "invalid schema name '$schema' (must match ^[a-z][a-z0-9_]{0,62}\$, not a system schema)"
fi
for tool in pg_restore psql tar sha256sum; do
    command -v "$tool" >/dev/null || die "$tool not found"
done

# --- 1. Integrity: nothing below runs unless every file matches its recorded sum.
[[ -f $folder/SHA256SUMS ]] || die "$folder/SHA256SUMS not found"
(cd -- "$folder" && sha256sum --check --strict --quiet SHA256SUMS) ||
    die "checksum verification failed in $folder; nothing was restored"
listed=$(awk '{ name = $2; sub(/^\*/, "", name); print name }' "$folder/SHA256SUMS")
covered() { grep -qxF -- "$1" <<<"$listed"; }
for f in database.dump manifest.txt; do
    covered "$f" || die "$f is not covered by SHA256SUMS"
done

manifest() { awk -v key="$1" 'index($0, key "=") == 1 { print substr($0, length(key) + 2); exit }' \
    "$folder/manifest.txt"; }
[[ $(manifest format) == karyalay-backup-1 ]] || die "not a karyalay backup (manifest format)"
kind=$(manifest kind)
media=$(manifest media)
[[ $media == none ]] || covered media.tar || die "media.tar is not covered by SHA256SUMS"
dump=$folder/database.dump

# --- 2. What to restore.
case $kind in
    full) ;;
    schema)
        backup_schema=$(manifest schema)
        valid_schema "$backup_schema" || die "manifest names an invalid schema"
        if [[ -z $schema ]]; then
            schema=$backup_schema
        elif [[ $schema != "$backup_schema" ]]; then
            die "this backup holds schema '$backup_schema', not '$schema'"
        fi
        ;;
    *) die "unknown backup kind '$kind'" ;;
esac
if [[ -n $schema ]]; then
    # Captured first, then searched: grep -q closing the pipe early would trip pipefail.
    toc=$(pg_restore --list --schema="$schema" "$dump")
    grep -q '^[0-9]' <<<"$toc" || die "schema '$schema' is not in this backup"
    target="schema $schema"
else
    target="the whole database"
fi

# --- 3. Confirmation: this replaces live data.
db_shown=$(sed -E 's#//[^@/]*@#//***@#' <<<"$DATABASE_URL")
if ((!assume_yes)); then
    [[ -t 0 ]] || die "refusing to replace $target without --yes (no terminal to ask)"
    read -r -p "Replace $target in $db_shown from $folder? Type 'restore' to go on: " answer
    [[ $answer == restore ]] || die "cancelled; nothing was restored"
fi

# --- 4. Database.
# Owners and grants of the source are not replayed: everything is owned by the role in
# DATABASE_URL (the application's role), so a backup restores under any role name.
if [[ -z $schema ]]; then
    # One transaction: on any error nothing is changed. Restore into an empty database for
    # disaster recovery; --clean cannot drop objects created after the backup.
    pg_restore --clean --if-exists --no-owner --no-privileges \
        --single-transaction --exit-on-error --dbname="$DATABASE_URL" "$dump"
else
    # --clean only drops what the dump knows about; a table added by a later migration
    # would keep the schema alive. So the schema is dropped with CASCADE and recreated,
    # and the dump's objects (pg_restore --schema omits CREATE SCHEMA) are replayed into it.
    # COMMIT is sent only if pg_restore produced the whole script; otherwise psql reaches
    # end of input inside the transaction and the server rolls it back.
    (
        printf 'BEGIN;\nDROP SCHEMA IF EXISTS "%s" CASCADE;\nCREATE SCHEMA "%s";\n' "$schema" "$schema"
        pg_restore --schema="$schema" --no-owner --no-privileges --file=- "$dump"
        printf 'COMMIT;\n'
    ) | psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --dbname="$DATABASE_URL" >/dev/null
fi
printf 'restore: database: %s restored\n' "$target" >&2

# --- 5. Media. Existing files with the same path are overwritten, others are kept.
if [[ $media == none ]]; then
    printf 'restore: media: none in this backup\n' >&2
    exit 0
fi
mkdir -p -- "$media_root"
if [[ -z $schema ]]; then
    tar --extract --file="$folder/media.tar" --numeric-owner --directory="$media_root"
elif tar --list --file="$folder/media.tar" |
    awk -v prefix="./$schema/" 'index($0, prefix) == 1 { found = 1 } END { exit !found }'; then
    tar --extract --file="$folder/media.tar" --numeric-owner --directory="$media_root" "./$schema"
else
    printf 'restore: media: no %s/ folder in this backup\n' "$schema" >&2
    exit 0
fi
printf 'restore: media: restored into %s\n' "$media_root" >&2
