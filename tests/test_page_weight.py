"""What a weak link downloads besides the pages: the favicon at the root, the Devanagari web font
subset (does it show every letter the Hindi pages use, and stay small), and the static files as a
production build collects them (hashed names the stylesheet refers to, and a gzip copy of each).
The bytes over the wire and the throttled timings are measured in Chromium:
tests/test_page_weight_browser.py."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import polib
from fontTools.ttLib import TTFont

from config.font_subset import TARGET, UNICODES
from tests.helpers import HostClient

PROJECT = Path(__file__).resolve().parents[1]
CSS = PROJECT / "static" / "karyalay.css"


def test_favicon_ico_is_served_at_the_root_of_a_district_and_of_the_state_console(world, db):
    for client in (HostClient("vaishali"), HostClient(None)):
        response = client.get("/favicon.ico")
        assert response.status_code == 200
        assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
        body = b"".join(response.streaming_content)
        assert body[:4] == b"\x00\x00\x01\x00" and len(body) < 4096  # an ICO header, and small


def test_every_page_links_the_svg_favicon(world, db):
    page = HostClient("vaishali").get("/accounts/login/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg" type="image/svg\+xml">', page)


def test_the_font_subset_has_every_devanagari_letter_of_the_hindi_catalogue_and_its_conjuncts():
    font = TTFont(TARGET)
    cmap = font.getBestCmap()
    catalogue = polib.pofile(str(PROJECT / "locale" / "hi" / "LC_MESSAGES" / "django.po"))
    used = {ch for entry in catalogue for ch in entry.msgstr if 0x0900 <= ord(ch) <= 0x097F}
    assert len(used) > 40  # the catalogue is Hindi
    assert not sorted(ch for ch in used if ord(ch) not in cmap)
    # Half forms, reph and akhand ligatures: without them क्ष, र्म, स्थ fall apart into letters.
    features = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"akhn", "half", "rphf", "blwf", "pres", "abvs", "blws"} <= features
    assert not {cp for cp in cmap if cp < 0x0900 and cp not in (0x20, 0xA0)}  # no Latin: system font
    assert TARGET.stat().st_size < 45_000


def test_the_stylesheet_asks_for_the_font_only_for_the_characters_the_subset_has():
    css = CSS.read_text()
    face = re.search(r"@font-face \{(.*?)\}", css, re.S).group(1)
    assert "font-display: swap" in face and "fonts/noto-sans-devanagari.woff2" in face
    ranges = re.search(r"unicode-range: ([^;]+);", face).group(1)
    declared = set()
    for part in ranges.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        declared |= set(range(int(low, 16), int(high or low, 16) + 1))
    assert declared == set(UNICODES)


def test_a_production_build_collects_hashed_gzipped_static_files_the_stylesheet_refers_to(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "collectstatic-in-a-test-" + "x" * 40,
        "KARYALAY_ROOT_DOMAIN": "build.invalid",
        "KARYALAY_STATIC_ROOT": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=PROJECT,
        env=env,
        check=True,
        timeout=600,  # brotli over the API docs' 9 MB of static files, on a loaded CI machine
    )
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    css_name, font_name = paths["karyalay.css"], paths["fonts/noto-sans-devanagari.woff2"]
    assert re.fullmatch(r"karyalay\.[0-9a-f]{12}\.css", css_name)
    assert re.fullmatch(r"fonts/noto-sans-devanagari\.[0-9a-f]{12}\.woff2", font_name)
    assert font_name.removeprefix("fonts/") in (tmp_path / css_name).read_text()
    for name in (css_name, paths["karyalay.js"], paths["favicon.svg"]):
        gzipped = tmp_path / f"{name}.gz"
        assert gzipped.stat().st_size < (tmp_path / name).stat().st_size
        assert (tmp_path / f"{name}.br").stat().st_size < gzipped.stat().st_size
    assert not (tmp_path / f"{font_name}.gz").exists()  # woff2 is compressed already
