"""Forms of the placement pages. They parse what the user typed; the rules live in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koshiqon.kandas.models import QuotaPlan
from koshiqon.placement.services.training import KINDS

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
KIND_LABELS = {
    "auto": _("the best of the candidates on a validation split (recommended)"),
    "logistic": _("logistic regression with region interactions"),
    "boosting": _("gradient-boosted trees"),
}


class TrainForm(forms.Form):
    kind = forms.ChoiceField(label=_("Model"), choices=[(k, KIND_LABELS[k]) for k in KINDS], initial="auto")
    seed = forms.IntegerField(label=_("Seed of the held-out split"), min_value=0, max_value=1_000_000, initial=0,
                              help_text=_("The same seed holds out the same families, so that two models can be "
                                          "compared on them."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    reason = forms.CharField(label=_("Reason or reference"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example: the minutes of the commission that reviewed the proposal."))


class HistoryImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"),
                           help_text=_("One row per member of a family; the columns are described in the "
                                       "documentation of the format."))


class BatchCreateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Quota year"), coerce=int)
    arrival_date = forms.DateField(label=_("Arrival date"), input_formats=DATE_INPUT_FORMATS,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    name = forms.CharField(label=_("Name of the batch"), max_length=200, required=False,
                           help_text=_("Left empty, the batch is named after its year and arrival date."))
    preference_weight = forms.FloatField(
        label=_("Weight of the preferred region"), min_value=0, max_value=10, initial=0.1,
        help_text=_("Added to a family's score in the region it asked for, in members employed: 0.1 keeps the "
                    "preferred region when it costs less than a tenth of a job."))
    respect_centre_beds = forms.BooleanField(
        label=_("Place no more persons in a region than its centres have free beds on the arrival date"),
        required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"arrival_date": timezone.localdate(), "preference_weight": 0.1})
        super().__init__(*args, **kwargs)
        years = QuotaPlan.objects.filter(category="kandas", regional__isnull=False).values_list("year", flat=True)
        self.fields["year"].choices = [(y, y) for y in sorted(set(years), reverse=True)]


class NeedsForm(forms.Form):
    needs = forms.MultipleChoiceField(label=_("Services the family needs"), required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("The family is placed only where a centre gives each of them."))

    def __init__(self, *args, services: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = list(services.items())


class OverrideForm(forms.Form):
    family = forms.TypedChoiceField(label=_("Family"), coerce=int)
    region = forms.ChoiceField(label=_("Region"))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Why the family goes elsewhere than proposed: it is kept in the audit "
                                         "log."))

    def __init__(self, *args, families: list[tuple[int, str]], regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family"].choices = families
        self.fields["region"].choices = [("", "—")] + regions
        if len(families) == 1:
            self.fields["family"].widget = forms.HiddenInput()
