"""Project wiring: settings, URLconfs, WSGI/ASGI entry points and the embedded PostgreSQL."""
