"""System checks for what a deployment can get wrong."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_deploy_settings(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    problems = []
    if settings.KARYALAY_RELAX_MFA:
        problems.append(
            Error(
                "KARYALAY_RELAX_MFA is on with DEBUG off.",
                hint="Relaxing MFA is for the local demo only; unset KARYALAY_RELAX_MFA.",
                id="karyalay.E001",
            )
        )
    warnings = [
        (
            settings.ROOT_DOMAIN in ("localhost", "127.0.0.1"),
            "KARYALAY_ROOT_DOMAIN is 'localhost'.",
            "Set KARYALAY_ROOT_DOMAIN to the state's domain, e.g. karyalay.bihar.gov.in.",
            "karyalay.W001",
        ),
        (
            not settings.DATABASE_URL,
            "DATABASE_URL is not set: the embedded PostgreSQL is for local use.",
            "Point DATABASE_URL at the production PostgreSQL server.",
            "karyalay.W002",
        ),
        (
            not settings.REDIS_URL,
            "REDIS_URL is not set: huey's SQLite queue serves one machine only.",
            "Point REDIS_URL at the Redis server shared by web and worker processes.",
            "karyalay.W003",
        ),
        (
            bool(settings.DATABASE_URL)
            and settings.DATABASES["default"].get("USER") != settings.KARYALAY_DB_APP_ROLE,
            f"DATABASE_URL connects as {settings.DATABASES['default'].get('USER')!r}, not the app role "
            f"{settings.KARYALAY_DB_APP_ROLE!r}: whoever holds it can disable the audit triggers.",
            "Run manage.py db_roles and point DATABASE_URL at the app role (README, Database roles).",
            "karyalay.W004",
        ),
        (
            _sso_server_url().startswith("http://"),
            "KARYALAY_OIDC_SERVER_URL is plain http: the client secret and the person's tokens would "
            "cross the network unencrypted.",
            "Use the identity provider's https:// address (README, Single sign-on).",
            "karyalay.W005",
        ),
    ]
    problems += [Warning(msg, hint=hint, id=id_) for wrong, msg, hint, id_ in warnings if wrong]
    return problems


def _sso_server_url() -> str:
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS") or []
    return str((apps[0].get("settings") or {}).get("server_url", "")) if apps else ""
