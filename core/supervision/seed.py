"""What a range office or headquarters starts with, beyond what every tenant starts with."""

from __future__ import annotations

from django.db import transaction

from core.letters.directory import directory_publish
from core.models import ADMIN_OFFICE_CODE, Office

# The first office's name by the tenant's kind: (English, Hindi), with the range's name.
_NAMES = {
    "range": ("DIG Office, {name} Range", "डीआईजी कार्यालय, {name_hi} रेंज"),
    # Headquarters is one office: it takes the tenant's name ("Police Headquarters, Patna").
    "headquarters": ("{name}", "{name_hi}"),
}


@transaction.atomic
def supervising_office_seed(*, kind: str, name: str, name_hi: str = "") -> Office | None:
    """Name the first office of a range (``DIG Office, Tirhut Range``) or headquarters, which
    ``district_seed`` made as an SP office; a district's is left as it is. Run under the new
    tenant's schema by provisioning, in its transaction."""
    if kind not in _NAMES:
        return None
    office = Office.objects.select_for_update().get(code=ADMIN_OFFICE_CODE)
    english, hindi = _NAMES[kind]
    office.name = english.format(name=name)
    office.name_hi = hindi.format(name_hi=name_hi) if name_hi else ""
    office.kind = Office.Kind.OTHER
    office.save(update_fields=["name", "name_hi", "kind"])
    # The public directory of letters names it so too (districts address the DIG by it).

    directory_publish()
    return office
