"""``make run``: start PostgreSQL if needed, migrate, seed the demo once, then serve the site
with a huey consumer beside it.

Ctrl-C stops the web server, the consumer and, if this run started it, the embedded PostgreSQL.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from config import embedded_postgres

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()

    env = dict(os.environ)
    env.setdefault("KARYALAY_RELAX_MFA", "1")  # the local demo only; refused with DEBUG off
    env.setdefault("KARYALAY_PUBLIC_PORT", args.port)
    started_db = False
    admin_env = env
    if not env.get("DATABASE_URL"):
        started_db = not embedded_postgres.is_running()
        embedded_postgres.start()
        env["KARYALAY_NO_EMBEDDED_START"] = "1"
        # Two roles, as in production (tenants/roles.py): the site and its worker connect as the
        # app role, migrations and provisioning as the owner; the superuser only sets them up.
        env["DATABASE_URL"] = embedded_postgres.url(user=env.get("KARYALAY_DB_APP_ROLE", "karyalay_app"))
        env["KARYALAY_OWNER_DATABASE_URL"] = embedded_postgres.url(
            user=env.get("KARYALAY_DB_OWNER_ROLE", "karyalay_owner")
        )
        admin_env = {**env, "KARYALAY_ADMIN_DATABASE_URL": embedded_postgres.url()}
    else:
        embedded_postgres.database_ensure(env.get("KARYALAY_ADMIN_DATABASE_URL") or env["DATABASE_URL"])
    manage = [sys.executable, str(PROJECT_DIR / "manage.py")]
    quiet = {"check": True, "env": env, "stdout": subprocess.DEVNULL}
    roles = env.get("KARYALAY_OWNER_DATABASE_URL")
    if roles:  # the roles first (the owner must own the database to migrate it), again after
        subprocess.run([*manage, "db_roles"], **{**quiet, "env": admin_env})
    subprocess.run([*manage, "migrate", "--verbosity", "0"], **quiet)
    subprocess.run([*manage, "template_refresh"], **quiet)
    if roles:
        subprocess.run([*manage, "db_roles"], **{**quiet, "env": admin_env})
    root = env.get("KARYALAY_ROOT_DOMAIN", "localhost")
    print(
        f"\nKaryalay: state console http://{root}:{args.port}/ · Vaishali http://vaishali.{root}:{args.port}/"
    )
    subprocess.run([*manage, "seed_demo", "--print-logins"], check=True, env=env)
    print("Ctrl-C stops it.\n")

    # Ctrl-C, a closed terminal or a plain kill: each stops the children below, never orphans them.
    for stop in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _interrupt)
    # Each child leads a process group of its own, so that stopping it also stops what it started
    # (runserver's auto-reloader runs the server in a second process). runserver keeps no database
    # connection between requests (config.settings: CONN_MAX_AGE is 0 under runserver, whatever
    # KARYALAY_CONN_MAX_AGE says); the consumer's two worker threads keep one each.
    children = [
        subprocess.Popen([*manage, "runserver", f"127.0.0.1:{args.port}"], env=env, start_new_session=True),
        subprocess.Popen(
            [*manage, "run_huey", "--workers", "2", "--worker-type", "thread"],
            env=env,
            start_new_session=True,
        ),
    ]
    try:
        while all(child.poll() is None for child in children):
            with contextlib.suppress(subprocess.TimeoutExpired):
                children[0].wait(timeout=1)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)  # anything of its group still there
        if started_db:
            embedded_postgres.stop()
            print("Stopped the embedded PostgreSQL.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
