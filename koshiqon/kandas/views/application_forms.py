"""Forms of the application pages. They only parse what the officer typed; every rule lives in the services,
whose field-level errors are put back next to the fields (member errors next to the member's row)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koshiqon.core.permissions import region_ids_in_scope
from koshiqon.kandas.domain.policy import Rules
from koshiqon.kandas.domain.status import AppStatus
from koshiqon.kandas.models import STATUS_LABELS, Channel, LanguageLevel
from koshiqon.reference.models import Region
from koshiqon.reference.selectors import education_levels, occupations

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d"]


def _optional(form: forms.Form, names: set[str] | None = None) -> None:
    # The services decide what is required (and say so in the user's language); the form only shows it.
    for name, f in form.fields.items():
        f.required = False
        f.optional = names is None or name in names


def region_choices(user, *, only: list[str] | None = None):
    qs = Region.objects.prefetch_related("names").filter(valid_to__isnull=True)
    scope = region_ids_in_scope(user)
    if scope is not None:
        qs = qs.filter(id__in=scope)
    if only is not None:
        qs = qs.filter(code__in=only)
    return [(r.code, r.name) for r in qs]


def document_choices(rules: Rules, codes: list[str] | None = None):
    lang = get_language()
    return [(d.code, d.label.in_language(lang)) for d in rules.required_documents if codes is None or d.code in codes]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or name of the head"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("Status"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.IntegerField(label=_("Quota year"), required=False, min_value=1991, max_value=2100)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("any"))] + [(s.value, STATUS_LABELS[s]) for s in AppStatus]
        self.fields["region"].choices = [("", _("all regions"))] + region_choices(user)
        for f in self.fields.values():
            f.optional = False

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class FamilySearchForm(forms.Form):
    q = forms.CharField(label=_("Family name or a member's name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))


class SubmitForm(forms.Form):
    region = forms.ChoiceField(label=_("Preferred region"))
    channel = forms.ChoiceField(label=_("Received"), choices=Channel.choices)
    language = forms.ChoiceField(label=_("Language of correspondence"), choices=settings.LANGUAGES, initial="kk")
    applied_at = forms.DateTimeField(label=_("Received on"), input_formats=DATETIME_INPUT_FORMATS,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"))
    priority = forms.ChoiceField(label=_("Priority category"))
    checklist = forms.MultipleChoiceField(label=_("Documents received"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, rules: Rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—")] + region_choices(user, only=rules.resettlement_regions)
        lang = get_language()
        self.fields["priority"].choices = [("", _("none"))] + [
            (p.code, p.label.in_language(lang)) for p in rules.priority_categories]
        self.fields["checklist"].choices = document_choices(rules)
        _optional(self, {"priority", "checklist"})


LEVELS = [(value, label) for value, label in LanguageLevel.choices]


class MemberForm(forms.Form):
    """One member of the family: what the criteria look at. The person and relation come from the registry."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    moves = forms.BooleanField(label=_("Moves with the family"), required=False, initial=True)
    education = forms.ChoiceField(label=_("Education"), required=False)
    occupation = forms.ChoiceField(label=_("Occupation (ISCO-08)"), required=False)
    experience_years = forms.DecimalField(label=_("Years of experience"), required=False, min_value=0,
                                          max_value=60, decimal_places=1)
    kazakh = forms.ChoiceField(label=_("Kazakh"), choices=LEVELS, required=False)
    russian = forms.ChoiceField(label=_("Russian"), choices=LEVELS, required=False)

    def __init__(self, *args, education_choices, occupation_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["education"].choices = education_choices
        self.fields["occupation"].choices = occupation_choices
        # Every detail of a member may be unknown (a baby has no education): no "(optional)" on each of them.
        _optional(self, set())

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "person": data["person"], "education": data["education"] or None,
            "occupation": data["occupation"] or None, "experience_years": data["experience_years"] or 0,
            "kazakh": data["kazakh"] or "none", "russian": data["russian"] or "none",
        }


def member_choices() -> dict:
    lang = get_language()
    return {
        "education_choices": [("", "—")] + [(e.code, f"{e.code} · {e.name_in(lang)}") for e in education_levels()],
        "occupation_choices": [("", "—")] + [
            (o.code, f"{o.code} · {o.name_in(lang)}") for o in occupations() if o.level >= 2],
    }


class BaseMemberFormSet(forms.BaseFormSet):
    def apply_errors(self, errors: dict[str, list[str]], index_of: dict[int, int]) -> list[str]:
        """Put the service's `members.N.field` errors on the rows; return the errors of no single row."""
        rest = []
        for key, messages in errors.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) in index_of:
                form = self.forms[index_of[int(parts[1])]]
                form.add_error(parts[2] if parts[2] in form.fields else None, messages)
            elif key.startswith("members"):
                rest.extend(messages)
        return rest


MemberFormSet = forms.formset_factory(MemberForm, formset=BaseMemberFormSet, extra=0)


class CheckForm(forms.Form):
    complete = forms.TypedChoiceField(
        label=_("Is the file complete?"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes: send it to the commission")), ("no", _("No: return it to the family"))],
    )
    missing = forms.MultipleChoiceField(label=_("Missing documents"), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, rules: Rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = document_choices(rules)
        _optional(self, {"missing", "note"})

    def clean_complete(self):
        if self.data.get(self.add_prefix("complete")) not in ("yes", "no"):
            raise ValidationError(_("Say whether the file is complete."))
        return self.cleaned_data["complete"]


class ResubmitForm(forms.Form):
    received = forms.MultipleChoiceField(label=_("Documents handed in now"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, rules: Rules, missing: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received"].choices = document_choices(rules, missing)
        _optional(self, {"received"})


class CommissionForm(forms.Form):
    recommend = forms.TypedChoiceField(
        label=_("The commission's recommendation"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("Recommend the family for the quota")), ("no", _("Do not recommend"))],
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                              help_text=_("One reason a line. Required when the family is not recommended."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _optional(self, {"reasons"})

    def clean_recommend(self):
        if self.data.get(self.add_prefix("recommend")) not in ("yes", "no"):
            raise ValidationError(_("Choose the recommendation."))
        return self.cleaned_data["recommend"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is the application withdrawn?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _optional(self, set())
