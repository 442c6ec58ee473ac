"""Checking the rows of an officer import against the platform, with every lookup made in bulk.

Shared by the state console's import and a district admin's import in their own district.
``rows_check`` reads what it needs in a few queries per district (offices, posts, open postings)
and a few for accounts (by login ID, service number and e-mail), then judges each row in memory:
a 10,000-row file costs the same handful of queries as a 10-row one. Each valid row says what the
import will do with it: a new account, a new posting, a transfer, an update or nothing.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import Office, Post, Posting
from core.org.officer_import.parse import COLUMNS, REQUIRED, Table
from tenants.context import district_context
from tenants.models import District, DistrictMembership, User
from tenants.naming import is_devanagari_name
from tenants.services import LOGIN_ID_PATTERN

BATCH = 5000
_MOBILE = re.compile(r"(?:\+?91|0)?([6-9]\d{9})")
# Account fields an import may fill in when the account has them blank (it never overwrites).
FILLABLE = {
    "full_name": "name",
    "full_name_hi": "name_hi",
    "rank": "rank",
    "mobile": "mobile",
    "email": "email",
    "service_number": "service_number",
}


class Action:
    ACCOUNT = "account"  # new account and its posting
    POSTING = "posting"  # known person, new posting in this district
    TRANSFER = "transfer"  # known person posted elsewhere: new posting here, old ones end
    # District's own import: known person posted elsewhere. That district decides; nothing of
    # theirs nor of the account changes (a transfer proposal, ``core.org.services.transfers``).
    PROPOSAL = "proposal"
    UPDATE = "update"  # posting already held; blank account fields filled in
    UNCHANGED = "unchanged"


@dataclass
class CheckedRow:
    number: int
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    district_id: int | None = None
    office_id: int | None = None
    post_id: int | None = None
    place: str = ""  # "post title, office name" as the district knows them
    person_id: int | None = None
    fill: dict[str, str] = field(default_factory=dict)
    transfer_from: list[int] = field(default_factory=list)  # district ids
    action: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class DistrictData:
    district: District
    offices: dict[int, tuple[str, str, str]]  # id -> (code, name, name_hi)
    office_keys: dict[str, list[int]]  # lower code / name / Hindi name -> office ids
    post_keys: dict[tuple[int, str], int]  # (office id, lower code / title / Hindi title) -> post id
    posts: dict[int, tuple[str, str, str]]  # id -> (code, title, title_hi)
    open_pairs: set[tuple[int, int]] = field(default_factory=set)  # (person id, post id)
    # post id -> (person id, login ID, since): a post has one holder at a time
    holders: dict[int, tuple[int, str, object]] = field(default_factory=dict)


def mobile_normalise(raw: str) -> str | None:
    """Ten digits of an Indian mobile number (starts 6-9; +91, 91 or 0 before it), else None."""
    digits = re.sub(r"[\s\-().]", "", raw)
    match = _MOBILE.fullmatch(digits)
    return match.group(1) if match else None


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def districts_for_choice() -> list[District]:
    """Districts an import may post officers to: those with a schema in service (live)."""
    return list(District.objects.filter(status=District.Status.LIVE).order_by("name"))


def _district_keys() -> dict[str, District]:
    keys: dict[str, District] = {}
    for district in districts_for_choice():
        for text in (district.slug, district.name, district.name_hi):
            if text:
                keys.setdefault(_key(text), district)
    return keys


def _district_data(district: District) -> DistrictData:
    offices, office_keys, posts, post_keys = {}, defaultdict(list), {}, {}
    with district_context(district.schema_name):
        for pk, code, name, name_hi in Office.objects.values_list("id", "code", "name", "name_hi"):
            offices[pk] = (code, name, name_hi)
            for text in {_key(code), _key(name), _key(name_hi)} - {""}:
                office_keys[text].append(pk)
        for pk, office_id, code, title, title_hi in Post.objects.values_list(
            "id", "office_id", "code", "title", "title_hi"
        ):
            posts[pk] = (code, title, title_hi)
            for text in (_key(title_hi), _key(title), _key(code)):  # a code wins over a title
                if text:
                    post_keys[(office_id, text)] = pk
        holders = {
            post_id: (person_id, login, since)
            for post_id, person_id, login, since in Posting.objects.filter(
                ends_on__isnull=True, additional_charge=False
            )
            .order_by("starts_on")
            .values_list("post_id", "person_id", "person__login_id", "starts_on")
        }
    return DistrictData(
        district=district,
        offices=offices,
        office_keys=dict(office_keys),
        posts=posts,
        post_keys=post_keys,
        holders=holders,
    )


def _batched(values: set) -> list[list]:
    values = sorted(values)
    return [values[i : i + BATCH] for i in range(0, len(values), BATCH)]


_ACCOUNT_FIELDS = ("id", "login_id", "service_number", "email", "is_staff", *FILLABLE)


def _accounts(rows: list[CheckedRow]) -> tuple[dict, dict, dict]:
    logins = {r.values["login_id"] for r in rows if r.values["login_id"]}
    numbers = {r.values["service_number"] for r in rows if r.values["service_number"]}
    emails = {r.values["email"].lower() for r in rows if r.values["email"]}
    by_login, by_number, by_email = {}, {}, {}
    for batch in _batched(logins):
        for account in User.objects.filter(login_id__in=batch).values(*_ACCOUNT_FIELDS):
            by_login[account["login_id"]] = account
    for batch in _batched(numbers):
        for account in User.objects.filter(service_number__in=batch).values(*_ACCOUNT_FIELDS):
            by_number[account["service_number"]] = account
    for batch in _batched(emails):
        for pk, email in (
            User.objects.annotate(email_l=Lower("email"))
            .filter(email_l__in=batch)
            .values_list("id", "email_l")
        ):
            by_email[email] = pk
    return by_login, by_number, by_email


def _normalise(values: dict[str, str]) -> dict[str, str]:
    values = {column: (values.get(column) or "").strip() for column in COLUMNS}
    values["login_id"] = values["login_id"].lower()
    values["email"] = values["email"].strip()
    return values


def _check_fields(row: CheckedRow, *, multi_district: bool) -> None:
    v = row.values
    required = REQUIRED + (("district",) if multi_district else ())
    for column in required:
        if not v[column]:
            row.errors.append((column, _("The %(column)s is missing.") % {"column": COLUMNS[column]}))
    if v["login_id"] and not LOGIN_ID_PATTERN.fullmatch(v["login_id"]):
        row.errors.append(
            (
                "login_id",
                _("A login ID has 3 to 64 lowercase letters, digits, dots, hyphens or underscores."),
            )
        )
    if v["mobile"]:
        mobile = mobile_normalise(v["mobile"])
        if mobile is None:
            row.errors.append(
                ("mobile", _("Not an Indian mobile number: ten digits starting with 6, 7, 8 or 9."))
            )
        else:
            v["mobile"] = mobile
    if v["email"]:
        try:
            validate_email(v["email"])
        except ValidationError:
            row.errors.append(("email", _("Not an e-mail address.")))
    if v["name_hi"] and not is_devanagari_name(v["name_hi"]):
        row.errors.append(("name_hi", _("The Hindi name must be written in Devanagari.")))
    if len(v["service_number"]) > 32:
        row.errors.append(("service_number", _("A service number has at most 32 characters.")))
    for column, limit in (("name", 150), ("name_hi", 150), ("rank", 60)):
        if len(v[column]) > limit:
            row.errors.append((column, _("At most %(n)s characters.") % {"n": limit}))


def _check_place(row: CheckedRow, data: DistrictData | None) -> None:
    """Find the row's office and post in its district."""
    v = row.values
    if data is None or not v["office"]:
        return
    office_ids = data.office_keys.get(_key(v["office"]), [])
    if len(office_ids) > 1:
        row.errors.append(("office", _("More than one office has this name; give the office code.")))
        return
    if not office_ids:
        message = _("No office with this code or name in %(district)s.") % {"district": data.district}
        closest = _closest_office(v["office"], data)
        if closest is not None:
            code, name, name_hi = data.offices[closest]
            label = f"{name} / {name_hi}" if name_hi else name
            message += " " + _("Did you mean %(office)s (code %(code)s)?") % {"office": label, "code": code}
        row.errors.append(("office", message))
        return
    row.office_id = office_ids[0]
    if v["post"]:
        row.post_id = data.post_keys.get((row.office_id, _key(v["post"])))
        if row.post_id is not None:
            row.place = f"{data.posts[row.post_id][1]}, {data.offices[row.office_id][1]}"
        else:
            row.errors.append(
                (
                    "post",
                    _("No post with this code or title in the office %(office)s.")
                    % {"office": data.offices[row.office_id][1]},
                )
            )


def _closest_office(text: str, data: DistrictData) -> int | None:
    """The office whose code or name (either script) is nearest to what the row says, if any is near."""
    close = difflib.get_close_matches(_key(text), list(data.office_keys), n=1, cutoff=0.6)
    if not close:
        return None
    return data.office_keys[close[0]][0]


def _check_duplicates(rows: list[CheckedRow]) -> None:
    for column, normal in (("login_id", str), ("service_number", str), ("email", str.lower)):
        seen: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            if row.values[column]:
                seen[normal(row.values[column])].append(row.number)
        for row in rows:
            numbers = seen.get(normal(row.values[column])) if row.values[column] else None
            if numbers and len(numbers) > 1:
                others = ", ".join(str(n) for n in numbers if n != row.number)
                row.errors.append(
                    (
                        column,
                        _("The same %(column)s is also on row %(rows)s; each officer needs their own.")
                        % {"column": COLUMNS[column], "rows": others},
                    )
                )


def _check_posts_taken(rows: list[CheckedRow], data: dict[int, DistrictData]) -> None:
    """A post has one holder at a time: not two rows for one post, not a post someone else holds."""
    seen: dict[tuple[int, int], list[int]] = defaultdict(list)
    for row in rows:
        if row.post_id is not None:
            seen[(row.district_id, row.post_id)].append(row.number)
    for row in rows:
        if row.post_id is None:
            continue
        numbers = seen[(row.district_id, row.post_id)]
        if len(numbers) > 1:
            others = ", ".join(str(n) for n in numbers if n != row.number)
            row.errors.append(
                (
                    "post",
                    _("The same post is also on row %(rows)s; a post has one holder.") % {"rows": others},
                )
            )
            continue
        holder = data[row.district_id].holders.get(row.post_id)
        if row.ok and holder is not None and holder[0] != row.person_id:
            row.errors.append(
                (
                    "post",
                    _("This post is held by %(login)s since %(date)s; end that posting first.")
                    % {"login": holder[1], "date": date_format(holder[2], "DATE_FORMAT")},
                )
            )


def _check_account(
    row: CheckedRow, by_login: dict, by_number: dict, by_email: dict, *, platform_wide: bool
) -> None:
    """Match the row to a known account by service number; refuse renames and borrowed details.

    ``platform_wide`` (the state console) may name other accounts in its messages and may take a
    login ID whose account has no service number yet as that person. A district's own import may
    do neither: it matches by service number only, never takes a platform staff account, and says
    nothing about accounts the district does not know.
    """
    v = row.values
    known = by_number.get(v["service_number"]) if v["service_number"] else None
    by_id = by_login.get(v["login_id"]) if v["login_id"] else None
    taken_login = by_id is not None and known is None
    if not platform_wide and (
        taken_login or (known and (known["is_staff"] or known["login_id"] != v["login_id"]))
    ):
        if taken_login:
            row.errors.append(("login_id", _("This login ID is taken.")))
        else:
            row.errors.append(("service_number", _("This service number belongs to another account.")))
        return
    if known and known["is_staff"]:
        row.errors.append(("service_number", _("This service number belongs to another account.")))
        return
    if known and known["login_id"] != v["login_id"]:
        row.errors.append(
            (
                "service_number",
                _(
                    "This service number belongs to the account “%(login)s”; an import does not "
                    "change login IDs."
                )
                % {"login": known["login_id"]},
            )
        )
        return
    if by_id and by_id["service_number"] and by_id["service_number"] != v["service_number"]:
        row.errors.append(
            (
                "login_id",
                _("This login ID belongs to another officer (service number %(number)s).")
                % {"number": by_id["service_number"]},
            )
        )
        return
    # A login ID whose account has no service number yet (made at onboarding) is that person.
    account = known or by_id
    email_owner = by_email.get(v["email"].lower()) if v["email"] else None
    if email_owner is not None and (account is None or email_owner != account["id"]):
        row.errors.append(("email", _("This e-mail address belongs to another account.")))
        return
    if account is not None:
        row.person_id = account["id"]
        row.fill = {name: v[column] for name, column in FILLABLE.items() if v[column] and not account[name]}


def rows_check(*, table: Table, district: District | None, platform_wide: bool = True) -> list[CheckedRow]:
    """Judge every row of ``table`` for an import into ``district`` (None: each row names its own).

    ``platform_wide`` False for a district's own import (see ``_check_account``). Reads only; safe
    to call again at import time, when it sees the platform as it is then.
    """
    multi = district is None
    rows = [CheckedRow(number=number, values=_normalise(values)) for number, values in table.rows]
    district_keys = _district_keys() if multi else {}
    used: dict[int, District] = {district.pk: district} if district else {}
    own_keys = {_key(t) for t in (district.slug, district.name, district.name_hi) if t} if district else set()
    for row in rows:
        _check_fields(row, multi_district=multi)
        if district is not None:
            row.district_id = district.pk
            if row.values["district"] and _key(row.values["district"]) not in own_keys:
                row.errors.append(
                    ("district", _("This row names another district; import it there.")),
                )
        elif row.values["district"]:
            found = district_keys.get(_key(row.values["district"]))
            if found is None:
                row.errors.append(("district", _("No live district with this slug or name.")))
            else:
                row.district_id = found.pk
                used[found.pk] = found
    data = {pk: _district_data(d) for pk, d in used.items()}
    for row in rows:
        _check_place(row, data.get(row.district_id))
    _check_duplicates(rows)
    by_login, by_number, by_email = _accounts(rows)
    for row in rows:
        if row.ok:
            _check_account(row, by_login, by_number, by_email, platform_wide=platform_wide)
    _check_posts_taken(rows, data)
    _plan(rows, data, platform_wide=platform_wide)
    return rows


def _plan(rows: list[CheckedRow], data: dict[int, DistrictData], *, platform_wide: bool) -> None:
    """Say what the import does with each valid row, from open postings and memberships.

    Only the state console's import (``platform_wide``) moves people out of another district; a
    district's own import proposes the transfer to that district instead and leaves the account
    as it is."""
    known = [row for row in rows if row.ok and row.person_id]
    person_ids = {row.person_id for row in known}
    elsewhere: dict[int, list[int]] = defaultdict(list)
    for batch in _batched(person_ids):
        for person_id, district_id in DistrictMembership.objects.filter(
            person_id__in=batch, open_postings__gt=0
        ).values_list("person_id", "district_id"):
            elsewhere[person_id].append(district_id)
    for pk, district_data in data.items():
        ids = {row.person_id for row in known if row.district_id == pk}
        with district_context(district_data.district.schema_name):
            for batch in _batched(ids):
                district_data.open_pairs.update(
                    Posting.objects.filter(person_id__in=batch, ends_on__isnull=True).values_list(
                        "person_id", "post_id"
                    )
                )
    for row in rows:
        if not row.ok:
            continue
        if row.person_id is None:
            row.action = Action.ACCOUNT
        elif (row.person_id, row.post_id) in data[row.district_id].open_pairs:
            row.action = Action.UPDATE if row.fill else Action.UNCHANGED
        else:
            row.transfer_from = sorted(d for d in elsewhere.get(row.person_id, []) if d != row.district_id)
            if row.transfer_from and not platform_wide:
                row.action, row.fill = Action.PROPOSAL, {}
            else:
                row.action = Action.TRANSFER if row.transfer_from else Action.POSTING


def counts_of(rows: list[CheckedRow]) -> dict[str, int]:
    actions = Counter(row.action for row in rows if row.ok)
    return {
        "rows": len(rows),
        "valid": sum(actions.values()),
        "with_errors": sum(1 for row in rows if not row.ok),
        "new_accounts": actions[Action.ACCOUNT],
        "new_postings": actions[Action.ACCOUNT] + actions[Action.POSTING] + actions[Action.TRANSFER],
        "transfers": actions[Action.TRANSFER],
        "proposals": actions[Action.PROPOSAL],
        "updated_accounts": actions[Action.UPDATE],
        "unchanged": actions[Action.UNCHANGED],
    }
