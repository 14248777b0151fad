"""Placement of repatriate families into regions: the history the outcome model learns from, trained models
with their model cards, and batches of families with the proposed (and overridden) assignment. Tables and
constraints only: the rules are in `domain/`, every write in `services/`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koshiqon.core.models import TimeStamped


class HistorySource(models.TextChoices):
    SYSTEM = "system", _("this system (plans and recorded outcomes)")
    IMPORT = "import", _("imported from an archive file")
    DEMO = "demo", _("demo data from a known ground-truth model")


class PastArrival(TimeStamped):
    """One family that settled in a region in a past year, with what its members were on arrival and what
    became of them: the outcome model's training data. Anonymised: no names or identity numbers, only the
    facts the model reads (members: age, sex, ISCED, ISCO-08, experience, Kazakh and Russian levels) and each
    working-age member's outcomes at 3, 6 and 12 months."""

    key = models.CharField(_("family key"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("year of arrival"))
    origin = models.CharField(_("country of origin"), max_length=2)
    size = models.PositiveSmallIntegerField(_("family size"))
    region = models.ForeignKey("reference.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region settled"))
    members = models.JSONField(default=list)  # [MemberFacts as dict]
    outcomes = models.JSONField(default=list)  # [{member_index, employed_3m, employed_6m, employed_12m, stayed_12m}]
    source = models.CharField(_("source"), max_length=8, choices=HistorySource.choices)
    # For demo data: the version of the ground-truth model that generated the outcomes, so that a backtest can
    # also score assignments under the truth.
    truth = models.CharField(max_length=40, blank=True)
    # The kandas application the arrival came from, when it came through this system.
    application = models.ForeignKey(
        "kandas.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year", "key"]
        indexes = [
            models.Index(fields=["year", "region"], name="placement_past_year_region"),
            models.Index(fields=["source", "year"], name="placement_past_source_year"),
        ]

    def __str__(self):
        return self.key


class OutcomeModel(TimeStamped):
    """A trained outcome model: the serialised estimator, and its model card (data, features, AUC, calibration,
    per-region error, backtest). One is active at a time: proposals use the active one."""

    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    blob = models.BinaryField()
    card = models.JSONField(default=dict)
    backtest = models.JSONField(default=dict, blank=True)
    families = models.PositiveIntegerField(_("families in the data"))
    auc = models.FloatField(_("AUC on held-out data"), null=True, blank=True)
    active = models.BooleanField(_("in use"), default=False)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="placement_one_active_model")]

    def __str__(self):
        return f"model {self.pk}"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SOLVING = "solving", _("being solved")
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    FAILED = "failed", _("failed")
    DISCARDED = "discarded", _("discarded")


class PlacementBatch(TimeStamped):
    """A batch of families to place in regions at once, under the regional quota of its year (in families or
    persons, per the quota plan), the adaptation centres' free places, each family's hard needs and, weighted,
    its preferred region."""

    year = models.PositiveSmallIntegerField(_("quota year"))
    name = models.CharField(_("name"), max_length=200)
    arrival_date = models.DateField(_("arrival date"))
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    unit = models.CharField(_("quota unit"), max_length=10)  # families or persons, from the quota plan
    preference_weight = models.FloatField(_("weight of the preferred region"), default=0.1)
    respect_centre_beds = models.BooleanField(_("respect the centres' free beds"), default=False)
    model = models.ForeignKey(OutcomeModel, null=True, blank=True, on_delete=models.PROTECT, related_name="batches")
    capacities = models.JSONField(default=list, blank=True)  # [{region, families, persons}] as solved
    method = models.CharField(max_length=60, blank=True)
    objective = models.FloatField(null=True, blank=True)
    bound = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # What the solve and the approval found: families placed and not, per region, plans made at centres.
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class BatchFamily(models.Model):
    """A family of a batch: its application, its needs, the region proposed with its predicted outcome and the
    next best regions, and an officer's override (with the reason) before the batch is approved."""

    batch = models.ForeignKey(PlacementBatch, on_delete=models.CASCADE, related_name="families")
    application = models.ForeignKey("kandas.Application", on_delete=models.PROTECT, related_name="+")
    size = models.PositiveSmallIntegerField(_("family size"))
    needs = models.JSONField(_("services the family needs"), default=list, blank=True)  # service codes
    preferred_region = models.ForeignKey(
        "reference.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("preferred region")
    )
    proposed_region = models.ForeignKey(
        "reference.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed region")
    )
    predicted = models.FloatField(_("predicted members employed"), null=True, blank=True)
    alternatives = models.JSONField(default=list, blank=True)  # [{region, predicted}] best first, after the proposed
    # The model's prediction in every region the family may go to (its needs met there): {region: predicted}.
    predictions = models.JSONField(default=dict, blank=True)
    # Why the solver placed the family nowhere: "needs" (no region gives its needs), "capacity" (no room left).
    unplaced_reason = models.CharField(max_length=10, blank=True)
    override_region = models.ForeignKey(
        "reference.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("region chosen by the officer")
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "id"]
        constraints = [models.UniqueConstraint(fields=["batch", "application"], name="placement_batch_family_unique")]

    def __str__(self):
        return f"{self.batch_id}: {self.application_id}"

    @property
    def final_region(self):
        return self.override_region or self.proposed_region
