"""A tiny OpenID Connect provider for the single sign-on tests (django-oauth-toolkit).

It runs in a process of its own (``python -m tests.oidc_provider.serve``) with its own settings,
an SQLite database in a temporary folder and an RSA key made at start; nothing of it is committed
but this code. ``tests/config/sso_provider.py`` starts it and drives sign-ins through it.
"""
