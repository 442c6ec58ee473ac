"""The upload form of an officer import: a CSV or XLSX file and, across districts, which district."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.org.officer_import import parse
from core.org.officer_import.check import districts_for_choice

EACH_ROW = "__each_row__"


class ImportUploadForm(forms.Form):
    """``across_districts`` (the state console) adds the choice of a live district, or a district
    named on each row (cleaned to None)."""

    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))

    def __init__(self, *args, across_districts: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if across_districts:
            self.districts = {d.slug: d for d in districts_for_choice()}
            self.fields["district"] = forms.ChoiceField(
                label=gettext_lazy("Into"),
                choices=[
                    ("", "—"),
                    *(
                        (d.slug, f"{d.name} · {d.name_hi}" if d.name_hi else d.name)
                        for d in self.districts.values()
                    ),
                    (EACH_ROW, _("Each row names its district (a “district” column)")),
                ],
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > parse.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)s MB; split it into smaller files.")
                % {"mb": parse.MAX_BYTES // 2**20}
            )
        return upload

    def clean_district(self):
        slug = self.cleaned_data["district"]
        return None if slug == EACH_ROW else self.districts[slug]
