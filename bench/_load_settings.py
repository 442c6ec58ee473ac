"""bench/load.py's server settings: the project's own, with one more district URL, the ceiling
page (``bench/_load_urls.py``). Everything else (middleware, sessions, database) is unchanged."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "_load_urls"
