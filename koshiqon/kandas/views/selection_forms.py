"""Forms of the selection pages. They parse what the user typed; the rules live in the services."""

import csv
import io
import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koshiqon.core.domain.policy import clean_parameters
from koshiqon.core.policy import parameter_message, policy_versions
from koshiqon.kandas.domain.grid import Grid
from koshiqon.kandas.domain.policy import GRID_KIND
from koshiqon.kandas.domain.ranking import UNITS, Quota
from koshiqon.kandas.models import QuotaPlan
from koshiqon.reference.models import Region

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class RunStartForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Quota year"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = QuotaPlan.objects.filter(category="kandas", regional__isnull=False).values_list("year", flat=True)
        self.fields["year"].choices = [(y, y) for y in sorted(set(years), reverse=True)]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example: the commission's minutes that approved the list."))


class AppealForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds of the appeal"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    filed_on = forms.DateField(label=_("Filed on"), input_formats=DATE_INPUT_FORMATS,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"filed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AppealDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("upheld: the application returns to the selection")), ("no", _("dismissed"))],
    )
    text = forms.CharField(label=_("Decision and its reasons"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


def _grid_version_choices():
    return [("", _("the grid in force (no change)"))] + [
        (v.pk, f"{v.code} · {v.title}") for v in policy_versions(kind=GRID_KIND)
    ]


def _plan_choices():
    plans = QuotaPlan.objects.filter(category="kandas", regional__isnull=False).distinct().order_by("-year")
    return [("", _("the plan of the year (no change)"))] + [(p.pk, f"{p.year} · {p.get_unit_display()}") for p in plans]


class WhatIfForm(forms.Form):
    """A draft grid (a stored version or a pasted GRID.json) and/or a draft quota (a plan or pasted
    QUOTA.csv rows), applied to the applications of a past year."""

    year = forms.IntegerField(label=_("Applications of the year"), min_value=2000, max_value=2100)
    grid_version = forms.TypedChoiceField(label=_("Draft grid: a stored version"), required=False, coerce=int,
                                          empty_value=None)
    grid_json = forms.CharField(
        label=_("…or paste a grid (GRID.json)"), required=False, widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}),
    )
    plan = forms.TypedChoiceField(label=_("Draft quota: a stored plan"), required=False, coerce=int, empty_value=None)
    quota_csv = forms.CharField(
        label=_("…or paste quota rows (QUOTA.csv)"), required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "mono", "placeholder": "region,quota,unit\nKZ-55,900,persons"}),
        help_text=_("One region per line: its ISO code, the quota, and families or persons."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year - 1})
        super().__init__(*args, **kwargs)
        self.fields["grid_version"].choices = _grid_version_choices()
        self.fields["plan"].choices = _plan_choices()
        for name in ("grid_version", "grid_json", "plan", "quota_csv"):
            self.fields[name].optional = True

    def clean_grid_json(self) -> Grid | None:
        text = self.cleaned_data["grid_json"].strip()
        if not text:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(_("This is not valid JSON (line %(line)s): check brackets, commas and quotes.")
                                  % {"line": exc.lineno})
        cleaned, problems = clean_parameters(GRID_KIND, data)
        if problems:
            raise ValidationError([parameter_message(p) for p in problems])
        return Grid.model_validate(cleaned)

    def clean_quota_csv(self) -> dict[str, Quota] | None:
        text = self.cleaned_data["quota_csv"].strip()
        if not text:
            return None
        return parse_quota_rows(text)

    def clean(self):
        data = super().clean()
        if data.get("grid_version") and data.get("grid_json"):
            self.add_error("grid_json", _("Choose a stored grid or paste one, not both."))
        if data.get("plan") and data.get("quota_csv"):
            self.add_error("quota_csv", _("Choose a stored plan or paste quota rows, not both."))
        if not self.errors and not any(data.get(f) for f in ("grid_version", "grid_json", "plan", "quota_csv")):
            raise ValidationError(_("Choose or paste a draft grid, a draft quota, or both."))
        return data


def parse_quota_rows(text: str) -> dict[str, Quota]:
    """Pasted QUOTA.csv rows (region, quota, unit), each problem reported with its line."""
    lines = text.splitlines()
    delimiter = ";" if ";" in lines[0] and "," not in lines[0] else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    start = 1 if rows and rows[0] and rows[0][0].strip().lower() == "region" else 0
    known = set(Region.objects.values_list("code", flat=True))
    out: dict[str, Quota] = {}
    errors = []
    for line, row in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue
        cells = [c.strip() for c in row] + ["", "", ""]
        region, amount, unit = cells[0].upper(), cells[1], cells[2].lower()
        if region not in known:
            errors.append(_("Line %(line)s: unknown region code %(code)s.") % {"line": line, "code": region or "—"})
        elif region in out:
            errors.append(_("Line %(line)s: the region %(code)s appears twice.") % {"line": line, "code": region})
        elif not amount.isdigit():
            errors.append(_("Line %(line)s: the quota must be a whole number, 0 or more.") % {"line": line})
        elif unit not in UNITS:
            errors.append(_("Line %(line)s: the unit must be families or persons.") % {"line": line})
        else:
            out[region] = Quota(int(amount), unit)
    if not errors and not out:
        errors.append(_("No quota rows were found."))
    if not errors and len({q.unit for q in out.values()}) > 1:
        errors.append(_("All rows must count in the same unit."))
    if errors:
        raise ValidationError(errors)
    return out
