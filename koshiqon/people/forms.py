"""Forms of the people pages. They only parse what the user typed (dates, choices): every rule lives in the
services, whose field-level errors `apply_errors` puts back next to the fields."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koshiqon.core.permissions import region_ids_in_scope
from koshiqon.people.models import DocumentKind, Relation, Sex
from koshiqon.reference.models import Country, Region

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def apply_errors(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: each field's messages next to that field (`rename` maps
    a service's argument to the form field that holds it), the rest on top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, messages in exc.message_dict.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, messages)


def _mark_optional(form: forms.Form, optional: set[str]) -> None:
    # The services decide what is required (and say so in the user's language); the form only shows it.
    for name, f in form.fields.items():
        f.required = False
        f.optional = name in optional


def country_choices():
    lang = get_language()
    countries = sorted(Country.objects.all(), key=lambda c: (c.alpha2 != "KZ", c.name_in(lang)))
    return [("", "—")] + [(c.alpha2, c.name_in(lang)) for c in countries]


def regions_for(user, *, current_only: bool = False):
    qs = Region.objects.prefetch_related("names")
    scope = region_ids_in_scope(user)
    if scope is not None:
        qs = qs.filter(id__in=scope)
    if current_only:
        qs = qs.filter(valid_to__isnull=True)
    return qs


class CountryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name_in(get_language())


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, IIN or document number"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("any"))] + list(Sex.choices))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("all regions"))] + [(r.code, r.name) for r in regions_for(user)]
        self.fields["citizenship"].choices = [("", _("any"))] + country_choices()[1:]
        for f in self.fields.values():
            f.optional = False  # filters: no "(optional)" marks

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class PersonForm(forms.Form):
    last_name = forms.CharField(label=_("Surname"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    first_name = forms.CharField(label=_("Given name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100)
    last_name_latin = forms.CharField(
        label=_("Surname in Latin letters"), max_length=100, help_text=_("As written in the passport."),
    )
    first_name_latin = forms.CharField(
        label=_("Given name in Latin letters"), max_length=100, help_text=_("As written in the passport."),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    iin = forms.CharField(
        label=_("IIN"), max_length=15,
        help_text=_("Individual identification number: 12 digits. It must agree with the date of birth and sex."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    citizenship = CountryField(label=_("Citizenship"), queryset=Country.objects.all(), to_field_name="alpha2")
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), to_field_name="code")
    confirmed_new = forms.BooleanField(
        label=_("I have compared the records: this is a different person. Register anyway."), required=False,
    )

    OPTIONAL = {"patronymic", "last_name_latin", "first_name_latin", "iin", "citizenship", "confirmed_new"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _mark_optional(self, self.OPTIONAL)
        self.fields["region"].queryset = regions_for(user, current_only=True)
        self.fields["region"].label_from_instance = lambda r: r.name
        self.fields["citizenship"].choices = country_choices()
        for source in ("last_name", "first_name"):
            # htmx: once the Cyrillic name is typed, suggest its passport spelling in the empty Latin field.
            self.fields[source].widget.attrs.update({
                "hx-get": reverse("people:latin_hint"), "hx-trigger": "change",
                "hx-target": f"#id_{source}_latin", "hx-swap": "outerHTML",
                "hx-include": f"#id_{source}_latin", "hx-vals": json.dumps({"field": f"{source}_latin"}),
            })

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirmed_new", None)
        data.pop("reason", None)
        data["iin"] = data.get("iin") or None
        return data


class PersonEditForm(PersonForm):
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=500,
        help_text=_("For example: a typing error, a new passport, a court decision. It is kept in the audit trail."),
    )

    OPTIONAL = PersonForm.OPTIONAL | {"reason"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["confirmed_new"]


def person_initial(person) -> dict:
    return {
        "last_name": person.last_name, "first_name": person.first_name, "patronymic": person.patronymic,
        "last_name_latin": person.last_name_latin, "first_name_latin": person.first_name_latin,
        "birth_date": person.birth_date, "sex": person.sex, "iin": person.iin or "",
        "citizenship": person.citizenship.alpha2 if person.citizenship else "",
        "region": person.region.code,
    }


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=DocumentKind.choices)
    mrz = forms.CharField(
        label=_("Machine-readable zone (MRZ)"),
        help_text=_("Paste or scan the two or three lines at the bottom of the passport page. The number, country "
                    "and expiry date are read from them and their check digits are verified."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "mrz", "spellcheck": "false", "autocomplete": "off"}),
    )
    number = forms.CharField(label=_("Document number"), max_length=30)
    issuing_country = CountryField(label=_("Issuing country"), queryset=Country.objects.all(), to_field_name="alpha2")
    issued_on = forms.DateField(
        label=_("Date of issue"), input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    expires_on = forms.DateField(
        label=_("Date of expiry"), input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _mark_optional(self, {"mrz", "number", "issuing_country", "issued_on", "expires_on"})
        self.fields["number"].help_text = _("Filled from the MRZ when it is pasted.")
        self.fields["issuing_country"].choices = country_choices()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        _mark_optional(self, set())
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text


class FamilyMemberForm(forms.Form):
    member = forms.CharField(
        label=_("Person to add"), max_length=20,
        help_text=_("The person's IIN or record number (shown on their page)."),
    )
    relation = forms.ChoiceField(
        label=_("Relation to the head of the family"),
        choices=[("", "—")] + [(v, lbl) for v, lbl in Relation.choices if v != Relation.HEAD],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _mark_optional(self, set())
