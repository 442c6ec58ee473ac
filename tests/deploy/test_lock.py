"""Reproducible images: deploy/requirements.lock pins every runtime dependency, with hashes, at a
version pyproject.toml allows, and the Dockerfile installs from it with --require-hashes; the
gunicorn settings are all names the installed gunicorn reads (issue 19, point 4)."""

import importlib.util
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "deploy" / "requirements.lock"


def _locked() -> dict[str, tuple[str, list[str]]]:
    """{name: (version, [hashes])} from the lock file."""
    entries, current = {}, None
    for line in LOCK.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", line)
        if match:
            current = canonicalize_name(match.group(1).split("[")[0])
            entries[current] = (match.group(2), [])
        elif current and (found := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            entries[current][1].append(found.group(1))
    return entries


def _runtime_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(spec) for spec in project["dependencies"]]


def test_every_runtime_dependency_is_locked_at_an_allowed_version():
    locked = _locked()
    for requirement in _runtime_requirements():
        if requirement.marker and not requirement.marker.evaluate(
            {"sys_platform": "linux", "platform_machine": "x86_64"}
        ):
            continue
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in deploy/requirements.lock: run make lock"
        version, _ = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} in the lock, pyproject.toml asks {requirement.specifier}: run make lock"
        )


def test_every_locked_package_has_hashes():
    locked = _locked()
    assert len(locked) > 30
    for name, (_version, hashes) in locked.items():
        assert hashes, f"{name} has no hash"


def test_the_image_installs_from_the_lock_with_hashes():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "pip install --require-hashes --no-deps -r deploy/requirements.lock" in dockerfile
    # The project itself adds no dependency the lock does not hold.
    assert "pip install --no-deps -e ." in dockerfile


def test_current_majors_are_locked():
    locked = _locked()
    assert locked["gunicorn"][0].split(".")[0] == "27"
    assert locked["pillow"][0].split(".")[0] == "13"
    assert locked["pypdf"][0].split(".")[0] == "7"


def test_every_gunicorn_setting_is_one_gunicorn_reads():
    from gunicorn.config import KNOWN_SETTINGS

    known = {setting.name for setting in KNOWN_SETTINGS}
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "deploy" / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ours = {
        name
        for name, value in vars(module).items()
        if name.islower() and not name.startswith("_") and not isinstance(value, type(re))
    }
    unknown = ours - known
    assert not unknown, f"gunicorn ignores {sorted(unknown)}"
    assert "control_socket_disable" in ours and module.accesslog is None
