"""Reading an officer import file (CSV or XLSX) into rows of text, and checking its shape.

Judges the file by its content, never by its name: an XLSX is a zip holding
``[Content_Types].xml``; a CSV is UTF-8 text (with or without a BOM). Anything else, an empty
file, a header without the required columns, or a file over the size or row limits is refused
with one clear ``ImportFileError``; nothing about such a file is kept.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_BYTES = getattr(settings, "KARYALAY_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
MAX_ROWS = getattr(settings, "KARYALAY_IMPORT_MAX_ROWS", 20_000)

# Canonical column -> label shown to people.
COLUMNS = {
    "login_id": gettext_lazy("login ID"),
    "name": gettext_lazy("name (English)"),
    "name_hi": gettext_lazy("name (Hindi)"),
    "rank": gettext_lazy("rank"),
    "service_number": gettext_lazy("service number"),
    "mobile": gettext_lazy("mobile"),
    "email": gettext_lazy("e-mail"),
    "office": gettext_lazy("office"),
    "post": gettext_lazy("post"),
    "district": gettext_lazy("district"),
}
REQUIRED = ("login_id", "name", "service_number", "office", "post")

# Header spellings (after ``header_key``) that mean each column; Hindi headers are optional.
_ALIASES = {
    "login_id": ("login_id", "loginid", "login", "user_id", "लॉगिन_आईडी", "लॉगिन_id", "लॉगिन"),
    "name": (
        "name",
        "name_en",
        "name_english",
        "english_name",
        "full_name",
        "officer_name",
        "नाम_अंग्रेज़ी",
        "नाम_अंग्रेजी",
    ),
    "name_hi": (
        "name_hi",
        "name_hindi",
        "hindi_name",
        "full_name_hi",
        "नाम_हिन्दी",
        "नाम_हिंदी",
        "हिन्दी_नाम",
        "हिंदी_नाम",
    ),
    "rank": ("rank", "designation", "रैंक", "पदनाम"),
    "service_number": (
        "service_number",
        "service_no",
        "service_num",
        "serviceno",
        "service_id",
        "सेवा_संख्या",
        "सेवा_क्रमांक",
    ),
    "mobile": ("mobile", "mobile_no", "mobile_number", "phone", "phone_number", "मोबाइल", "मोबाइल_नंबर"),
    "email": ("email", "e_mail", "email_address", "e_mail_address", "ईमेल", "ई_मेल"),
    "office": ("office", "office_code", "office_name", "कार्यालय"),
    "post": ("post", "post_code", "post_title", "पद"),
    "district": ("district", "district_slug", "district_name", "जिला", "ज़िला"),
}
_HEADER_TO_COLUMN = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}

_XLSX_MAGIC = b"PK\x03\x04"
_NOT_TABLES = (
    (b"%PDF-", gettext_lazy("This is a PDF file.")),
    (b"\x89PNG", gettext_lazy("This is a PNG image.")),
    (b"\xff\xd8\xff", gettext_lazy("This is a JPEG image.")),
    (b"GIF8", gettext_lazy("This is a GIF image.")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("This is an old Excel (.xls) or Word file; save it as XLSX.")),
)


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, in the user's language."""


@dataclass(frozen=True)
class Table:
    """A file read into text: which file column holds each known column, and the data rows."""

    kind: str  # "csv" or "xlsx"
    headers: dict[str, str]  # canonical column -> header as written in the file
    rows: list[tuple[int, dict[str, str]]]  # (row number as in the spreadsheet, values)


def header_key(text: str) -> str:
    """``"Login ID"``, ``"login-id"``, ``"LOGIN_ID"`` and ``"Name (English)"`` read alike."""
    text = re.sub(r"[().:*]", " ", str(text or "").strip().lower())
    return re.sub(r"[\s\-_/]+", "_", text).strip("_")


def file_kind(data: bytes) -> str:
    """``"xlsx"`` or ``"csv"`` judged by content; raises ImportFileError for anything else."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": MAX_BYTES // 2**20}
        )
    if data.startswith(_XLSX_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "[Content_Types].xml" in archive.namelist():
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
        raise ImportFileError(_("This is a zip archive, not a CSV or XLSX file."))
    for magic, what in _NOT_TABLES:
        if data.startswith(magic):
            raise ImportFileError(_("%(what)s Upload a CSV or XLSX file.") % {"what": what})
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This is not a CSV or XLSX file. Upload a CSV or XLSX file."))
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text. In Excel choose Save As and the type "
                "“CSV UTF-8 (Comma delimited)”, or upload the XLSX file."
            )
        ) from None
    return "csv"


def cell_text(value) -> str:
    """A spreadsheet cell as text: 9876543210.0 reads as "9876543210", blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _csv_records(data: bytes):
    text = data.decode("utf-8-sig")
    first_line = text.lstrip().split("\n", 1)[0]
    # Excel writes ";" or tabs in some locales; the header line says which.
    delimiter = max(",;\t", key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_damaged() -> ImportFileError:
    return ImportFileError(
        _("The XLSX file is damaged; save it again from Excel or LibreOffice, or upload it as CSV UTF-8.")
    )


def _xlsx_records(data: bytes):
    """The first worksheet's rows. openpyxl reads them lazily, so a damaged sheet (cut-short XML,
    a bad zip member, no worksheet at all) fails while they are read: any such failure is one
    ImportFileError, never a 500."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise _xlsx_damaged() from None
    try:
        if not workbook.worksheets:
            raise _xlsx_damaged()
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except ImportFileError:
        raise
    except Exception:  # ParseError, BadZipFile, zlib.error, KeyError ... from a damaged sheet
        raise _xlsx_damaged() from None
    finally:
        workbook.close()


def table_read(data: bytes, *, multi_district: bool) -> Table:
    """Read the header and the data rows; raises ImportFileError for a file that cannot be imported."""
    kind = file_kind(data)
    records = _xlsx_records(data) if kind == "xlsx" else _csv_records(data)
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for number, record in enumerate(records, start=1):
            cells = [cell_text(value) for value in record]
            if not any(cells):
                continue
            if not positions:
                positions, headers = _header_read(cells, multi_district=multi_district)
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows of officers; split it into smaller files.")
                    % {"max": f"{MAX_ROWS:,}"}
                )
            rows.append((number, {col: cells[i] if i < len(cells) else "" for col, i in positions.items()}))
    except csv.Error:
        raise ImportFileError(_("The CSV file could not be read; save it again as CSV UTF-8.")) from None
    if not positions:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has a header row but no officers."))
    return Table(kind=kind, headers=headers, rows=rows)


def _header_read(cells: list[str], *, multi_district: bool) -> tuple[dict[str, int], dict[str, str]]:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for i, cell in enumerate(cells):
        column = _HEADER_TO_COLUMN.get(header_key(cell))
        if column is None:
            continue
        if column in positions:
            raise ImportFileError(
                _("Two columns (“%(first)s” and “%(second)s”) both give the %(column)s.")
                % {"first": headers[column], "second": cell, "column": COLUMNS[column]}
            )
        positions[column] = i
        headers[column] = cell
    required = REQUIRED + (("district",) if multi_district else ())
    missing = [column for column in required if column not in positions]
    if missing:
        raise ImportFileError(
            _("The header row lacks these columns: %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(f"{column} ({COLUMNS[column]})" for column in missing)}
        )
    return positions, headers
