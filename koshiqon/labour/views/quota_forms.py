"""Forms of the quota pages. They only parse what the officer typed; the rules (categories of the year, the
split, when a move is refused) live in the services, whose field-level errors are put back on the fields."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from koshiqon.labour.domain.quota_split import quota_categories

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CONFIDENCE_CHOICES = [
    ("H", _("H: read in the official act")),
    ("M", _("M: from a secondary source")),
    ("L", _("L: unverified")),
]


def region_label(region, year: int) -> str:
    return region.name_on(date(year, 12, 31))


class RedistributionForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    from_region = forms.ChoiceField(label=_("From region"))
    to_region = forms.ChoiceField(label=_("To region"))
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000_000)
    legal_act = forms.CharField(label=_("Legal act"), max_length=300,
                                help_text=_("The act that moves the places, e.g. an order of the ministry."))
    act_date = forms.DateField(label=_("Act date"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, year: int, categories: list[str], regions, **kwargs):
        super().__init__(*args, prefix="move", **kwargs)
        self.fields["category"].choices = [(c, c) for c in categories]
        region_choices = [("", "—")] + [(r.code, region_label(r, year)) for r in regions]
        self.fields["from_region"].choices = region_choices
        self.fields["to_region"].choices = region_choices


def _field_key(code: str) -> str:
    return f"lf_{code}"


class QuotaForm(forms.Form):
    """A year's quota: the act, the overall share, each category's permits or share, and the labour force of
    each region of that year (prefilled with what is recorded)."""

    legal_act = forms.CharField(label=_("Legal act"), max_length=300)
    legal_number = forms.CharField(label=_("Act number"), max_length=60, required=False)
    legal_date = forms.DateField(label=_("Act date"), required=False, widget=DATE_WIDGET)
    share = forms.CharField(label=_("Share of the labour force"), max_length=20, required=False,
                            help_text=_("The quota's overall share as the act states it, with a per cent sign."))
    confidence = forms.ChoiceField(label=_("Confidence"), choices=CONFIDENCE_CHOICES, initial="H")

    def __init__(self, *args, year: int, regions, labour_force: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.categories = list(quota_categories(year))
        for i, category in enumerate(self.categories):
            self.fields[f"c_{i}"] = forms.CharField(
                label=_("Category %(category)s") % {"category": category}, max_length=20,
                help_text=_("Permits (726) or a share of the labour force (0.35 with a per cent sign)."))
        self.regions = list(regions)
        for region in self.regions:
            self.fields[_field_key(region.code)] = forms.IntegerField(
                label=region_label(region, year), min_value=0, max_value=100_000_000, required=False,
                initial=labour_force.get(region.code))
        # The service says what is missing or unreadable, for every field at once and in the user's language.
        for name in ["legal_act", *(f"c_{i}" for i in range(len(self.categories)))]:
            self.fields[name].required = False
            self.fields[name].optional = False

    def component_fields(self):
        return [self[f"c_{i}"] for i in range(len(self.categories))]

    def labour_force_fields(self):
        return [self[_field_key(r.code)] for r in self.regions]

    def clean_share(self):
        from decimal import Decimal, InvalidOperation

        value = self.cleaned_data["share"].strip().replace(" ", "").replace(",", ".")
        if not value:
            return None
        try:
            percent = Decimal(value.rstrip("%"))
        except InvalidOperation:
            raise ValidationError(_("Write the share with a per cent sign, for example 0.25 followed by the sign.")) from None
        if not percent.is_finite() or not 0 <= percent <= 100:
            raise ValidationError(_("A share of the labour force is between %(low)s and %(high)s.")
                                  % {"low": "0%", "high": "100%"})
        return (percent / 100).quantize(Decimal("0.000001"))

    def components(self) -> dict[str, str]:
        return {c: self.cleaned_data.get(f"c_{i}") or "" for i, c in enumerate(self.categories)}

    def labour_force(self) -> dict[str, int]:
        return {r.code: self.cleaned_data[_field_key(r.code)] for r in self.regions
                if self.cleaned_data.get(_field_key(r.code)) is not None}

    def error_names(self) -> dict[str, str]:
        """The services' error keys, as this form's fields."""
        names = {f"components.{c}": f"c_{i}" for i, c in enumerate(self.categories)}
        names |= {f"persons.{r.code}": _field_key(r.code) for r in self.regions}
        return names
