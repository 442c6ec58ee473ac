"""DESIGN.md's import rule: config wires everything; the consoles use core and tenants but never
each other; core uses tenants; tenants uses neither core nor a console."""

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "tenants": PROJECT / "tenants",
    "core": PROJECT / "core",
    "state_admin": PROJECT / "platform" / "state_admin",
    "district_admin": PROJECT / "district_admin",
}
FORBIDDEN = {
    "tenants": {"core", "state_admin", "district_admin", "config"},
    "core": {"state_admin", "district_admin", "config"},
    "state_admin": {"district_admin", "config"},
    "district_admin": {"state_admin", "config"},
}


def _imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_package_imports_only_what_its_layer_may(package):
    offenders = {
        str(path.relative_to(PROJECT)): sorted(_imported_packages(path) & FORBIDDEN[package])
        for path in PACKAGES[package].rglob("*.py")
        if _imported_packages(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def test_platform_is_not_a_python_package():
    assert not (PROJECT / "platform" / "__init__.py").exists()


# --- inside core: the foundation, the areas and the crossings between them (issue 17) -----------

CORE = PROJECT / "core"
# Django's own places and the foundation; every other package under core/ is an area.
NOT_AREAS = {"base", "models", "migrations", "management", "templatetags"}
# Modules at core/'s root that wire the areas together (Django and huey load them).
WIRING = {"apps", "urls", "tasks", "views"}
PROJECT_PACKAGES = {"core", "tenants", "state_admin", "district_admin", "config"}


def _areas() -> set[str]:
    return {
        path.name
        for path in CORE.iterdir()
        if path.is_dir() and path.name not in NOT_AREAS and any(path.rglob("*.py"))
    }


def _imports(path: Path) -> set[str]:
    """Every module the file imports, at any depth (``from core.x.y import z`` counts as
    ``core.x.y`` and ``core.x.y.z``, ``from core.x import y`` as ``core.x.y``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.count(".") != 1:  # ``from core.x import y``: ``core.x.y`` says more
                found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _area_of(module: str, areas: set[str]) -> str | None:
    parts = module.split(".")
    if parts[0] == "core" and len(parts) > 1 and parts[1] in areas:
        return parts[1]
    return None


def test_the_foundation_imports_no_area():
    areas = _areas()
    offenders = {}
    for path in sorted((CORE / "base").rglob("*.py")):
        bad = sorted(module for module in _imports(path) if _area_of(module, areas))
        bad += sorted(m for m in _imports(path) if m.split(".")[:2] in [["core", w] for w in WIRING])
        if bad:
            offenders[str(path.relative_to(PROJECT))] = bad
    assert offenders == {}


# Every place where one area reaches into another: (importing area, "core.<area>.<module>") with
# the reason. An area calls another through its services, selectors or access (its sight rule);
# the rows that name something else are debts of the reorganisation, each saying where it goes.
# A new crossing fails the test until it is named here; a crossing that is gone must be struck out,
# so the list only shrinks.
_API = "the API is a second face of the areas: it reads and writes through their selectors and services"
_API_ACCESS = "the API finds an item through the area's sight rule, as the pages do"
_API_FORMS = "the API validates with the pages' forms, so the two cannot disagree"
_ORG = "who holds which post, the office tree and the post pickers are the organisation's reads"
_UPLOADS = "debt: resumable uploads (core.uploads) are a foundation service; they belong in core/base/uploads"
_LETTERS = "a posting's end revokes its signing certificate and a new district seeds its authority"
_SEARCH = "the search filters each kind of record by its area's sight rule"
ALLOWED_CROSSINGS: dict[tuple[str, str], str] = {
    ("api", "core.cases.access"): _API_ACCESS,
    ("api", "core.cases.forms"): _API_FORMS,
    ("api", "core.cases.selectors"): _API,
    ("api", "core.cases.services"): _API,
    ("api", "core.efile.forms"): _API_FORMS,
    ("api", "core.efile.selectors"): _API,
    ("api", "core.efile.services"): _API,
    ("api", "core.efile.views"): "debt: a document view helper of the e-File (belongs in core/base/http.py)",
    (
        "api",
        "core.org.selectors",
    ): "the token pages ask whether the person is this district's admin (request_is_district_admin)",
    ("api", "core.people.access"): _API_ACCESS,
    ("api", "core.people.selectors"): _API,
    ("api", "core.people.services"): _API,
    ("api", "core.rti.access"): _API_ACCESS,
    ("api", "core.rti.clocks"): "debt: RTI's due dates, to be read through core.rti.selectors",
    ("api", "core.rti.forms"): _API_FORMS,
    ("api", "core.rti.selectors"): _API,
    ("api", "core.rti.services"): _API,
    ("api", "core.search.forms"): _API_FORMS,
    ("api", "core.search.query"): "debt: the search itself, to be read through core.search.selectors",
    ("api", "core.search.services"): _API,
    ("api", "core.uploads.claim"): _UPLOADS,
    (
        "cases",
        "core.efile.selectors",
    ): "a case's page lists what the e-File holds for it, through its selectors",
    (
        "cases",
        "core.efile.services",
    ): "digitisation files a case's pages as e-File documents, through its services",
    ("cases", "core.uploads.claim"): _UPLOADS,
    ("efile", "core.cases.access"): "papers are uploaded onto a case the viewer may see (its sight rule)",
    ("efile", "core.cases.selectors"): "who may add papers to a case (case_papers_post)",
    ("efile", "core.org.selectors"): _ORG,
    ("efile", "core.uploads.claim"): _UPLOADS,
    ("letters", "core.efile.services"): "an incoming letter is diarised as dak through the e-File's services",
    (
        "letters",
        "core.efile.selectors",
    ): "a file sent up to a range carries its track, read through the e-File's selectors",
    (
        "letters",
        "core.supervision.selectors",
    ): "a range office signs and reads letters as the offices it supervises",
    ("ocr", "core.cases.access"): "OCR of a case's papers: the case's sight rule",
    ("ocr", "core.cases.selectors"): "OCR of a case's papers: who may index them",
    (
        "ocr",
        "core.efile.services",
    ): "OCR registers its reading of new versions with the e-File's document service",
    ("ocr", "core.efile.views"): "debt: the e-File's document view helpers (belong in core/base/http.py)",
    ("org", "core.letters.certificates"): _LETTERS,
    ("org", "core.letters.seed"): _LETTERS,
    ("org", "core.letters.signing"): _LETTERS,
    ("outage", "core.efile.forms"): "back-entry uses the e-File's movement form, so its checks are the same",
    ("outage", "core.efile.numbering"): "back-entered files and dak take the e-File's numbers",
    ("outage", "core.efile.selectors"): "back-entry reads the e-File through its selectors",
    ("outage", "core.efile.services"): "back-entry writes through the e-File's services",
    ("outage", "core.uploads.claim"): _UPLOADS,
    ("people", "core.org.selectors"): _ORG,
    ("rti", "core.cases.access"): "an application links the cases the viewer may see (their sight rule)",
    ("rti", "core.efile.numbering"): "RTI's numbers come from the e-File's numbering",
    ("rti", "core.efile.selectors"): "RTI pages read the e-File's files and documents through its selectors",
    ("search", "core.cases.access"): _SEARCH,
    ("search", "core.org.selectors"): _ORG,
    ("search", "core.people.access"): _SEARCH,
    ("search", "core.rti.access"): _SEARCH,
    ("supervision", "core.letters.directory"): "a range office is published in the letters' directory",
    ("supervision", "core.letters.selectors"): "supervision counts letters through letters' selectors",
    ("supervision", "core.rti.clocks"): "debt: RTI's due dates, to be read through core.rti.selectors",
}


def _crossings() -> dict[tuple[str, str], set[str]]:
    areas = _areas()
    found: dict[tuple[str, str], set[str]] = {}
    for area in sorted(areas):
        for path in (CORE / area).rglob("*.py"):
            for module in _imports(path):
                target = _area_of(module, areas)
                if target and target != area:
                    key = (area, ".".join(module.split(".")[:3]))
                    found.setdefault(key, set()).add(str(path.relative_to(PROJECT)))
    return found


def test_areas_cross_only_where_named():
    found = _crossings()
    unnamed = {
        f"{a} -> {m}": sorted(files) for (a, m), files in found.items() if (a, m) not in ALLOWED_CROSSINGS
    }
    assert unnamed == {}


def test_every_named_crossing_still_exists():
    found = _crossings()
    assert sorted(f"{a} -> {m}" for (a, m) in ALLOWED_CROSSINGS if (a, m) not in found) == []


def _function_imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, module, has a ``# lazy:`` reason) of each import of a project package inside a
    function. The reason is on the import's line or in the comment lines just above the run of
    imports it belongs to."""
    source = path.read_text()
    lines = source.splitlines()
    found = {}
    for function in ast.walk(ast.parse(source, str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                if not module or module.split(".")[0] not in PROJECT_PACKAGES:
                    continue
                reason = "# lazy:" in lines[node.lineno - 1]
                above = node.lineno - 2
                while not reason and above >= 0:
                    text = lines[above].strip()
                    if text.startswith("# lazy:"):
                        reason = True
                    elif not (
                        text.startswith(("#", "from ", "import ")) or text.endswith(",") or text == ")"
                    ):
                        break
                    above -= 1
                found[node.lineno] = (node.lineno, module, reason)
    return sorted(found.values())


def _project_function_imports() -> list[tuple[str, bool]]:
    """("path:line module", has a reason) of every import inside a function in core, tenants and
    platform, migrations left out."""
    return [
        (f"{path.relative_to(PROJECT)}:{line} {module}", reason)
        for root in (CORE, PROJECT / "tenants", PROJECT / "platform")
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts
        for line, module, reason in _function_imports(path)
    ]


def test_imports_inside_functions_say_why():
    """An import inside a function, in core, tenants or platform (config, state_admin), is either
    a genuine lazy one (heavy, or loaded before the app registry is ready, or an import cycle still
    to break) and says so in a ``# lazy:`` comment, or it belongs at the top of the module."""
    assert [where for where, reason in _project_function_imports() if not reason] == []


# How many imports inside functions there are at most (issue 17: 53 at the start, 24 with the
# loops named, 19 once the export, officer-import, rollup, e-File tracking and RTI reply loops were
# broken). Lower it when one goes; it may not grow back.
FUNCTION_IMPORTS_AT_MOST = 19


def test_imports_inside_functions_do_not_grow_back():
    found = [where for where, _reason in _project_function_imports()]
    assert len(found) <= FUNCTION_IMPORTS_AT_MOST, found
