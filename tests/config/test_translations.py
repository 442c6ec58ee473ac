from pathlib import Path

import polib
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "hi" / "LC_MESSAGES" / "django.po"


def test_hindi_catalogue_is_complete_and_has_no_fuzzy_entries():
    po = polib.pofile(str(CATALOGUE))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 200


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    for entry in polib.pofile(str(CATALOGUE)).translated_entries():
        if entry.msgid_plural:
            continue
        assert sorted(placeholder.findall(entry.msgid)) == sorted(placeholder.findall(entry.msgstr)), (
            entry.msgid
        )


def test_allauth_strings_are_translated_at_run_time():
    with translation.override("hi"):
        assert translation.gettext("Forgot your password?") != "Forgot your password?"
        assert translation.pgettext("field label", "Login") != "Login"
