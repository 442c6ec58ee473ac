"""One way to write a day and one a moment, in English and Hindi ("9 May 2025", "9 मई 2025, 4:03
अपराह्न"), on every page that lists dates; ISO days in CSV files; no template or formatter with a
form of its own (05/09/2025 reads as 9 May in India and 5 September in an American browser)."""

import csv
import datetime
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import formats, translation

from core.efile.services.documents import document_upload
from core.models import DocumentVersion, OfficerImport
from tenants.context import district_context
from tests.core.cases.casework import register
from tests.core.efile.conftest import ef  # noqa: F401
from tests.core.efile.filework import open_file
from tests.core.efile.samples import pdf_bytes, upload
from tests.core.rti.test_rti_receive import receive
from tests.district_admin.test_officer_import import csv_bytes, officer
from tests.helpers import HostClient

ROOT = Path(settings.BASE_DIR)
DAY = datetime.date(2025, 5, 9)
MOMENT = datetime.datetime(2025, 5, 9, 16, 3, tzinfo=ZoneInfo("Asia/Kolkata"))
SHOWN = {"en": "9 May 2025", "hi": "9 मई 2025"}
SHOWN_MOMENT = {"en": "9 May 2025, 4:03 p.m.", "hi": "9 मई 2025, 4:03 अपराह्न"}
# A day and a month both in figures, in any order and with any separator: 05/09/2025, 9.5.2025,
# 09-05-2025. ISO (2025-05-09) starts with the year and is not matched.
AMBIGUOUS = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b")
NAMED = {
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
}


def _in(language: str, client: HostClient) -> HostClient:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


# --- the formats themselves ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_named_date_format_gives_the_one_form(language):
    with translation.override(language):
        for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
            assert formats.date_format(DAY, name) == SHOWN[language]
        assert formats.localize(DAY) == SHOWN[language]
        for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
            assert formats.date_format(MOMENT, name) == SHOWN_MOMENT[language]
        assert formats.time_format(MOMENT.time(), "TIME_FORMAT") == SHOWN_MOMENT[language].split(", ")[1]


def test_hindi_months_are_spelled_the_standard_way_and_the_halves_of_the_day_are_named():
    with translation.override("hi"):
        months = [formats.date_format(datetime.date(2026, m, 9)) for m in range(1, 13)]
        morning = formats.date_format(datetime.datetime(2026, 12, 7, 9, 5), "DATETIME_FORMAT")
    assert months[8] == "9 सितंबर 2026" and months[10] == "9 नवंबर 2026" and months[11] == "9 दिसंबर 2026"
    assert months[1] == "9 फरवरी 2026"
    assert not any("मब" in m or "म्ब" in m for m in months), months  # सितमबर, दिसम्बर …
    assert morning == "7 दिसंबर 2026, 9:05 पूर्वाह्न" and "बजे" not in morning


def test_a_day_typed_with_day_and_month_in_figures_is_refused_not_guessed():
    from django import forms

    field = forms.DateField()
    for language in ("en", "hi"):
        with translation.override(language):
            assert field.clean("2025-05-09") == DAY
            with pytest.raises(forms.ValidationError):
                field.clean("05/09/2025")


# --- pages that list dates, in both languages ----------------------------------------------------


@pytest.fixture
def dated(ef, settings, tmp_path):  # noqa: F811
    """A case registered, an RTI application received, a document uploaded and an officer import
    checked, all on 9 May 2025 (the last two at 4:03 p.m.)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with district_context("vaishali"):
        register(ef, year=2025, fir_number=77, registered_on=DAY)
        receive(ef, received_on=DAY)
        file = open_file(ef)
        (document,) = document_upload(
            actor=ef.actor("clerk"), file=file, uploads=[upload("order.pdf", pdf_bytes())]
        )
        DocumentVersion.objects.filter(document=document).update(uploaded_at=MOMENT)
    admin = HostClient("vaishali")
    assert admin.sign_in("vaishali.admin").status_code == 302
    data = io.BytesIO(csv_bytes([officer(1)]))
    data.name = "officers.csv"
    assert admin.post("/admin/officers/imports/", {"file": data}).status_code == 302
    with district_context("vaishali"):
        OfficerImport.objects.update(created_at=MOMENT)
    return {"file": file, "admin": admin}


@pytest.mark.parametrize("language", ["en", "hi"])
def test_registers_documents_and_imports_show_days_one_way_in_both_languages(ef, dated, language):  # noqa: F811
    pages = {
        "case register": (ef.client("sho"), "/cases/", SHOWN),
        "RTI register": (ef.client("clerk"), "/rti/", SHOWN),
        "file's documents": (ef.client("clerk"), f"/files/{dated['file'].pk}/", SHOWN_MOMENT),
        "officer imports": (dated["admin"], "/admin/officers/imports/", SHOWN_MOMENT),
    }
    for name, (client, url, expected) in pages.items():
        response = _in(language, client).get(url)
        page = response.content.decode()
        assert response.status_code == 200, name
        assert expected[language] in page, (name, language)
        assert not AMBIGUOUS.findall(page), (name, AMBIGUOUS.findall(page))


def test_the_rti_register_csv_writes_iso_days_and_its_pdf_the_one_form(ef):  # noqa: F811
    with district_context("vaishali"):
        receive(ef, received_on=DAY)
    sp = ef.client("sp")
    response = sp.get("/rti/register/2025/5/register.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    received = [row for row in rows if len(row) > 2 and row[2] == "2025-05-09"]
    assert received, rows
    assert not AMBIGUOUS.findall(response.content.decode("utf-8-sig"))
    assert "9 May 2025" not in response.content.decode("utf-8-sig")


# --- no template or formatter has a form of its own -----------------------------------------------

FILTER = re.compile(r"""\|(date|time):\s*(["'])(.*?)\2""")
NOW = re.compile(r"""{%\s*now\s+(["'])(.*?)\1""")
# The one place a template may write a day in figures: the value of a date input, which browsers
# take only as ISO (YYYY-MM-DD).
INPUT_VALUE = re.compile(r"""value="{{ [\w.]+\|date:'Y-m-d' }}\"""")


def test_templates_use_the_named_formats_only():
    odd = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = INPUT_VALUE.sub("", path.read_text(encoding="utf-8"))
        for _kind, _quote, form in FILTER.findall(text):
            if form not in NAMED:
                odd.append(f"{path.relative_to(ROOT)}: {form}")
        for _quote, form in NOW.findall(text):
            if form not in NAMED:
                odd.append(f"{path.relative_to(ROOT)}: now {form}")
    assert not odd, odd


CODE_FOLDERS = ("core", "district_admin", "tenants", "platform")
DATE_FORMAT_CALL = re.compile(r"""date_format\([^()]*?,\s*["']([^"']+)["']\s*\)""")
STRFTIME = re.compile(r"""strftime\(\s*["']([^"']+)["']""")


def test_python_formatters_use_the_named_formats_or_iso():
    odd = []
    for folder in CODE_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or ".venv" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for form in DATE_FORMAT_CALL.findall(text):
                if form not in NAMED:
                    odd.append(f"{path.relative_to(ROOT)}: date_format {form}")
            for form in STRFTIME.findall(text):
                if not form.startswith("%Y"):  # year first: ISO days, stamps in file names
                    odd.append(f"{path.relative_to(ROOT)}: strftime {form}")
    assert not odd, odd


@pytest.mark.parametrize("language", ["en", "hi"])
def test_a_refusal_names_its_day_in_the_one_form(ef, language):  # noqa: F811
    from django.core.exceptions import ValidationError

    from core.cases.services.progress import case_progress_add

    with district_context("vaishali"):
        case = register(ef, year=2025, fir_number=78, registered_on=DAY)
        with translation.override(language), pytest.raises(ValidationError) as refused:
            case_progress_add(
                actor=ef.actor("sho"),
                case=case,
                reported_on=DAY - datetime.timedelta(days=1),
                done="Visited the place.",
            )
    message = " ".join(refused.value.message_dict["reported_on"])
    assert f"({SHOWN[language]})" in message and "2025-05-09" not in message, message
