"""Forms of the labour-exchange pages: filters, one vacancy or jobseeker, and the import upload. They parse;
the services check (the same checks as an imported row) and their errors land next to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from koshiqon.core.tables import too_large
from koshiqon.labour.models import VacancyStatus
from koshiqon.labour.services.imports import MAX_BYTES
from koshiqon.labour.views.employer_forms import region_choices
from koshiqon.reference.models import EducationLevel

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OCCUPATION_HELP = _("ISCO-08 code: a minor group of 3 digits (214) or a unit group of 4.")


def education_choices(blank):
    return [("", blank)] + [(e.code, f"{e.code}: {e.name}") for e in EducationLevel.objects.all()]


class _Filters(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.optional = False

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class VacancyFilterForm(_Filters):
    q = forms.CharField(label=_("Exchange id, title or BIN"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    region = forms.ChoiceField(label=_("Region"), required=False)
    occupation = forms.RegexField(label=_("Occupation (ISCO-08)"), regex=r"^\d{1,4}$", required=False, max_length=4)
    status = forms.ChoiceField(label=_("Status"), required=False)
    posted_from = forms.DateField(label=_("Posted from"), required=False, widget=DATE_WIDGET)
    posted_to = forms.DateField(label=_("Posted to"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, _("all regions"))
        self.fields["status"].choices = [("", _("any"))] + list(VacancyStatus.choices)


class JobseekerFilterForm(_Filters):
    q = forms.CharField(label=_("Registration number"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    region = forms.ChoiceField(label=_("Region"), required=False)
    occupation = forms.RegexField(label=_("Occupation (ISCO-08)"), regex=r"^\d{1,4}$", required=False, max_length=4)
    education = forms.ChoiceField(label=_("Education"), required=False)
    active_on = forms.DateField(label=_("Registered on the day"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, _("all regions"))
        self.fields["education"].choices = education_choices(_("any"))


class _Record(forms.Form):
    optional: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            f.required = False  # the service says what is missing, in the user's language
            f.optional = name in self.optional


class VacancyForm(_Record):
    optional = ("status",)
    exchange_id = forms.CharField(label=_("Exchange id"), max_length=40,
                                  help_text=_("The vacancy's number on the national labour exchange."))
    employer_bin = forms.CharField(label=_("Employer BIN"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=300)
    occupation = forms.CharField(label=_("Occupation (ISCO-08)"), max_length=4, help_text=OCCUPATION_HELP)
    region = forms.ChoiceField(label=_("Region"))
    wage = forms.CharField(label=_("Monthly wage, tenge"), max_length=15,
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    posted_on = forms.CharField(label=_("Posted on"), max_length=10, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=VacancyStatus.choices, initial=VacancyStatus.OPEN)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, "—")


class JobseekerForm(_Record):
    optional = ("education", "deregistered_on")
    registration = forms.CharField(label=_("Registration number"), max_length=40)
    occupation = forms.CharField(label=_("Occupation (ISCO-08)"), max_length=4, help_text=OCCUPATION_HELP)
    region = forms.ChoiceField(label=_("Region"))
    education = forms.ChoiceField(label=_("Education (ISCED 2011)"))
    registered_on = forms.CharField(label=_("Registered since"), max_length=10,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    deregistered_on = forms.CharField(label=_("Deregistered on"), max_length=10,
                                      widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, "—")
        self.fields["education"].choices = education_choices("—")

    def clean_deregistered_on(self):
        return self.cleaned_data["deregistered_on"] or None


class DeregisterForm(forms.Form):
    deregistered_on = forms.DateField(label=_("Deregistered on"), required=False, widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class ImportForm(forms.Form):
    what = forms.ChoiceField(label=_("What the file holds"), widget=forms.RadioSelect,
                             choices=[("vacancies", _("Vacancies")), ("jobseekers", _("Registered jobseekers"))],
                             initial="vacancies")
    file = forms.FileField(label=_("CSV or XLSX file"),
                           help_text=_("The column names on the first line; CSV in UTF-8 or Windows-1251."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large(MAX_BYTES))
        return upload
