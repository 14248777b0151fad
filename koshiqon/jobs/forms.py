from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# UTF-8 first (with or without Excel's byte-order mark), then Windows-1251, which Russian Excel writes.
ENCODINGS = ("utf-8-sig", "cp1251")


class PersonImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 or Windows-1251, comma- or semicolon-separated, the column names on the first line."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> str:
        """The file's text, decoded; the import itself checks every row."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB; split it.") % {
                "mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
        raw = upload.read()
        for encoding in ENCODINGS:
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file is not text in UTF-8 or Windows-1251."))
