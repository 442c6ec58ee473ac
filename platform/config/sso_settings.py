"""The state's OpenID Connect provider, read from ``KARYALAY_OIDC_*`` (issue 20.5).

Imported by the settings module, so it reads the environment and nothing else. Unset
``KARYALAY_OIDC_SERVER_URL`` means no single sign-on: ``SOCIALACCOUNT_PROVIDERS`` is empty, the
sign-in pages show no button and every SSO address answers 404.

- ``KARYALAY_OIDC_SERVER_URL``: the issuer, e.g. ``https://sso.police.example.gov.in/realms/bihar``
  (its ``/.well-known/openid-configuration`` is read at sign-in).
- ``KARYALAY_OIDC_CLIENT_ID``, ``KARYALAY_OIDC_CLIENT_SECRET``: Karyalay's client at the provider
  (a confidential client; the secret comes from the environment, never from git).
- ``KARYALAY_OIDC_NAME``, ``KARYALAY_OIDC_NAME_HI``: the button's name in English and Hindi.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from config.env import env_str

# The provider's id in Karyalay's addresses: /accounts/oidc/state/login/callback/.
PROVIDER_ID = "state"


def providers_setting() -> dict:
    """``SOCIALACCOUNT_PROVIDERS`` for the environment: one settings-based app, or nothing."""
    server_url = env_str("KARYALAY_OIDC_SERVER_URL")
    if not server_url:
        return {}
    parts = urlsplit(server_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"KARYALAY_OIDC_SERVER_URL must be an http(s) URL; got {server_url!r}")
    client_id = env_str("KARYALAY_OIDC_CLIENT_ID")
    secret = env_str("KARYALAY_OIDC_CLIENT_SECRET")
    if not client_id or not secret:
        raise ImproperlyConfigured(
            "KARYALAY_OIDC_SERVER_URL is set: KARYALAY_OIDC_CLIENT_ID and KARYALAY_OIDC_CLIENT_SECRET "
            "must be set too."
        )
    return {
        "openid_connect": {
            # The authorization code is bound to this sign-in by PKCE (S256) as well as by state.
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": env_str("KARYALAY_OIDC_NAME", "State single sign-on"),
                    "client_id": client_id,
                    "secret": secret,
                    "settings": {
                        "server_url": server_url,
                        "name_hi": env_str("KARYALAY_OIDC_NAME_HI"),
                    },
                }
            ],
        }
    }
