"""Officer import, the dry run: pages, file checks and row errors. (The import itself: _run.py.)"""

import csv
import hashlib
import io
import re
import zipfile

import pytest

from core.models import Office, Post
from core.org import services as core_services
from core.org.officer_import import parse as officer_import_parse
from core.org.officer_import.check import mobile_normalise
from state_admin.models import AuditEvent, ImportJob
from state_admin.services.audit import StaffActor
from state_admin.services.officer_import import officer_import_preview
from tenants.context import district_context
from tenants.models import User
from tenants.naming import is_devanagari_name as is_hindi_name
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db

HEADER = ["login_id", "name", "name_hi", "rank", "service_number", "mobile", "email", "office", "post"]


def officer(n: int, **values) -> dict:
    row = {
        "login_id": f"officer.{n}",
        "name": f"Officer {n}",
        "name_hi": "अधिकारी",
        "rank": "Inspector",
        "service_number": f"BR{n:06d}",
        "mobile": f"98{n:08d}",
        "email": f"officer.{n}@example.org",
        "office": "sdpo-mahnar",
        "post": f"mahnar-si-{n}",  # a post has one holder: each officer their own
    }
    row.update(values)
    return row


def csv_bytes(rows: list[dict], header: list[str] | None = None) -> bytes:
    header = header or HEADER
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode("utf-8")


def upload(client, data: bytes, *, district: str = "vaishali", name: str = "officers.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post("/imports/", {"file": file, "district": district})


def job_of(response) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def stored_files(settings) -> list:
    folder = settings.MEDIA_ROOT / "state" / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def places(world, db, media):
    """Offices and posts that import files name: Mahnar in Vaishali, West in Muzaffarpur."""
    with district_context(world.vaishali.schema_name):
        mahnar = core_services.office_create(
            code="sdpo-mahnar",
            name="SDPO Office Mahnar",
            name_hi="एसडीपीओ कार्यालय महनार",
            kind=Office.Kind.SDPO,
        )
        for code, title, title_hi, kind in (
            ("sdpo-mahnar", "SDPO Mahnar", "एसडीपीओ महनार", Post.Kind.SDPO),
            ("mahnar-inspector", "Inspector Mahnar", "निरीक्षक महनार", Post.Kind.INSPECTOR),
            ("mahnar-clerk", "Clerk Mahnar", "लिपिक महनार", Post.Kind.CLERK),
        ):
            core_services.post_create(office=mahnar, code=code, title=title, title_hi=title_hi, kind=kind)
        Post.objects.bulk_create(
            Post(office=mahnar, code=f"mahnar-si-{n}", title=f"SI Mahnar {n}", kind=Post.Kind.SI)
            for n in range(1, 100)
        )
    with district_context(world.muzaffarpur.schema_name):
        west = core_services.office_create(
            code="sdpo-west", name="SDPO Office West", name_hi="एसडीपीओ कार्यालय पश्चिम", kind=Office.Kind.SDPO
        )
        core_services.post_create(
            office=west, code="sdpo-west", title="SDPO West", title_hi="एसडीपीओ पश्चिम", kind=Post.Kind.SDPO
        )
    return world


def errors_by_row(job: ImportJob) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for error in job.errors:
        found.setdefault(error["row"], set()).add(error["column"])
    return found


# --- who may -----------------------------------------------------------------------------------


def test_pages_and_actions_refuse_everyone_but_staff(places, staff_client, settings):
    job = job_of(upload(staff_client, csv_bytes([officer(1, mobile="123")])))
    files = stored_files(settings)
    jobs = ImportJob.objects.count()
    for who, client in non_staff_clients().items():
        for path in (
            "/imports/",
            f"/imports/{job.pk}/",
            f"/imports/{job.pk}/progress/",
            f"/imports/{job.pk}/errors.csv",
        ):
            assert refused(client.get(path)), (who, path)
        assert refused(upload(client, csv_bytes([officer(2)]))), who
        assert refused(client.post(f"/imports/{job.pk}/run/")), who
    assert ImportJob.objects.count() == jobs
    assert stored_files(settings) == files
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert not User.objects.filter(login_id__startswith="officer.").exists()


def test_upload_page_offers_live_districts_and_each_row_mode(places, staff_client):
    page = staff_client.get("/imports/").content.decode()
    assert 'value="vaishali"' in page and 'value="muzaffarpur"' in page
    assert "वैशाली" in page and "__each_row__" in page


# --- the dry run -------------------------------------------------------------------------------


def test_dry_run_keeps_the_file_and_figures_and_changes_no_account(places, staff_client, settings):
    data = csv_bytes(
        [officer(1), officer(2, post="Clerk Mahnar"), officer(3, office="एसडीपीओ कार्यालय महनार")]
    )
    job = job_of(upload(staff_client, data))
    assert job.status == ImportJob.Status.PREVIEWED and job.district == places.vaishali
    assert (job.total_rows, job.valid_rows, job.errors) == (3, 3, [])
    assert job.sha256 == hashlib.sha256(data).hexdigest() and job.filename == "officers.csv"
    assert stored_files(settings) == [settings.MEDIA_ROOT / "state" / "imports" / f"{job.pk}.csv"]
    assert stored_files(settings)[0].read_bytes() == data
    assert job.result["preview"]["new_accounts"] == 3 and job.result["preview"]["new_postings"] == 3
    assert not User.objects.filter(login_id__startswith="officer.").exists()
    event = AuditEvent.objects.get(action="officer_import.preview")
    assert event.district == places.vaishali and event.details["valid"] == 3
    page = staff_client.get(f"/imports/{job.pk}/").content.decode()
    assert "Import the 3 valid rows" in page and "officer.2" in page and "Clerk Mahnar" in page


def test_dry_run_reports_each_bad_row(places, staff_client):
    User.objects.create_user("taken.login", None, email="taken@example.org", service_number="BR999999")
    rows = [
        officer(1),  # row 2: fine
        officer(2, name="", office="", post=""),  # row 3: missing fields
        officer(3, office="sdpo-nowhere"),  # row 4: unknown office
        officer(4, post="SDPO West"),  # row 5: a post of another district
        officer(5, login_id="dup.login"),  # row 6 and 7: same login ID
        officer(6, login_id="dup.login"),
        officer(7, mobile="12345"),  # row 8: not a mobile
        officer(8, login_id="Bad Login!"),  # row 9
        officer(9, email="not-an-email"),  # row 10
        officer(10, name_hi="Officer Ten"),  # row 11: Hindi name in Latin
        officer(11, service_number="BR000012"),  # rows 12 and 13: same service number
        officer(12),
        officer(13, login_id="taken.login"),  # row 14: login of another service number
        officer(14, email="TAKEN@example.org"),  # row 15: e-mail of another account
        officer(15, service_number="BR999999"),  # row 16: service number of another login ID
        officer(16, service_number=""),  # row 17
    ]
    job = job_of(upload(staff_client, csv_bytes(rows)))
    found = errors_by_row(job)
    assert 2 not in found
    assert found[3] == {"name", "office", "post"}
    assert found[4] == {"office"} and found[5] == {"post"}
    assert found[6] == found[7] == {"login_id"}
    assert found[8] == {"mobile"} and found[9] == {"login_id"} and found[10] == {"email"}
    assert found[11] == {"name_hi"}
    assert found[12] == found[13] == {"service_number"}
    assert found[14] == {"login_id"} and found[15] == {"email"} and found[16] == {"service_number"}
    assert found[17] == {"service_number"}
    assert (job.total_rows, job.valid_rows) == (16, 1)
    assert job.result["preview"]["with_errors"] == 15
    messages = {e["row"]: e["message"] for e in job.errors}
    assert "row 7" in messages[6] and "taken.login" in messages[16]
    assert "missing" in next(e["message"] for e in job.errors if e["row"] == 3 and e["column"] == "name")


def test_a_post_has_one_holder_at_a_time(places, staff_client):
    holder = User.objects.create_user("holder.one", None, service_number="BR777777")
    with district_context(places.vaishali.schema_name):
        core_services.posting_start(person=holder, post=Post.objects.get(code="mahnar-clerk"))
    rows = [
        officer(1, post="mahnar-clerk"),  # row 2: held by holder.one
        officer(2, post="mahnar-si-9"),  # rows 3 and 4: the same post twice
        officer(3, post="mahnar-si-9"),
    ]
    job = job_of(upload(staff_client, csv_bytes(rows)))
    found = errors_by_row(job)
    assert found == {2: {"post"}, 3: {"post"}, 4: {"post"}}
    messages = {e["row"]: e["message"] for e in job.errors}
    assert "held by holder.one since" in messages[2] and "row 4" in messages[3]
    theirs = officer(4, login_id="holder.one", service_number="BR777777", post="mahnar-clerk")
    again = job_of(upload(staff_client, csv_bytes([theirs])))
    assert again.errors == [] and again.result["preview"]["valid"] == 1


def test_mobile_numbers_and_hindi_names_are_judged_like_people_write_them():
    for raw in ("9876543210", "+91 98765 43210", "098765-43210", "91-9876543210", "(0) 98765 43210"):
        assert mobile_normalise(raw) == "9876543210", raw
    for raw in ("5876543210", "98765", "98765432100", "+1 9876543210", "abc"):
        assert mobile_normalise(raw) is None, raw
    assert is_hindi_name("राम कुमार") and is_hindi_name("मुज़फ़्फ़रपुर")
    assert not is_hindi_name("Ram Kumar") and not is_hindi_name("राम Kumar") and not is_hindi_name("...")


def test_headers_may_be_written_in_many_ways(places, staff_client):
    header = [
        "Login ID",
        "NAME",
        "नाम (हिन्दी)",
        "Rank",
        "Service No",
        "Mobile Number",
        "E-mail",
        "कार्यालय",
        "पद",
    ]
    row = officer(1)
    data = csv_bytes([dict(zip(header, [row[c] for c in HEADER], strict=True))], header=header)
    job = job_of(upload(staff_client, data))
    assert (job.valid_rows, job.errors) == (1, [])


def test_each_row_may_name_its_district(places, staff_client):
    header = [*HEADER, "district"]
    rows = [
        officer(1, district="vaishali"),
        officer(2, district="Muzaffarpur", office="SDPO Office West", post="sdpo-west"),
        officer(3, district="sitamarhi"),
        officer(4, district=""),
    ]
    job = job_of(upload(staff_client, csv_bytes(rows, header=header), district="__each_row__"))
    assert job.district is None
    assert errors_by_row(job) == {4: {"district"}, 5: {"district"}}
    assert [row["district"] for row in job.result["sample"]] == ["Vaishali", "Muzaffarpur"]
    # Without the column, the file is refused as a whole.
    response = upload(staff_client, csv_bytes([officer(1)]), district="__each_row__")
    assert response.status_code == 200 and "district" in response.context["form"].errors["file"][0]


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _zip_without_content_types() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("officers.txt", "login_id,name")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (PNG, "officers.csv", "PNG"),
        (PDF, "officers.csv", "PDF"),
        (_zip_without_content_types(), "officers.xlsx", "zip"),
        (b"", "officers.csv", "empty"),
        (b"  \r\n \r\n", "officers.csv", "empty"),
        (",,,\n,,\n", "officers.csv", "empty"),
        (b"login_id,name,service_number,office,post\n", "officers.csv", "no officers"),
        (b"login_id,name,rank\nofficer.1,Officer One,SI\n", "officers.csv", "service_number"),
        (
            "login_id,name,service_number,office,post\nram,José Dás,1,a,b\n".encode("latin-1"),
            "o.csv",
            "CSV UTF-8",
        ),
    ],
    ids=[
        "png",
        "pdf-renamed-csv",
        "zip",
        "empty",
        "blank",
        "empty-cells",
        "header-only",
        "columns",
        "latin-1",
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_whole(places, staff_client, settings, data, name, says):
    if isinstance(data, str):
        data = data.encode()
    response = upload(staff_client, data, name=name)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert says in errors[0], errors
    assert not ImportJob.objects.exists() and stored_files(settings) == []


def test_missing_columns_are_named(places, staff_client):
    response = upload(staff_client, b"login_id,name,rank\nofficer.1,Officer One,SI\n")
    message = response.context["form"].errors["file"][0]
    assert "service_number" in message and "office" in message and "post" in message
    assert "login_id (" not in message and "rank" not in message


def test_too_many_rows_or_bytes_are_refused(places, staff_client, settings, monkeypatch):
    monkeypatch.setattr(officer_import_parse, "MAX_ROWS", 2)
    response = upload(staff_client, csv_bytes([officer(1), officer(2), officer(3)]))
    assert "more than 2 rows" in response.context["form"].errors["file"][0]
    monkeypatch.setattr(officer_import_parse, "MAX_BYTES", 2**20)
    response = upload(staff_client, csv_bytes([officer(1)]) + b"," * 2**20)
    assert "larger than 1 MB" in response.context["form"].errors["file"][0]
    with pytest.raises(officer_import_parse.ImportFileError, match="larger than"):
        officer_import_parse.file_kind(b"x" * (2**20 + 1))
    assert not ImportJob.objects.exists() and stored_files(settings) == []


def test_a_refused_file_leaves_nothing_even_when_saving_fails(places, settings, monkeypatch):
    monkeypatch.setattr(ImportJob.objects, "create", lambda **kw: (_ for _ in ()).throw(RuntimeError("db")))
    with pytest.raises(RuntimeError):
        officer_import_preview(
            actor=StaffActor(user=places.staff),
            filename="o.csv",
            data=csv_bytes([officer(1)]),
            district=places.vaishali,
        )
    assert stored_files(settings) == []


def test_errors_are_paged_and_the_report_downloads_as_csv(places, staff_client):
    rows = [officer(n, mobile="12345", name_hi="Naam") for n in range(1, 41)]  # two errors a row
    rows.append(officer(98, rank="=HYPERLINK(1)", office="=HYPERLINK(1)"))
    rows.append(officer(99, name="राम कुमार", office="nowhere"))
    job = job_of(upload(staff_client, csv_bytes(rows)))
    assert len(job.errors) == 82
    page = staff_client.get(f"/imports/{job.pk}/")
    assert page.context["errors"].paginator.num_pages == 2 and len(page.context["errors"]) == 50
    assert "Import the" not in page.content.decode()
    second = staff_client.get(f"/imports/{job.pk}/?page=2")
    assert len(second.context["errors"]) == 32
    report = staff_client.get(f"/imports/{job.pk}/errors.csv")
    assert report["Content-Type"].startswith("text/csv")
    assert report["Content-Disposition"].startswith("attachment;")
    assert report.content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[0] == ["row", "column", "value", "message"]
    assert lines[1][:3] == ["2", "mobile", "12345"] and lines[1][3]
    assert lines[-1][:3] == ["43", "office", "nowhere"]
    assert lines[-2][:3] == ["42", "office", "'=HYPERLINK(1)"]  # never a formula in Excel
    assert len(lines) == 83


def test_list_page_shows_past_imports(places, staff_client):
    job = job_of(upload(staff_client, csv_bytes([officer(1), officer(2, mobile="1")]), name="tirhut.csv"))
    page = staff_client.get("/imports/").content.decode()
    assert "tirhut.csv" in page and f"/imports/{job.pk}/" in page and "state.staff" in page
    assert "Checked, not imported" in page


def _xlsx_bytes(rows: list[dict]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row[column] for column in HEADER])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_with(data: bytes, name: str, change) -> bytes:
    """The same workbook with one part of its zip changed (a real workbook, damaged)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            target.writestr(item, change(part) if item.filename == name else part)
    return out.getvalue()


@pytest.mark.parametrize(
    "damage",
    [
        ("xl/worksheets/sheet1.xml", lambda part: part[: len(part) // 2]),
        ("xl/workbook.xml", lambda part: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", part, flags=re.S)),
        ("xl/workbook.xml", lambda part: part[:40]),
    ],
    ids=["sheet-cut-short", "no-worksheets", "workbook-cut-short"],
)
def test_a_damaged_xlsx_is_refused_whole(places, staff_client, settings, damage):
    good = _xlsx_bytes([officer(n) for n in range(1, 30)])
    assert job_of(upload(staff_client, good, name="officers.xlsx")).valid_rows == 29
    ImportJob.objects.all().delete()
    for path in stored_files(settings):
        path.unlink()
    response = upload(staff_client, _xlsx_with(good, *damage), name="officers.xlsx")
    assert response.status_code == 200
    (message,) = response.context["form"].errors["file"]
    assert "The XLSX file is damaged" in message and "CSV UTF-8" in message
    assert not ImportJob.objects.exists() and stored_files(settings) == []
