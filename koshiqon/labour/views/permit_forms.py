"""Forms of the permit pages. They only parse what the user typed; every rule lives in the services, whose
field-level errors are put back next to the fields (a new worker's passport fields are `worker.<name>` in the
services and `worker_<name>` here)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, region_ids_in_scope
from koshiqon.labour.domain.status import ApplicationStatus, PermitKind, PermitStatus
from koshiqon.labour.models import APPLICATION_STATUS_LABELS, PERMIT_KIND_LABELS, PERMIT_STATUS_LABELS
from koshiqon.labour.selectors.employers import employers_for
from koshiqon.people.forms import country_choices
from koshiqon.reference.models import Region
from koshiqon.reference.selectors import country_by_code, occupations

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
CATEGORY_CHOICES = [("", "—"), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("1+2", "1+2 (2007–2012)")]
PASSPORT_FIELDS = ("last_name_latin", "first_name_latin", "birth_date", "sex", "citizenship", "passport_number",
                   "passport_expires_on")


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_INPUT_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


ALL_REGIONS = _("all regions")


def region_choices(user, *, blank=ALL_REGIONS):
    qs = Region.objects.prefetch_related("names").filter(valid_to__isnull=True)
    # An employer account works anywhere; officers and viewers choose among their own regions.
    scope = region_ids_in_scope(user) if can(user, Perm.LABOUR_VIEW) else None
    if scope is not None:
        qs = qs.filter(id__in=scope)
    return [("", blank)] + [(r.code, r.name) for r in qs]


def _optional(form: forms.Form, required: set[str] = frozenset()) -> None:
    # The services decide what is required and say so in the user's language; the form only shows it.
    for name, f in form.fields.items():
        f.optional = name not in required
        f.required = False


class FilterForm(forms.Form):
    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class ApplicationFilterForm(FilterForm):
    q = forms.CharField(label=_("Number or worker's name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("Status"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2007, max_value=2100)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    # Set by the ministry page's links (refusals of one reason); kept through the filters as a hidden field.
    reason = forms.SlugField(required=False, max_length=30, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("any"))] + [(s.value, APPLICATION_STATUS_LABELS[s])
                                                             for s in ApplicationStatus]
        self.fields["region"].choices = region_choices(user)
        self.fields["kind"].choices = [("", _("any"))] + [(k.value, PERMIT_KIND_LABELS[k]) for k in PermitKind]
        for f in self.fields.values():
            f.optional = False


class PermitFilterForm(FilterForm):
    q = forms.CharField(label=_("Number or worker's name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("Status"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    expiring = forms.BooleanField(label=_("Ending within 60 days"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("any"))] + [(s.value, PERMIT_STATUS_LABELS[s]) for s in PermitStatus]
        self.fields["region"].choices = region_choices(user)
        self.fields["kind"].choices = [("", _("any"))] + [(k.value, PERMIT_KIND_LABELS[k]) for k in PermitKind]
        for f in self.fields.values():
            f.optional = False


class PassportMixin(forms.Form):
    worker_last_name_latin = forms.CharField(label=_("Surname (Latin, as in the passport)"), max_length=100)
    worker_first_name_latin = forms.CharField(label=_("Given name (Latin, as in the passport)"), max_length=100)
    worker_birth_date = _date(_("Date of birth"))
    worker_sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), ("M", _("male")), ("F", _("female"))])
    worker_citizenship = forms.ChoiceField(label=_("Citizenship (passport country)"))
    worker_passport_number = forms.CharField(label=_("Passport number"), max_length=20)
    worker_passport_expires_on = _date(_("Passport valid until"))

    def passport(self) -> dict:
        values = {name: self.cleaned_data.get(f"worker_{name}") for name in PASSPORT_FIELDS}
        values["citizenship"] = country_by_code(values["citizenship"] or "")
        return values


class ApplicationForm(PassportMixin):
    employer = forms.ChoiceField(label=_("Employer"))
    region = forms.ChoiceField(label=_("Region of work"), help_text=_("The permit is valid in this region only."))
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, PERMIT_KIND_LABELS[k]) for k in PermitKind])
    category = forms.ChoiceField(label=_("Category"), choices=CATEGORY_CHOICES,
                                 help_text=_("Not needed for seasonal work."))
    occupation = forms.ChoiceField(label=_("Occupation (ISCO-08)"))
    months = forms.IntegerField(label=_("Months of the permit"), min_value=1, max_value=36,
                                help_text=_("12 at most; category 1 and transfers up to 36."))
    seasonal_days = forms.IntegerField(label=_("Days of seasonal work"), min_value=1, max_value=365)
    applied_on = _date(_("Application date"))
    vacancy = forms.CharField(label=_("Vacancy on the labour exchange (its id)"), max_length=40,
                              help_text=_("From 1 Sep 2025: posted at least 15 calendar days before the application."))
    employment_body_notified = forms.BooleanField(label=_("The employment body was notified (2012–2025)"))
    advertised = forms.BooleanField(label=_("The job was advertised (2008–2012)"))
    rejections_justified = forms.BooleanField(label=_("Rejections of local applicants justified (2008–2012)"))
    replacement_undertaken = forms.BooleanField(label=_("Replacement by a trained local undertaken (2008–2012)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        employers = list(employers_for(user).order_by("name", "id")[:500])
        self.employers = {str(e.pk): e for e in employers}
        self.fields["employer"].choices = [(str(e.pk), f"{e.name} ({e.bin})") for e in employers]
        self.fields["region"].choices = region_choices(user, blank="—")
        self.fields["occupation"].choices = [("", "—")] + [(o.code, f"{o.code} {o.name}")
                                                          for o in occupations(level=4)]
        self.fields["worker_citizenship"].choices = [c for c in country_choices() if c[0] != "KZ"]
        _optional(self, {"employer", "region", "kind", "occupation", "applied_on", *(
            f"worker_{n}" for n in PASSPORT_FIELDS if n != "passport_expires_on")})


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        _optional(self, {"reason"} if required else set())


class ExtensionForm(forms.Form):
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _optional(self, {"months"})


class ExtensionDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(label=_("Decision"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
                                   choices=[("yes", _("extend")), ("no", _("refuse"))])
    reasons = forms.CharField(label=_("Reasons for refusing"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000, help_text=_("One reason per line."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _optional(self, {"grant"})
        self.fields["grant"].required = True


class HouseholdForm(PassportMixin):
    employer_iin = forms.CharField(label=_("Private employer's IIN"), max_length=12)
    region = forms.ChoiceField(label=_("Region"))
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=12, help_text=_("1 to 12."))
    valid_from = _date(_("Valid from"))

    field_order = ["employer_iin", "region", "months", "valid_from"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, blank="—")
        self.fields["worker_citizenship"].choices = [c for c in country_choices() if c[0] != "KZ"]
        _optional(self, {"employer_iin", "region", "months", *(
            f"worker_{n}" for n in PASSPORT_FIELDS if n != "passport_expires_on")})


class HouseholdFilterForm(FilterForm):
    q = forms.CharField(label=_("Number or worker's name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("Status"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("any"))] + [(s.value, PERMIT_STATUS_LABELS[s]) for s in PermitStatus]
        self.fields["region"].choices = region_choices(user)
        for f in self.fields.values():
            f.optional = False


def rename_worker(errors: dict) -> dict:
    """Service field names (worker.birth_date) to form field names (worker_birth_date)."""
    return {k.replace("worker.", "worker_"): v for k, v in errors.items()}
