"""Compile every locale/*/LC_MESSAGES/*.po into its .mo with polib (no GNU gettext needed).

Run by the Makefile before the server or the tests start; .mo files are not kept in git.
"""

from pathlib import Path

import polib

PROJECT_DIR = Path(__file__).resolve().parents[2]


def compile_all(root: Path = PROJECT_DIR / "locale") -> int:
    count = 0
    for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    return count


if __name__ == "__main__":
    print(f"compiled {compile_all()} message catalogue(s)")
