"""Kandas quota plans, applications with their members' qualifications, selection runs and appeals."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koshiqon.core.models import TimeStamped
from koshiqon.kandas.domain.status import AppStatus

STATUS_LABELS = {
    AppStatus.SUBMITTED: _("submitted"),
    AppStatus.RETURNED: _("returned for documents"),
    AppStatus.CHECKED: _("file complete"),
    AppStatus.RECOMMENDED: _("recommended by the commission"),
    AppStatus.REJECTED: _("not recommended"),
    AppStatus.INCLUDED: _("included in the quota"),
    AppStatus.WAITLISTED: _("waiting list"),
    AppStatus.INELIGIBLE: _("below the pass mark"),
    AppStatus.STATUS_GRANTED: _("kandas status granted"),
    AppStatus.WITHDRAWN: _("withdrawn"),
}


class QuotaCategory(models.TextChoices):
    KANDAS = "kandas", _("kandas (repatriates)")
    SETTLERS = "settlers", _("internal settlers")


class QuotaUnit(models.TextChoices):
    FAMILIES = "families", _("families")
    PERSONS = "persons", _("persons")


class QuotaPlan(TimeStamped):
    """The immigration quota of one year: a national total and/or a split by region, with its legal basis."""

    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=10, choices=QuotaCategory.choices, default="kandas")
    unit = models.CharField(_("unit"), max_length=10, choices=QuotaUnit.choices)
    national_total = models.PositiveIntegerField(_("national total"), null=True, blank=True)
    legal_act = models.CharField(_("legal act"), max_length=300)
    legal_number = models.CharField(_("act number"), max_length=60, blank=True)
    legal_date = models.DateField(_("act date"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, default="M")

    class Meta:
        ordering = ["-year", "category"]
        constraints = [models.UniqueConstraint(fields=["year", "category"], name="quota_plan_year_category")]

    def __str__(self):
        return f"{self.year} {self.category}"


class RegionalQuota(models.Model):
    plan = models.ForeignKey(QuotaPlan, on_delete=models.CASCADE, related_name="regional")
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+")
    amount = models.PositiveIntegerField(_("quota"))

    class Meta:
        ordering = ["plan", "region__code"]
        constraints = [models.UniqueConstraint(fields=["plan", "region"], name="regional_quota_unique")]

    def __str__(self):
        return f"{self.plan} {self.region.code}: {self.amount}"


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("in person at the local executive body")
    EGOV = "egov", _("e-government portal")
    CONSULATE = "consulate", _("embassy or consulate abroad")


class Application(TimeStamped):
    """A family's application for kandas status and inclusion in the immigration quota of a year."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("quota year"))
    family = models.ForeignKey("people.Family", on_delete=models.PROTECT, related_name="kandas_applications")
    head = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("preferred region")
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    # The family's language for letters: the decision letter is written in it.
    language = models.CharField(_("language of correspondence"), max_length=2, choices=settings.LANGUAGES, default="kk")
    applied_at = models.DateTimeField(_("applied at"))
    status = models.CharField(
        _("status"), max_length=16, choices=[(s.value, STATUS_LABELS[s]) for s in AppStatus], default="submitted"
    )
    checklist = models.JSONField(_("documents received"), default=dict, blank=True)
    priority = models.CharField(_("priority category"), max_length=30, blank=True)
    check_due = models.DateField(_("completeness check due"), null=True, blank=True)
    commission_due = models.DateField(_("commission due"), null=True, blank=True)
    # The latest score and how it was reached (per-criterion points, explanation in kk/ru/en).
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    grid_version = models.ForeignKey(
        "core.PolicyVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rules_version = models.ForeignKey(
        "core.PolicyVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    status_valid_until = models.DateField(_("status valid until"), null=True, blank=True)
    support = models.JSONField(_("support"), default=dict, blank=True)
    verification_code = models.CharField(max_length=32, unique=True, null=True, blank=True)  # noqa: DJ001
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-applied_at", "id"]
        indexes = [
            models.Index(fields=["year", "status"], name="kandas_app_year_status"),
            models.Index(fields=["region", "status"], name="kandas_app_region_status"),
        ]

    def __str__(self):
        return self.number


class LanguageLevel(models.TextChoices):
    NONE = "none", _("does not speak")
    BASIC = "basic", _("basic")
    FLUENT = "fluent", _("fluent")


class ApplicantMember(models.Model):
    """A member of the applying family, with what the criteria look at."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("relation"), max_length=12)
    education = models.ForeignKey(
        "reference.EducationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("education"),
    )
    occupation = models.ForeignKey(
        "reference.Occupation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("occupation"),
    )
    experience_years = models.DecimalField(_("years of experience"), max_digits=4, decimal_places=1, default=0)
    kazakh = models.CharField(_("Kazakh language"), max_length=8, choices=LanguageLevel.choices, default="none")
    russian = models.CharField(_("Russian language"), max_length=8, choices=LanguageLevel.choices, default="none")
    other_languages = models.CharField(_("other languages"), max_length=200, blank=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "person"], name="kandas_member_unique")]

    def __str__(self):
        return f"{self.application} {self.person}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    PROPOSED = "proposed", _("proposed, awaiting approval")
    APPROVING = "approving", _("being approved")
    APPROVED = "approved", _("approved")
    DISCARDED = "discarded", _("discarded")
    FAILED = "failed", _("failed")


class SelectionRun(TimeStamped):
    """One ranking of a year's eligible applications against the regional quotas. Its result is reviewed and
    approved by a national officer before any decision goes out."""

    year = models.PositiveSmallIntegerField(_("year"))
    plan = models.ForeignKey(QuotaPlan, on_delete=models.PROTECT, related_name="runs")
    grid_version = models.ForeignKey("core.PolicyVersion", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default="running")
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"run {self.pk} ({self.year})"


class Decision(models.TextChoices):
    INCLUDED = "included", _("included")
    WAITLISTED = "waitlisted", _("waitlisted")
    INELIGIBLE = "ineligible", _("ineligible")


class SelectionResult(models.Model):
    run = models.ForeignKey(SelectionRun, on_delete=models.CASCADE, related_name="results")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="results")
    score = models.DecimalField(max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    # Persons in the family when the run ranked it: a persons quota admitted it with this size.
    size = models.PositiveSmallIntegerField(default=1)
    breakdown = models.JSONField(default=dict)

    class Meta:
        ordering = ["run", "rank"]
        constraints = [models.UniqueConstraint(fields=["run", "application"], name="selection_result_unique")]

    def __str__(self):
        return f"{self.run} #{self.rank} {self.decision}"


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("pending")
    UPHELD = "upheld", _("upheld")
    DISMISSED = "dismissed", _("dismissed")


class Appeal(TimeStamped):
    """An appeal against a decision on an application, decided within its own deadline."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    filed_on = models.DateField(_("filed on"))
    due_on = models.DateField(_("decision due"))
    grounds = models.TextField(_("grounds"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=AppealOutcome.choices, default="pending")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_text = models.TextField(_("decision"), blank=True)

    class Meta:
        ordering = ["-filed_on", "id"]

    def __str__(self):
        return f"appeal {self.pk} on {self.application}"
