"""Adaptation and integration centres, their services and staff; families' individual plans with referrals,
stays in a centre and outcomes (domain.md §3). Tables and constraints only: the rules are in domain/ and the
services."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koshiqon.adaptation.domain.catalogue import Group
from koshiqon.adaptation.domain.outcomes import Answer
from koshiqon.core.models import TimeStamped
from koshiqon.reference.models import Trilingual

GROUP_LABELS = {
    Group.INFORMATION: _("information and documents"),
    Group.LEGAL: _("legal aid"),
    Group.LEARNING: _("courses"),
    Group.EMPLOYMENT: _("employment and training"),
    Group.SOCIAL: _("social, health and housing"),
    Group.CULTURE: _("culture"),
}
ANSWER_LABELS = {Answer.YES: _("yes"), Answer.NO: _("no"), Answer.UNKNOWN: _("unknown")}


class Service(Trilingual):
    """A kind of service of the catalogue (data/services.csv), named in three languages."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    group = models.CharField(_("group"), max_length=12, choices=[(g.value, GROUP_LABELS[g]) for g in Group])
    due_days = models.PositiveSmallIntegerField(_("due in days after arrival"))
    is_course = models.BooleanField(_("course"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("in the catalogue"), default=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Centre(TimeStamped):
    """A regional centre for the adaptation and integration of kandas, open from `opened_on` to `closed_on`."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    beds = models.PositiveIntegerField(_("beds"))
    opened_on = models.DateField(_("open from"))
    closed_on = models.DateField(_("closed from"), null=True, blank=True)
    # The maximum stay was not found in any act (domain.md §3): a centre may set one; empty means none.
    max_stay_days = models.PositiveSmallIntegerField(_("longest stay, days"), null=True, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="adaptation_centres", verbose_name=_("staff")
    )
    services = models.ManyToManyField(Service, through="CentreService", related_name="centres")

    class Meta:
        ordering = ["region__code", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gt=F("opened_on")), name="centre_open_period"
            ),
        ]

    def __str__(self):
        return self.name


class CentreService(models.Model):
    """A service a centre gives; a course has a number of places in each intake."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="offers")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="offers")
    places = models.PositiveIntegerField(_("places in each course"), null=True, blank=True)

    class Meta:
        ordering = ["centre", "service__order"]
        constraints = [models.UniqueConstraint(fields=["centre", "service"], name="centre_service_unique")]

    def __str__(self):
        return f"{self.centre} {self.service.code}"


class Transport(models.TextChoices):
    ORGANISED = "organised", _("organised by the local executive body")
    RAIL = "rail", _("rail")
    ROAD = "road", _("bus or car")
    AIR = "air", _("air")
    OWN = "own", _("own means")


class WorkTrack(models.TextChoices):
    JOB = "job", _("a job is arranged")
    TRAINING = "training", _("vocational training")
    SEARCH = "search", _("looking for work")
    NONE = "none", _("nobody of working age")


class Housing(models.TextChoices):
    CENTRE = "centre", _("temporary housing at the centre")
    RENTED = "rented", _("rented, with the rent subsidy")
    RELATIVES = "relatives", _("with relatives")
    EMPLOYER = "employer", _("provided by the employer")
    OWN = "own", _("own home")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class Plan(TimeStamped):
    """A family's individual adaptation and integration plan at a centre. A family that came through the
    kandas quota points at its application."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    family = models.ForeignKey("people.Family", on_delete=models.PROTECT, related_name="adaptation_plans")
    application = models.ForeignKey(
        "kandas.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="adaptation_plans",
        verbose_name=_("kandas application"),
    )
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="plans", verbose_name=_("centre"))
    arrival_date = models.DateField(_("arrival date"))
    transport = models.CharField(_("transport"), max_length=10, choices=Transport.choices)
    family_size = models.PositiveSmallIntegerField(_("family size"))
    financial_aid_tenge = models.PositiveBigIntegerField(_("financial aid, tenge"), default=0)
    financial_aid_note = models.CharField(_("financial aid: what it is"), max_length=300, blank=True)
    work = models.CharField(_("job or training"), max_length=10, choices=WorkTrack.choices)
    work_note = models.CharField(_("job or training: details"), max_length=300, blank=True)
    housing = models.CharField(_("housing"), max_length=10, choices=Housing.choices)
    housing_note = models.CharField(_("housing: details"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.TextField(_("why it was closed"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-arrival_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["family"], condition=Q(status="active"), name="plan_one_active_per_family"),
        ]
        indexes = [models.Index(fields=["centre", "status", "arrival_date"], name="plan_centre_status_arrival")]

    def __str__(self):
        return self.number


class Referral(models.Model):
    """A referral of the family (or one member) to a service, due by a date; delivered once, with who and
    when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("service"))
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("family member"),
    )
    referred_on = models.DateField(_("referred on"))
    due_on = models.DateField(_("due on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery_note = models.CharField(_("what was done"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["plan", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("referred_on")), name="referral_due_after_referral"),
        ]
        indexes = [models.Index(fields=["delivered_on", "due_on"], name="referral_open_due")]

    def __str__(self):
        return f"{self.plan} {self.service.code}"


class Stay(models.Model):
    """A person's stay in a centre's temporary housing: from check-in to check-out (exclusive)."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="stays")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="stays")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    check_in = models.DateField(_("checked in"))
    check_out = models.DateField(_("checked out"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-check_in", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(check_out__isnull=True) | Q(check_out__gte=F("check_in")), name="stay_out_after_in"
            ),
            models.UniqueConstraint(fields=["person"], condition=Q(check_out__isnull=True), name="stay_one_open"),
        ]
        indexes = [models.Index(fields=["centre", "check_out"], name="stay_centre_out")]

    def __str__(self):
        return f"{self.person_id} at {self.centre_id} from {self.check_in}"


class OutcomeSource(models.TextChoices):
    ENTRY = "entry", _("entered by staff")
    IMPORT = "import", _("imported from a file")
    API = "api", _("sent by a system")
    SYSTEM = "system", _("generated")


ANSWER_CHOICES = [(a.value, ANSWER_LABELS[a]) for a in Answer]


class Outcome(TimeStamped):
    """A working-age member's outcome at 3, 6 or 12 months after arrival; residence at 12 months only."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="outcomes")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    months = models.PositiveSmallIntegerField(_("months after arrival"), choices=[(3, "3"), (6, "6"), (12, "12")])
    employed = models.CharField(_("employed"), max_length=8, choices=ANSWER_CHOICES)
    sector = models.CharField(_("employer's sector"), max_length=1, blank=True)
    stayed_in_region = models.CharField(
        _("still lives in the region"), max_length=8, choices=ANSWER_CHOICES, blank=True
    )
    source = models.CharField(max_length=8, choices=OutcomeSource.choices, default=OutcomeSource.ENTRY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["plan", "person", "months"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "person", "months"], name="outcome_one_per_checkpoint"),
            models.CheckConstraint(condition=Q(months__in=(3, 6, 12)), name="outcome_checkpoint"),
        ]

    def __str__(self):
        return f"{self.plan} {self.person_id} {self.months}m"
