"""Scheduled go-lives of the rollout plans."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from state_admin.services.rollouts import rollout_go_live_due


@db_periodic_task(crontab(hour="6", minute="0"))
def rollout_go_live_due_task() -> dict:
    """Runs every morning at 06:00: each phase target whose date has come, in a live district,
    takes its ready offices live; offices still not ready leave the target waiting, and the next
    morning's run tries again. Audited as "system"."""
    return rollout_go_live_due(actor=None)
