"""Background work of the state console."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from huey.contrib.djhuey import db_task

from state_admin.services.provisioning import DistrictSpec, ProvisioningError, district_provision

PROGRESS_SECONDS = 24 * 3600


def progress_key(slug: str) -> str:
    return f"state:provisioning:{slug}"


def provisioning_progress_get(slug: str) -> dict | None:
    return cache.get(progress_key(slug))


def provisioning_progress_set(slug: str, **state) -> None:
    cache.set(progress_key(slug), state, PROGRESS_SECONDS)


@db_task()
def district_provision_task(
    slug: str, name: str, name_hi: str = "", range_name: str = "", admin_login_id=None
):
    """Runs when the state console onboards a district. Progress steps go to the cache, where the
    district's provisioning page reads them; a failure is recorded there with its message."""
    spec = DistrictSpec(
        slug=slug, name=name, name_hi=name_hi, range_name=range_name, admin_login_id=admin_login_id
    )

    def report(step: str, done: int, total: int) -> None:
        provisioning_progress_set(slug, step=step, done=done, total=total, state="running", error="")

    try:
        district_provision(spec=spec, progress=report)
    except ValidationError as exc:
        provisioning_progress_set(
            slug, step="check", done=0, total=1, state="failed", error=" ".join(exc.messages)
        )
        return False
    except ProvisioningError as exc:
        provisioning_progress_set(slug, step=exc.step, done=0, total=1, state="failed", error=str(exc))
        return False
    provisioning_progress_set(slug, step="live", done=1, total=1, state="done", error="")
    return True


def district_provision_enqueue(*, spec: DistrictSpec) -> None:
    provisioning_progress_set(spec.slug, step="queued", done=0, total=1, state="queued", error="")
    district_provision_task(spec.slug, spec.name, spec.name_hi, spec.range_name, spec.admin_login_id)
