"""The consumer's heartbeat: proof that a huey consumer takes tasks off the queue.

``/readyz`` (config.health) and the worker's own liveness check (``manage.py consumer_alive``)
read its timestamp. The periodic task runs at the start of every minute and enqueues one more
beat 30 seconds later, so a working consumer's heartbeat is never much more than 30 seconds old
and the 60-second limit holds with room to spare. A consumer that is stuck, or cannot reach the
queue, stops beating.
"""

from huey import crontab
from huey.contrib.djhuey import periodic_task, task

from config.heartbeat import heartbeat_write

BEAT_SECONDS = 30


@task()
def consumer_heartbeat_task() -> None:
    """The half-minute beat, enqueued by the periodic one."""
    heartbeat_write()


@periodic_task(crontab(minute="*"))
def consumer_heartbeat_periodic_task() -> None:
    """Every minute: a beat now, and one more in 30 seconds."""
    heartbeat_write()
    consumer_heartbeat_task.schedule(delay=BEAT_SECONDS)
