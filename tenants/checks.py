"""System checks for what a deployment can get wrong."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_deploy_settings(app_configs, **kwargs):
    problems = []
    if settings.ROOT_DOMAIN in ("localhost", "127.0.0.1") and not settings.DEBUG:
        problems.append(
            Warning(
                "KARYALAY_ROOT_DOMAIN is 'localhost' with DEBUG off.",
                hint="Set KARYALAY_ROOT_DOMAIN to the state's domain, e.g. karyalay.bihar.gov.in.",
                id="karyalay.W001",
            )
        )
    if settings.KARYALAY_RELAX_MFA and not settings.DEBUG:
        problems.append(
            Error(
                "KARYALAY_RELAX_MFA is on with DEBUG off.",
                hint="Relaxing MFA is for the local demo only; unset KARYALAY_RELAX_MFA.",
                id="karyalay.E001",
            )
        )
    if not settings.DATABASE_URL and not settings.DEBUG:
        problems.append(
            Warning(
                "DATABASE_URL is not set with DEBUG off: the embedded PostgreSQL is for local use.",
                hint="Point DATABASE_URL at the production PostgreSQL server.",
                id="karyalay.W002",
            )
        )
    if not settings.REDIS_URL and not settings.DEBUG:
        problems.append(
            Warning(
                "REDIS_URL is not set with DEBUG off: huey's SQLite queue serves one machine only.",
                hint="Point REDIS_URL at the Redis server shared by web and worker processes.",
                id="karyalay.W003",
            )
        )
    return problems
