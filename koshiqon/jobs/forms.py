from django import forms
from django.utils.translation import gettext_lazy as _

from koshiqon.core.tables import decoded_text, too_large

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


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
            raise forms.ValidationError(too_large(MAX_UPLOAD_BYTES))
        text = decoded_text(upload.read())  # UTF-8 (with or without Excel's byte-order mark), then Windows-1251
        if text is not None:
            return text
        raise forms.ValidationError(_("The file is not text in UTF-8 or Windows-1251."))
