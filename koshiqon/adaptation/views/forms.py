"""Forms of the adaptation pages. They only parse what staff typed; every rule lives in the services, whose
field-level errors are put back next to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from koshiqon.adaptation.domain.outcomes import Answer
from koshiqon.adaptation.models import ANSWER_LABELS, Housing, PlanStatus, Transport, WorkTrack
from koshiqon.adaptation.sectors import sector_choices
from koshiqon.reference.models import Region

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def _optional(form: forms.Form, names: set[str]) -> None:
    # The services decide what is required (and say so in the user's language); the form only shows it.
    for name, f in form.fields.items():
        f.required = False
        f.optional = name in names


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Plan number or family name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    centre = forms.ChoiceField(label=_("Centre"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Only with overdue services"), required=False)

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [("", _("all centres"))] + [(str(c.pk), c.name) for c in centres]
        self.fields["status"].choices = [("", _("any"))] + list(PlanStatus.choices)
        for f in self.fields.values():
            f.optional = False

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class FamilySearchForm(forms.Form):
    q = forms.CharField(label=_("Family name or a member's name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))


class PlanForm(forms.Form):
    arrival_date = date_field(_("Arrival date"))
    transport = forms.ChoiceField(label=_("Transport"), choices=[("", "—"), *Transport.choices])
    family_size = forms.IntegerField(label=_("Family size"), min_value=1, max_value=40,
                                     help_text=_("Persons who move; empty: the members under the kandas application."))
    financial_aid_tenge = forms.IntegerField(label=_("Financial aid, tenge"), min_value=0,
                                             help_text=_("Empty: the support decided on the kandas application."))
    financial_aid_note = forms.CharField(label=_("Financial aid: what it is"), max_length=300)
    work = forms.ChoiceField(label=_("Job or training"), choices=[("", "—"), *WorkTrack.choices])
    work_note = forms.CharField(label=_("Job or training: details"), max_length=300)
    housing = forms.ChoiceField(label=_("Housing"), choices=[("", "—"), *Housing.choices])
    housing_note = forms.CharField(label=_("Housing: details"), max_length=300)
    services = forms.MultipleChoiceField(label=_("Refer the family to"), widget=forms.CheckboxSelectMultiple,
                                         help_text=_("Each referral is due on the service's usual term after arrival; "
                                                     "you can change it on the plan."))

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = [(o.service.code, o.service.name) for o in offers]
        _optional(self, {"family_size", "financial_aid_tenge", "financial_aid_note", "work_note", "housing_note",
                         "services"})


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"))
    person = forms.ChoiceField(label=_("For"))
    due_on = date_field(_("Due on"), help_text=_("Empty: the service's usual term."))
    note = forms.CharField(label=_("Note"), max_length=300)

    def __init__(self, *args, offers, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "—")] + [(o.service.code, o.service.name) for o in offers]
        self.fields["person"].choices = [("", _("the whole family"))] + [(str(m.person.pk), m.person.full_name)
                                                                         for m in members]
        _optional(self, {"person", "due_on", "note"})


class DeliveryForm(forms.Form):
    delivered_on = date_field(_("Delivered on"))
    note = forms.CharField(label=_("What was done"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _optional(self, {"note"})


class CheckInForm(forms.Form):
    persons = forms.MultipleChoiceField(label=_("Who checks in"), widget=forms.CheckboxSelectMultiple)
    on = date_field(_("Checked in on"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = [(str(m.person.pk), m.person.full_name) for m in members]
        _optional(self, set())


class CheckOutForm(forms.Form):
    stays = forms.MultipleChoiceField(label=_("Who checks out"), widget=forms.CheckboxSelectMultiple)
    on = date_field(_("Checked out on"))

    def __init__(self, *args, stays, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stays"].choices = [(str(s.pk), s.person.full_name) for s in stays]
        _optional(self, set())


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Why the plan is closed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    closed_on = date_field(_("Closed on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _optional(self, set())


ANSWER_CHOICES = [("", "—")] + [(a.value, ANSWER_LABELS[a]) for a in Answer]


class OutcomesForm(forms.Form):
    """One set of fields per working-age member and checkpoint reached: employed, sector, and at 12 months
    whether they still live in the region. A checkpoint left at "—" is not recorded."""

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        sectors = [("", "—")] + sector_choices()
        self.cells = []
        for person, cells in grid:
            for cell in cells:
                if not cell.open:
                    continue
                prefix = f"o{person.pk}_{cell.months}"
                recorded = cell.outcome
                self.fields[f"{prefix}_employed"] = forms.ChoiceField(
                    label=_("Employed"), choices=ANSWER_CHOICES, required=False,
                    initial=recorded.employed if recorded else "")
                self.fields[f"{prefix}_sector"] = forms.ChoiceField(
                    label=_("Employer's sector"), choices=sectors, required=False,
                    initial=recorded.sector if recorded else "")
                if cell.months == 12:
                    self.fields[f"{prefix}_stayed"] = forms.ChoiceField(
                        label=_("Still lives in the region"), choices=ANSWER_CHOICES, required=False,
                        initial=recorded.stayed_in_region if recorded else "")
                self.cells.append((person, cell, prefix))

    def rows(self) -> list[tuple[str, dict]]:
        """(field prefix, outcome row) for each checkpoint given an answer."""
        out = []
        for person, cell, prefix in self.cells:
            employed = self.cleaned_data.get(f"{prefix}_employed") or ""
            if not employed:
                continue
            out.append((prefix, {"person": person, "months": cell.months, "employed": employed,
                                 "sector": self.cleaned_data.get(f"{prefix}_sector") or "",
                                 "stayed_in_region": self.cleaned_data.get(f"{prefix}_stayed") or ""}))
        return out

    def bound(self, prefix: str, name: str):
        key = f"{prefix}_{name}"
        return self[key] if key in self.fields else None


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}))


class CentreForm(forms.Form):
    name = forms.CharField(label=_("Name of the centre"), max_length=200)
    region = forms.ChoiceField(label=_("Region"))
    address = forms.CharField(label=_("Address"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    beds = forms.IntegerField(label=_("Beds"), min_value=0)
    opened_on = date_field(_("Open from"))
    closed_on = date_field(_("Closed from"))
    max_stay_days = forms.IntegerField(label=_("Longest stay, days"), min_value=1,
                                       help_text=_("Empty: no limit is set."))
    staff = forms.MultipleChoiceField(label=_("Staff"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, services, staff, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.filter(valid_to__isnull=True).prefetch_related("names")
        self.fields["region"].choices = [("", "—")] + [(r.code, r.name) for r in regions]
        self.fields["staff"].choices = [(str(u.pk), u.get_full_name() or u.get_username()) for u in staff]
        self.services = []
        for service in services:
            self.fields[f"svc_{service.code}"] = forms.BooleanField(label=service.name, required=False)
            if service.is_course:
                self.fields[f"places_{service.code}"] = forms.IntegerField(
                    label=_("places"), min_value=1, required=False)
            self.services.append(service)
        _optional(self, {"phone", "closed_on", "max_stay_days", "staff"}
                  | {n for n in self.fields if n.startswith(("svc_", "places_"))})

    def service_rows(self):
        for service in self.services:
            places = f"places_{service.code}"
            yield service, self[f"svc_{service.code}"], self[places] if places in self.fields else None

    def offers(self) -> dict[str, int | None]:
        return {s.code: self.cleaned_data.get(f"places_{s.code}") for s in self.services
                if self.cleaned_data.get(f"svc_{s.code}")}
