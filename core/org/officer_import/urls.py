"""The officer import's five screens as URL patterns, for a console's URLconf to include."""

from collections.abc import Callable

from django.urls import path

from core.org.officer_import import views
from core.org.officer_import.views import ImportConsole


def import_paths(console: ImportConsole, *, prefix: str, check: Callable) -> list:
    """The screens at ``prefix`` (ending in "/"), named as ``console.urls`` names them (without the
    namespace, which the including URLconf gives), each behind the console's access ``check``."""
    kwargs = {"console": console}
    urls = console.urls

    def name(full: str) -> str:
        return full.rpartition(":")[2]

    return [
        path(prefix, check(views.import_list), kwargs, name=name(urls.list)),
        path(f"{prefix}<uuid:job_id>/", check(views.import_detail), kwargs, name=name(urls.detail)),
        path(f"{prefix}<uuid:job_id>/run/", check(views.import_run), kwargs, name=name(urls.run)),
        path(
            f"{prefix}<uuid:job_id>/progress/", check(views.import_progress), kwargs, name=name(urls.progress)
        ),
        path(f"{prefix}<uuid:job_id>/errors.csv", check(views.import_errors), kwargs, name=name(urls.errors)),
    ]
