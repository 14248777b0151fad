"""Foreign labour: the quota by year, region and category, employers and their staff, the labour exchange
(vacancies and registered local jobseekers), work-permit applications, permits, extensions and household
labour migrants' permits (domain.md §4). Tables and constraints only: the rules are in `domain/`, every write
in `services/`."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koshiqon.core.models import TimeStamped
from koshiqon.labour.domain.status import ApplicationStatus, ExtensionStatus, PermitKind, PermitStatus

APPLICATION_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _("submitted"),
    ApplicationStatus.GRANTED: _("granted"),
    ApplicationStatus.REFUSED: _("refused"),
    ApplicationStatus.WITHDRAWN: _("withdrawn"),
}
PERMIT_STATUS_LABELS = {
    PermitStatus.ISSUED: _("valid"),
    PermitStatus.SUSPENDED: _("suspended"),
    PermitStatus.REVOKED: _("revoked"),
    PermitStatus.EXPIRED: _("expired"),
}
EXTENSION_STATUS_LABELS = {
    ExtensionStatus.REQUESTED: _("requested"),
    ExtensionStatus.GRANTED: _("granted"),
    ExtensionStatus.REFUSED: _("refused"),
}
PERMIT_KIND_LABELS = {
    PermitKind.STANDARD: _("hire within the quota"),
    PermitKind.ICT: _("intra-corporate transfer"),
    PermitKind.SEASONAL: _("seasonal work"),
}


class Employer(TimeStamped):
    """A legal entity (or branch) that employs foreign workers, identified by its BIN (check digit validated).
    Employer accounts (Role.EMPLOYER) act for the employers they are linked to, and see only theirs."""

    bin = models.CharField(_("BIN"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=300)
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    # OKED (the national classifier of economic activities, after NACE Rev. 2) section letter, A to U.
    sector = models.CharField(_("sector (OKED section)"), max_length=1)
    address = models.CharField(_("address"), max_length=300, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="employers", verbose_name=_("accounts acting for it")
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["region", "name"], name="labour_employer_region")]

    def __str__(self):
        return f"{self.name} ({self.bin})"


class EmployerStaff(models.Model):
    """The employer's staff of one permit category on a date: citizens of Kazakhstan and foreigners (of whom
    intra-corporate transferees). The staff-share rules of the decision read these counts."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="staff")
    category = models.CharField(_("category"), max_length=12)
    citizens = models.PositiveIntegerField(_("citizens of Kazakhstan"))
    foreigners = models.PositiveIntegerField(_("foreigners"))
    ict_transferees = models.PositiveIntegerField(_("of whom intra-corporate transferees"), default=0)
    as_of = models.DateField(_("as of"))

    class Meta:
        ordering = ["employer", "category"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "category"], name="labour_staff_unique"),
            models.CheckConstraint(condition=Q(ict_transferees__lte=F("foreigners")), name="labour_staff_ict_le_foreigners"),
        ]

    def __str__(self):
        return f"{self.employer_id} {self.category}: {self.citizens}/{self.foreigners}"


class LabourForce(models.Model):
    """The labour force (economically active population) of a region in a year: the input the quota is a
    share of."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    persons = models.PositiveIntegerField(_("labour force"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "region__code"]
        constraints = [models.UniqueConstraint(fields=["year", "region"], name="labour_force_unique")]

    def __str__(self):
        return f"{self.year} {self.region_id}: {self.persons}"


class LabourQuota(TimeStamped):
    """The foreign-labour quota of a year with its legal act: its components (categories) are split by region
    in `QuotaAllocation` rows."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    share = models.DecimalField(_("share of the labour force"), max_digits=7, decimal_places=6, null=True, blank=True)
    labour_force = models.PositiveIntegerField(_("labour force"), null=True, blank=True)
    legal_act = models.CharField(_("legal act"), max_length=300)
    legal_number = models.CharField(_("act number"), max_length=60, blank=True)
    legal_date = models.DateField(_("act date"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, default="M")

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class QuotaAllocation(models.Model):
    """Places of one category in one region for the year, and how many are used. `used` only grows when a
    permit is issued, under a row lock (select_for_update), so it never passes `places`."""

    quota = models.ForeignKey(LabourQuota, on_delete=models.CASCADE, related_name="allocations")
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    category = models.CharField(_("category"), max_length=12)
    places = models.PositiveIntegerField(_("places"))
    used = models.PositiveIntegerField(_("used"), default=0)

    class Meta:
        ordering = ["quota", "region__code", "category"]
        constraints = [
            models.UniqueConstraint(fields=["quota", "region", "category"], name="labour_allocation_unique"),
            models.CheckConstraint(condition=Q(used__lte=F("places")), name="labour_allocation_used_le_places"),
        ]

    def __str__(self):
        return f"{self.quota_id} {self.region_id} {self.category}: {self.used}/{self.places}"

    @property
    def left(self) -> int:
        return self.places - self.used


class QuotaRedistribution(TimeStamped):
    """Places of a category moved between regions during the year, under a legal act (audited)."""

    quota = models.ForeignKey(LabourQuota, on_delete=models.PROTECT, related_name="redistributions")
    category = models.CharField(_("category"), max_length=12)
    from_region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("from region"))
    to_region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("to region"))
    places = models.PositiveIntegerField(_("places"))
    legal_act = models.CharField(_("legal act"), max_length=300)
    act_date = models.DateField(_("act date"))
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_region=F("to_region")), name="labour_redistribution_two_regions"),
            models.CheckConstraint(condition=Q(places__gt=0), name="labour_redistribution_positive"),
        ]


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("open")
    FILLED = "filled", _("filled")
    CLOSED = "closed", _("closed")


class Vacancy(TimeStamped):
    """A vacancy on the national labour exchange: its exchange id is what a permit application quotes."""

    exchange_id = models.CharField(_("exchange id"), max_length=40, unique=True)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("employer")
    )
    employer_bin = models.CharField(_("employer BIN"), max_length=12, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    occupation = models.ForeignKey("reference.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation (ISCO-08)"))
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    wage = models.PositiveIntegerField(_("monthly wage, tenge"))
    posted_on = models.DateField(_("posted on"))
    status = models.CharField(_("status"), max_length=8, choices=VacancyStatus.choices, default=VacancyStatus.OPEN)

    class Meta:
        ordering = ["-posted_on", "id"]
        indexes = [models.Index(fields=["region", "occupation", "status"], name="labour_vacancy_match")]

    def __str__(self):
        return self.exchange_id


class Jobseeker(TimeStamped):
    """A local jobseeker registered with the employment body: the register the labour-market test counts."""

    registration = models.CharField(_("registration number"), max_length=40, unique=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    occupation = models.ForeignKey("reference.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation (ISCO-08)"))
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    education = models.ForeignKey(
        "reference.EducationLevel", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("education (ISCED 2011)"),
    )
    registered_on = models.DateField(_("registered since"))
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True)

    class Meta:
        ordering = ["-registered_on", "id"]
        indexes = [models.Index(fields=["region", "occupation", "registered_on"], name="labour_jobseeker_match")]


class PermitApplication(TimeStamped):
    """An employer's application for a permit to employ a foreigner, decided by the rules of the regime in
    force on the application date; the decision's steps are stored in kk/ru/en with the regime used."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="applications", verbose_name=_("employer"))
    region = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region of work")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=[(k.value, PERMIT_KIND_LABELS[k]) for k in PermitKind], default=PermitKind.STANDARD
    )
    category = models.CharField(_("category"), max_length=12)
    occupation = models.ForeignKey("reference.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation (ISCO-08)"))
    worker = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("foreign worker"))
    months = models.PositiveSmallIntegerField(_("months requested"))
    seasonal_days = models.PositiveSmallIntegerField(_("days of seasonal work"), null=True, blank=True)
    applied_on = models.DateField(_("application date"))
    # The labour-market test's facts, by regime: the quoted vacancy (from 1 Sep 2025), the notification of the
    # employment body (2012-2025), the advertisement and justified rejections (2008-2012).
    vacancy = models.ForeignKey(
        Vacancy, null=True, blank=True, on_delete=models.PROTECT, related_name="applications", verbose_name=_("vacancy quoted")
    )
    employment_body_notified = models.BooleanField(_("employment body notified"), default=False)
    advertised = models.BooleanField(_("job advertised"), default=False)
    rejections_justified = models.BooleanField(_("rejections of local applicants justified"), default=False)
    replacement_undertaken = models.BooleanField(_("replacement by a trained local undertaken"), default=False)
    registers_clear = models.BooleanField(_("registers of offences and contracts clear"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=[(s.value, APPLICATION_STATUS_LABELS[s]) for s in ApplicationStatus],
        default=ApplicationStatus.SUBMITTED,
    )
    decision_due = models.DateField(_("decision due"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    regime = models.CharField(_("labour-market test regime"), max_length=10, blank=True)
    steps = models.JSONField(_("decision steps"), default=list, blank=True)  # [{code, passed, kk, ru, en}]
    reasons = models.JSONField(_("reasons for refusal"), default=list, blank=True)  # failed step codes
    local_jobseekers = models.PositiveIntegerField(_("local jobseekers who could have been offered the job"), null=True, blank=True)
    quota_left = models.PositiveIntegerField(_("quota places left at the decision"), null=True, blank=True)
    fee_mci = models.DecimalField(_("fee, MCI"), max_digits=8, decimal_places=2, null=True, blank=True)
    fee_tenge = models.PositiveIntegerField(_("fee, tenge"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decision_due", "id"]
        indexes = [
            models.Index(fields=["region", "status", "decision_due"], name="labour_app_queue"),
            models.Index(fields=["employer", "status"], name="labour_app_employer"),
        ]

    def __str__(self):
        return self.number


class Permit(TimeStamped):
    """A work permit: valid in one region, from `valid_from` to `valid_until`, for one worker of one employer.
    `allocation` is the quota place it consumed (none for an intra-corporate transfer)."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    application = models.OneToOneField(PermitApplication, on_delete=models.PROTECT, related_name="permit")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="permits", verbose_name=_("employer"))
    worker = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("foreign worker"))
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=10, choices=[(k.value, PERMIT_KIND_LABELS[k]) for k in PermitKind])
    category = models.CharField(_("category"), max_length=12)
    allocation = models.ForeignKey(
        QuotaAllocation, null=True, blank=True, on_delete=models.PROTECT, related_name="permits"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=[(s.value, PERMIT_STATUS_LABELS[s]) for s in PermitStatus],
        default=PermitStatus.ISSUED,
    )
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "id"]
        indexes = [
            models.Index(fields=["region", "status"], name="labour_permit_region"),
            models.Index(fields=["status", "valid_until"], name="labour_permit_expiry"),
        ]
        constraints = [models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="labour_permit_term")]

    def __str__(self):
        return self.number


class PermitExtension(TimeStamped):
    """A request to extend a permit: asked 60 to 30 days before expiry, decided within 3 working days."""

    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="extension_requests")
    requested_on = models.DateField(_("requested on"))
    months = models.PositiveSmallIntegerField(_("months"))
    decision_due = models.DateField(_("decision due"))
    status = models.CharField(
        _("status"), max_length=10, choices=[(s.value, EXTENSION_STATUS_LABELS[s]) for s in ExtensionStatus],
        default=ExtensionStatus.REQUESTED,
    )
    reasons = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-requested_on", "-id"]


class HouseholdPermit(TimeStamped):
    """A household labour migrant's permit (from 2014): 1 to 12 months of work for a private person, at most 5
    workers per private employer at a time, advance income tax per month in MCI paid up front."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    employer_person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("private employer")
    )
    worker = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("household worker"))
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    months = models.PositiveSmallIntegerField(_("months"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    advance_tax_mci = models.PositiveIntegerField(_("advance income tax, MCI"))
    advance_tax_tenge = models.PositiveIntegerField(_("advance income tax, tenge"))
    status = models.CharField(
        _("status"), max_length=10, choices=[(s.value, PERMIT_STATUS_LABELS[s]) for s in PermitStatus],
        default=PermitStatus.ISSUED,
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-valid_from", "id"]
        indexes = [models.Index(fields=["employer_person", "status", "valid_until"], name="labour_household_employer")]

    def __str__(self):
        return self.number
