"""Forms of the employer pages: they parse the input; the services check it (the BIN's check digit, the
officer's regions, the staff counts) and their field errors are shown next to the fields."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koshiqon.core.permissions import region_ids_in_scope
from koshiqon.labour.domain.sectors import SECTORS
from koshiqon.labour.services.employers import STAFF_CATEGORIES
from koshiqon.reference.models import Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def region_choices(user, blank):
    qs = Region.objects.prefetch_related("names").filter(valid_to__isnull=True)
    scope = region_ids_in_scope(user)
    if scope is not None:
        qs = qs.filter(id__in=scope)
    return [("", blank)] + [(r.code, r.name) for r in qs]


def sector_choices(blank):
    lang = get_language()
    return [("", blank)] + [(s.code, f"{s.code}: {s.name(lang)}") for s in SECTORS]


class EmployerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or BIN"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    region = forms.ChoiceField(label=_("Region"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, _("all regions"))
        self.fields["sector"].choices = sector_choices(_("all sectors"))
        for f in self.fields.values():
            f.optional = False

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class EmployerForm(forms.Form):
    bin = forms.CharField(label=_("BIN"), max_length=20, help_text=_("12 digits; the check digit is verified."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_("Name of the employer"), max_length=300)
    region = forms.ChoiceField(label=_("Region"))
    sector = forms.ChoiceField(label=_("Sector (OKED section)"))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(user, "—")
        self.fields["sector"].choices = sector_choices("—")
        for name, f in self.fields.items():
            # The service says what is missing, in the user's language.
            f.required = False
            f.optional = name == "address"


class StaffForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[(c, c) for c in STAFF_CATEGORIES])
    citizens = forms.IntegerField(label=_("Citizens of Kazakhstan"), min_value=0, max_value=10_000_000)
    foreigners = forms.IntegerField(label=_("Foreigners"), min_value=0, max_value=10_000_000)
    ict_transferees = forms.IntegerField(label=_("Of whom intra-corporate transferees"), min_value=0,
                                         max_value=10_000_000, initial=0)
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="staff", **kwargs)
        self.fields["as_of"].optional = True


class AccountForm(forms.Form):
    username = forms.CharField(label=_("User name of the employer account"), max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="account", **kwargs)
