#!/usr/bin/env bash
# Point-in-time recovery drill with pgBackRest, on a PostgreSQL instance of its own.
#
#   deploy/drill.sh [--writes-before N] [--writes-after N]
#
# 1. initdb a scratch instance in a temp folder on a free port in 5500-5599 (never the machine's
#    cluster), WAL archived by pgbackrest (archive_command = archive-push) to a temp repository;
# 2. migrate it and provision a small district (drill: an SP office, a dak clerk, a DSP); take a full pgBackRest backup;
# 3. keep writing (each write: open a file, upload a PDF, send it on; "ack N" after its commit),
#    record the moment T, write more;
# 4. one district to T: restore the cluster to T into a second scratch instance, back the district up
#    from it with `backup_create --district`, restore that beside the live one as drill-at-t
#    (`backup_restore --as`), and check the copy holds exactly the writes before T, the live one all;
# 5. SIGKILL the live instance, restore it in place to T (pgbackrest --type=time), start it, and
#    check exactly the acknowledged writes before T are there (files, documents, movements, files
#    on disk by SHA-256) and none after; verify the district's audit chain.
# Prints the recovery point gap and the restore times. Exit 0 only if every check passed.
# Needs: pgbackrest and PostgreSQL server binaries (Debian: apt-get install pgbackrest
# postgresql); run as root (postgres runs as the postgres user) or as an ordinary user.
set -euo pipefail
export LC_ALL=C
here=$(cd -- "$(dirname -- "$0")/.." && pwd)
python=${KARYALAY_PYTHON:-}
[[ -n $python ]] || { [[ -x $here/.venv/bin/python ]] && python=$here/.venv/bin/python || python=python3; }
before=${DRILL_WRITES_BEFORE:-12}
after=${DRILL_WRITES_AFTER:-8}
while (($#)); do
    case $1 in
        --writes-before) before=$2; shift 2 ;;
        --writes-after) after=$2; shift 2 ;;
        -h | --help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "drill: unknown argument $1" >&2; exit 2 ;;
    esac
done

say() { printf 'drill: %s\n' "$*" >&2; }
die() { printf 'drill: FAILED: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

command -v pgbackrest >/dev/null || die "pgbackrest is not installed (Debian: apt-get install -y pgbackrest)"
pgbin=${DRILL_PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
[[ -x $pgbin/initdb && -x $pgbin/pg_ctl && -x $pgbin/psql ]] || die "no PostgreSQL server binaries (set DRILL_PGBIN)"

free_port() {
    local p
    for p in $(shuf -i 5500-5599); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
        [[ $p != "${1:-}" ]] && { echo "$p"; return; }
    done
    die "no free port in 5500-5599"
}

work=$(mktemp -d /tmp/karyalay-drill.XXXXXX)
chmod 755 "$work"
as_pg=()
if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || die "running as root needs a postgres user to run the server"
    as_pg=(runuser -u postgres --)
fi
live=$work/live scratch=$work/scratch sock=$work/sock conf=$work/pgbackrest.conf
mkdir -p "$live" "$scratch" "$sock" "$work/repo" "$work/log" "$work/spool" "$work/lock" "$work/data"
((EUID != 0)) || chown postgres "$live" "$scratch" "$sock" "$work/repo" "$work/log" "$work/spool" "$work/lock"
chmod 700 "$live" "$scratch"
port=$(free_port)
port2=$(free_port "$port")

cleanup() {
    for dir in "$scratch" "$live"; do
        [[ -f $dir/postmaster.pid ]] && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1
    done
    rm -rf -- "$work"
}
trap cleanup EXIT

cat >"$conf" <<EOF
[global]
repo1-path=$work/repo
repo1-retention-full=1
log-path=$work/log
lock-path=$work/lock
spool-path=$work/spool
log-level-console=warn
log-level-file=info
start-fast=y
compress-type=lz4

[drill]
pg1-path=$live
pg1-port=$port
pg1-socket-path=$sock
pg1-user=postgres
EOF
chmod 644 "$conf"
pgbr() { "${as_pg[@]}" pgbackrest --config="$conf" --stanza=drill "$@"; }

start() { # data dir, port, extra server options
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$1" -l "$work/log/${1##*/}.log" -w -t 120 \
        -o "-p $2 -k $sock -c listen_addresses=127.0.0.1 -c fsync=on $3" start >/dev/null ||
        { tail -n 20 "$work/log/${1##*/}.log" >&2; die "PostgreSQL in $1 did not start"; }
}
archiving="-c wal_level=replica -c archive_mode=on -c archive_timeout=10 -c track_commit_timestamp=on"
archiving+=" -c archive_command='pgbackrest --config=$conf --stanza=drill archive-push %p'"
sql() { "$pgbin/psql" -X -q -At -h 127.0.0.1 -p "$1" -U postgres -d karyalay -v ON_ERROR_STOP=1 -c "$2"; }

say "scratch PostgreSQL $($pgbin/pg_ctl --version | awk '{print $3}') on 127.0.0.1:$port, pgBackRest $(pgbackrest version | awk '{print $2}'), work folder $work"
"${as_pg[@]}" "$pgbin/initdb" -D "$live" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
start "$live" "$port" "$archiving"
"$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres karyalay
pgbr stanza-create >/dev/null
pgbr check >/dev/null

export DATABASE_URL=postgresql://postgres@127.0.0.1:$port/karyalay KARYALAY_DATA_DIR=$work/data
export KARYALAY_NO_EMBEDDED_START=1 DJANGO_SETTINGS_MODULE=config.settings
unset REDIS_URL KARYALAY_MEDIA_ROOT KARYALAY_OWNER_DATABASE_URL
manage() { (cd "$here" && "$python" manage.py "$@"); }
t0=$(now)
manage migrate --verbosity 0
manage template_refresh >/dev/null
manage drill_write --district drill --setup --first 1 --count 0
say "migrated and provisioned the drill district in $(secs "$t0" "$(now)") s"

t0=$(now)
pgbr --type=full backup
say "full pgBackRest backup in $(secs "$t0" "$(now)") s"

acks=$work/acks
manage drill_write --district drill --first 1 --count "$before" >"$acks.before"
sleep 1.2
T=$(sql "$port" "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
sleep 1.2
manage drill_write --district drill --first $((before + 1)) --count "$after" >"$acks.after"
[[ $(wc -l <"$acks.before") == "$before" && $(wc -l <"$acks.after") == "$after" ]] || die "writes were not acknowledged"
say "acknowledged $before writes before T = $T and $after after it"

drill_rows() { # port, database: the drill writes present, as "n" lines, sorted
    "$pgbin/psql" -X -q -At -h 127.0.0.1 -p "$1" -U postgres -d karyalay -c \
        "SELECT substr(subject, 13) FROM $2.core_efile WHERE subject LIKE 'drill write %' ORDER BY 1" | sort -n
}
expect_before=$(seq 1 "$before")
expect_all=$(seq 1 $((before + after)))
[[ $(drill_rows "$port" drill) == "$expect_all" ]] || die "the live instance lacks acknowledged writes"
last_before=$(sql "$port" "SELECT max(pg_xact_commit_timestamp(xmin)) FROM drill.core_efile WHERE subject LIKE 'drill write %' AND substr(subject, 13)::int <= $before")
gap=$(sql "$port" "SELECT round(extract(epoch FROM timestamptz '$T' - timestamptz '$last_before')::numeric, 3)")

# Everything up to now reaches the archive (a crash loses at most archive_timeout = 10 s of WAL).
sql "$port" "SELECT pg_switch_wal()" >/dev/null
pgbr check >/dev/null

# --- One district to T, beside the live one ---------------------------------------------------
t0=$(now)
pgbr --pg1-path="$scratch" --type=time "--target=$T" --target-action=promote restore
start "$scratch" "$port2" ""
for _ in $(seq 1 120); do
    [[ $(sql "$port2" "SELECT pg_is_in_recovery()") == f ]] && break
    sleep 0.5
done
[[ $(sql "$port2" "SELECT pg_is_in_recovery()") == f ]] || die "the scratch instance did not finish recovery"
scratch_ready=$(secs "$t0" "$(now)")
[[ $(drill_rows "$port2" drill) == "$expect_before" ]] || die "the cluster restored to T does not hold exactly the writes before T"
archive=$(DATABASE_URL=postgresql://postgres@127.0.0.1:$port2/karyalay manage backup_create --district drill --out "$work/backups" | sed -n 's/^path: //p')
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$scratch" -m fast stop >/dev/null
manage backup_restore "$archive" --as drill-at-t >/dev/null
district_seconds=$(secs "$t0" "$(now)")
[[ $(drill_rows "$port" drill_at_t) == "$expect_before" ]] || die "drill-at-t does not hold exactly the writes before T"
[[ $(drill_rows "$port" drill) == "$expect_all" ]] || die "the live district changed"
manage verify_audit drill-at-t >/dev/null || die "drill-at-t's audit chain does not verify"
say "one district to T: cluster restored to T in a scratch instance in $scratch_ready s; drill-at-t beside the live district in $district_seconds s in all"

# --- The crash: SIGKILL, then the whole cluster back to T ---------------------------------------
sql "$port" "SELECT pg_switch_wal()" >/dev/null
pgbr check >/dev/null
pid=$(head -n1 "$live/postmaster.pid")
kill -KILL "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
# The server's children leave when they see the postmaster gone; the stale pid file is the
# operator's to remove once nothing runs (pgbackrest refuses to restore over a running server).
for _ in $(seq 1 100); do pgrep -f -- "-D $live" >/dev/null 2>&1 || pgrep -u postgres -f "$live" >/dev/null 2>&1 || break; sleep 0.1; done
rm -f -- "$live/postmaster.pid"
say "killed PostgreSQL with SIGKILL"
t0=$(now)
pgbr --delta --type=time "--target=$T" --target-action=promote restore
start "$live" "$port" "$archiving"
for _ in $(seq 1 120); do
    [[ $(sql "$port" "SELECT pg_is_in_recovery()") == f ]] && break
    sleep 0.5
done
restore_seconds=$(secs "$t0" "$(now)")
[[ $(sql "$port" "SELECT pg_is_in_recovery()") == f ]] || die "the restored instance did not finish recovery"

got=$(drill_rows "$port" drill)
[[ $got == "$expect_before" ]] || die "after the restore to T: expected writes 1..$before, found: $(echo $got)"
documents=$(sql "$port" "SELECT count(*) FROM drill.core_document d JOIN drill.core_efile f ON f.id = d.file_id WHERE f.subject LIKE 'drill write %'")
moves=$(sql "$port" "SELECT count(*) FROM drill.core_movement m JOIN drill.core_efile f ON f.id = m.file_id WHERE f.subject LIKE 'drill write %'")
[[ $documents == "$before" ]] || die "expected $before drill documents after the restore, found $documents"
((moves >= before)) || die "expected a movement for each of the $before writes, found $moves"
media=$work/data/media/districts/drill
while IFS='|' read -r stored sha; do
    [[ $(sha256sum <"$media/$stored" | cut -d' ' -f1) == "$sha" ]] || die "the uploaded file $stored does not match its SHA-256"
done < <(sql "$port" "SELECT v.stored_name, v.sha256 FROM drill.core_documentversion v JOIN drill.core_document d ON d.id = v.document_id JOIN drill.core_efile f ON f.id = d.file_id WHERE f.subject LIKE 'drill write %'")
manage verify_audit drill >/dev/null || die "the district's audit chain does not verify after the restore"

printf 'drill: OK: exactly the %s writes acknowledged before T came back, none of the %s after; %s documents and their files (SHA-256), %s movements; audit chain verified\n' \
    "$before" "$after" "$documents" "$moves"
printf 'drill: recovery point gap: %s s (T minus the commit of the last write before T; a lost server loses at most archive_timeout = 10 s of WAL)\n' "$gap"
printf 'drill: restore time: %s s (pgbackrest restore --type=time to T, start, recovery, promotion)\n' "$restore_seconds"
printf 'drill: one district to T beside the live one: %s s\n' "$district_seconds"
