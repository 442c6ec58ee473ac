"""Provisioning in the background, with progress a page can follow."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from huey.contrib.djhuey import db_task

from state_admin.models import OfficeTemplate
from state_admin.services.audit import StaffActor
from state_admin.services.office_templates import office_template_apply
from state_admin.services.provisioning import STEPS, DistrictSpec, ProvisioningError, district_provision

PROGRESS_SECONDS = 24 * 3600
TEMPLATE_STEP = "offices"


def progress_key(slug: str) -> str:
    return f"state:provisioning:{slug}"


def provisioning_progress_get(slug: str) -> dict | None:
    return cache.get(progress_key(slug))


def provisioning_progress_set(slug: str, **state) -> None:
    cache.set(progress_key(slug), state, PROGRESS_SECONDS)


def provisioning_steps(*, with_template: bool) -> tuple[str, ...]:
    return (*STEPS, TEMPLATE_STEP) if with_template else STEPS


@db_task()
def district_provision_task(
    slug: str,
    name: str,
    name_hi: str = "",
    range_name: str = "",
    admin_login_id=None,
    template_id: int | None = None,
    actor: dict | None = None,
    kind: str = "district",
):
    """Runs when the state console onboards a district. Progress steps go to the cache, where the
    onboarding page reads them; a failure is recorded there with its message. With a template,
    its offices and posts are made once the district is live (a failure there keeps the district
    and says so: the template can be applied again from the district's page)."""
    spec = DistrictSpec(
        slug=slug, name=name, name_hi=name_hi, range_name=range_name, admin_login_id=admin_login_id, kind=kind
    )
    steps = provisioning_steps(with_template=template_id is not None)

    def report(step: str, done: int, _total: int = 0) -> None:
        _progress(slug, steps, step=step, done=done)

    try:
        district = district_provision(spec=spec, progress=report)
    except ValidationError as exc:
        _progress(slug, steps, step="check", done=0, state="failed", error=" ".join(exc.messages))
        return False
    except ProvisioningError as exc:
        _progress(slug, steps, step=exc.step, done=0, state="failed", error=str(exc))
        return False
    if template_id is not None:
        report(TEMPLATE_STEP, len(steps) - 1)
        template = OfficeTemplate.objects.filter(pk=template_id).first()
        staff = StaffActor.from_task_args(**actor) if actor else None
        try:
            if template is not None:
                with transaction.atomic():
                    office_template_apply(actor=staff, district=district, template=template)
        except Exception as exc:  # the district stands; the template can be applied again
            _progress(slug, steps, step=TEMPLATE_STEP, done=len(steps) - 1, state="failed", error=str(exc))
            return False
    _progress(slug, steps, step="done", done=len(steps), state="done")
    return True


def _progress(slug: str, steps: tuple[str, ...], *, step: str, done: int, state="running", error="") -> None:
    provisioning_progress_set(
        slug, step=step, done=done, total=len(steps), steps=steps, state=state, error=error
    )


def district_provision_enqueue(
    *, spec: DistrictSpec, template_id: int | None = None, actor: StaffActor | None = None
) -> None:
    steps = provisioning_steps(with_template=template_id is not None)
    _progress(spec.slug, steps, step="queued", done=0, state="queued")
    district_provision_task(
        spec.slug,
        spec.name,
        spec.name_hi,
        spec.range_name,
        spec.admin_login_id,
        template_id=template_id,
        actor=actor.as_task_args() if actor else None,
        kind=spec.kind,
    )
