"""The ministry's picture: occupancy and outcomes by centre and by region. Aggregates only, no person.

Who: everyone who may see adaptation (`adaptation.view`) and analysts (`analytics.view`), for every centre:
the figures are counts. Rates of employment and of staying in the region are shares of the persons whose
answer is known ("unknown" answers are counted apart), and a rate over fewer than MIN_CELL persons is not
shown, so that the figure of a small centre cannot point at one family (the same rule for every reader).
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone

from koshiqon.adaptation.access import overdue_condition
from koshiqon.adaptation.domain.capacity import Occupancy
from koshiqon.adaptation.domain.outcomes import CHECKPOINTS, Answer, Rate
from koshiqon.adaptation.models import Centre, Outcome, Plan, PlanStatus, Referral
from koshiqon.adaptation.selectors.centres import occupancy_on
from koshiqon.core.domain import disclosure
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can
from koshiqon.reference.models import Region

MIN_CELL = disclosure.MIN_CELL


def require_overview(user) -> None:
    if not (can(user, Perm.ADAPTATION_VIEW) or can(user, Perm.ANALYTICS_VIEW)):
        raise PermissionDenied(Perm.ADAPTATION_VIEW.value)


@dataclass
class Tally:
    yes: int = 0
    no: int = 0
    unknown: int = 0

    def rate(self) -> Rate:
        return Rate(yes=self.yes, known=self.yes + self.no, unknown=self.unknown, min_cell=MIN_CELL)

    def add(self, other: "Tally") -> None:
        self.yes, self.no, self.unknown = self.yes + other.yes, self.no + other.no, self.unknown + other.unknown


@dataclass
class Figures:
    """The figures of a centre, of a region (its centres added up) or of the country."""

    key: str
    label: str
    region: Region | None = None
    centre: Centre | None = None
    centres: int = 0
    beds: int = 0
    occupied: int = 0
    plans_active: int = 0
    plans_total: int = 0
    referred: int = 0
    delivered: int = 0
    overdue: int = 0
    employed: dict[int, Tally] = field(default_factory=lambda: {m: Tally() for m in CHECKPOINTS})
    stayed: Tally = field(default_factory=Tally)

    @property
    def occupancy(self) -> Occupancy:
        return Occupancy(self.beds, self.occupied)

    @property
    def employment(self) -> dict[int, Rate]:
        return {m: t.rate() for m, t in self.employed.items()}

    @property
    def stayed_rate(self) -> Rate:
        return self.stayed.rate()

    def add(self, other: "Figures") -> None:
        for name in ("centres", "beds", "occupied", "plans_active", "plans_total", "referred", "delivered", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for m in CHECKPOINTS:
            self.employed[m].add(other.employed[m])
        self.stayed.add(other.stayed)


@dataclass
class Overview:
    on: date
    centres: list[Figures]
    regions: list[Figures]
    total: Figures


def _tally(tally: Tally, answer: str, n: int) -> None:
    if answer == Answer.YES:
        tally.yes += n
    elif answer == Answer.NO:
        tally.no += n
    else:
        tally.unknown += n


def adaptation_overview(*, user, today: date | None = None) -> Overview:
    """Every centre's beds and occupancy today, plans, referrals (delivered, overdue) and outcomes; the same
    added up by region (only regions with a centre) and for the country."""
    require_overview(user)
    today = today or timezone.localdate()
    centres = list(Centre.objects.select_related("region").prefetch_related("region__names").order_by("region__code", "name"))
    occupancy = occupancy_on(centres=centres, on=today)
    rows = {c.pk: Figures(key=str(c.pk), label=c.name, region=c.region, centre=c, centres=1, beds=c.beds,
                          occupied=occupancy[c.pk].occupied) for c in centres}
    for row in Plan.objects.values("centre").annotate(
            total=Count("id"), active=Count("id", filter=Q(status=PlanStatus.ACTIVE))):
        rows[row["centre"]].plans_total, rows[row["centre"]].plans_active = row["total"], row["active"]
    for row in Referral.objects.values("plan__centre").annotate(
            referred=Count("id"), delivered=Count("id", filter=Q(delivered_on__isnull=False)),
            overdue=Count("id", filter=overdue_condition(today))):
        figures = rows[row["plan__centre"]]
        figures.referred, figures.delivered, figures.overdue = row["referred"], row["delivered"], row["overdue"]
    for row in Outcome.objects.values("plan__centre", "months", "employed").annotate(n=Count("id")):
        _tally(rows[row["plan__centre"]].employed[row["months"]], row["employed"], row["n"])
    for row in (Outcome.objects.filter(months=12).exclude(stayed_in_region="")
                .values("plan__centre", "stayed_in_region").annotate(n=Count("id"))):
        _tally(rows[row["plan__centre"]].stayed, row["stayed_in_region"], row["n"])
    regions: dict[str, Figures] = {}
    total = Figures(key="", label="")
    for figures in rows.values():
        region = figures.region
        assert region is not None
        if region.code not in regions:
            regions[region.code] = Figures(key=region.code, label=region.name, region=region)
        regions[region.code].add(figures)
        total.add(figures)
    return Overview(on=today, centres=list(rows.values()), regions=sorted(regions.values(), key=lambda f: f.key),
                    total=total)
