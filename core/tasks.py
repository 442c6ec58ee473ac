"""Background work inside one district, each task bound to its schema by ``district_task``:

officer_import_task(schema_name, job_id, actor_id=...)   # enqueue (on commit)

(``core.org.officer_import.district``), and nightly work that visits every district with a schema,
each under its own ``district_context``:

district_import_files_prune_task()                       # 03:40, officer files (officer_import.prune)
search_people_refresh_task()                             # 00:20, live districts: who is posted (search)
audit_seal_task()                                        # every minute, a pass every 2 s: audit seals

The e-File's tasks (``core.efile.tasks``, ``core.efile.document_tasks``) are imported at the end.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.base.audit.sealer import audit_seal_loop
from core.org.officer_import.district import officer_import_task  # noqa: F401 (registered here)
from core.org.officer_import.prune import district_import_files_prune_task  # noqa: F401


@db_periodic_task(crontab(minute="*"))
def audit_seal_task() -> int:
    """Every minute, for most of the minute: a pass every two seconds that chains every district's
    newly committed audit events (``core.base.audit.sealer``). Holds one consumer thread while it runs;
    should a slow minute's loop overlap the next, each district's lock makes the two take turns.
    Returns the number of events sealed."""

    return audit_seal_loop()


# The e-File's tasks live with the e-File; imported here, the one module huey discovers in core
# (djhuey imports every installed app's ``tasks``), so that the consumer knows them.
from core.base.notifications import notification_email_task  # noqa: E402, F401
from core.cases.tasks import digitisation_batch_run_task  # noqa: E402, F401
from core.efile.document_tasks import documents_sweep_task  # noqa: E402, F401
from core.efile.tasks import efile_overdue_notify_task  # noqa: E402, F401
from core.letters.tasks import (  # noqa: E402, F401
    letters_deliver_task,
    letters_directory_task,
    letters_relay_task,
    letters_sweep_task,
)
from core.ocr.tasks import document_ocr_task  # noqa: E402, F401
from core.rti.tasks import rti_daily_task, rti_reply_bundle_task  # noqa: E402, F401
from core.search.tasks import search_index_task, search_people_refresh_task  # noqa: E402, F401
from core.supervision.tasks import supervision_refresh_task  # noqa: E402, F401
from core.uploads.tasks import resumable_expire_task  # noqa: E402, F401
