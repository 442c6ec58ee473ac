"""Make static/fonts/noto-sans-devanagari.woff2: the web font that shows Hindi on a PC that has no
Devanagari font of its own.

Run by hand when the font package or the ranges change, and commit the result (about 42 KB):
``.venv/bin/python -m config.font_subset`` (the woff2 encoder needs brotli, which comes with
``whitenoise[brotli]``). The source is the variable Noto Sans Devanagari of the
``fontpkg-noto-sans-devanagari`` dependency (SIL Open Font License 1.1, static/fonts/OFL.txt);
the subset is its regular instance (weight 400, width 100: bold text is drawn bold by the browser),
the Devanagari block and the joiners and dotted circle that shaping needs, with the default
OpenType features (the Indic conjunct and mark features among them) and no hinting.
"""

import shutil
from pathlib import Path

import fontpkg_noto_sans_devanagari
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

PROJECT_DIR = Path(__file__).resolve().parents[2]
TARGET = PROJECT_DIR / "static" / "fonts" / "noto-sans-devanagari.woff2"
# The same ranges as the @font-face's unicode-range in static/karyalay.css: the browser fetches the
# font only for a page that has one of these characters, and never uses it for Latin text.
UNICODES = [*range(0x0900, 0x0980), 0x200C, 0x200D, 0x25CC]


def font_subset(target: Path = TARGET) -> int:
    """Writes the subset to ``target`` and returns its size in bytes."""
    source = next((fontpkg_noto_sans_devanagari.ROOT / "files").glob("*.ttf"))
    font = instancer.instantiateVariableFont(TTFont(source), {"wght": 400, "wdth": 100})
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [1, 2, 3, 4, 5, 6]
    options.drop_tables += ["DSIG", "STAT"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    shutil.copyfile(fontpkg_noto_sans_devanagari.ROOT / "LICENSE", target.parent / "OFL.txt")
    return target.stat().st_size


if __name__ == "__main__":
    print(f"{TARGET.relative_to(PROJECT_DIR)}: {font_subset()} bytes")
