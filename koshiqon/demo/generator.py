"""Writing the synthetic population (koshiqon.demo.population) into the database, at a million-person scale.

Demo data is written in bulk, not through the services: one transaction per chunk of about 5,000 persons,
a few queries per chunk and none per person. Each chunk commits with its audit event, "demo.generate.chunk"
(the seed, the size, the chunk's number and the counts so far), and the last one also with "demo.generate",
the seed and the final counts. That event makes the command idempotent: a second run with a seed already
loaded does nothing. An interrupted run resumes: the same seed and size regenerate the same households, the
chunks already committed are skipped, and writing goes on from the first chunk that is missing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from koshiqon.core.audit import audit_record
from koshiqon.core.models import AuditEvent
from koshiqon.demo.population import Synthesizer
from koshiqon.demo.synth import DemoConfig, SynthFamily, passport_mrz
from koshiqon.people.domain.names import name_key
from koshiqon.people.models import DocumentKind, Family, FamilyMember, IdentityDocument, Person
from koshiqon.reference.models import Country, Region

DEMO_ACTION = "demo.generate"
CHUNK_ACTION = "demo.generate.chunk"
DEFAULT_BATCH = 5000
# Lookups are cut below SQLite's 999 bound variables per statement.
LOOKUP_SLICE = 900

Progress = Callable[[int, int, str], None]


class DemoError(Exception):
    """The demo cannot be generated (the reference data it needs is missing)."""


@dataclass
class DemoOutcome:
    seed: int
    size: int
    created: bool
    persons: int = 0
    families: int = 0
    documents: int = 0
    with_iin: int = 0


def demo_previous_run(seed: int) -> dict[str, Any] | None:
    """The counts recorded by an earlier complete run with this seed, or None."""
    event = AuditEvent.objects.filter(action=DEMO_ACTION, after__seed=seed).order_by("-occurred_at", "-id").first()
    return event.after if event else None


def demo_unfinished_run(seed: int) -> dict[str, Any] | None:
    """What the last committed chunk of an interrupted run with this seed recorded (its size, batch size,
    chunk number and counts so far), or None when no chunk of this seed is in the database."""
    event = AuditEvent.objects.filter(action=CHUNK_ACTION, after__seed=seed).order_by("-id").first()
    return event.after if event else None


def _existing(model, field_name: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), LOOKUP_SLICE):
        part = values[start:start + LOOKUP_SLICE]
        found.update(model.all_objects.filter(**{f"{field_name}__in": part}).values_list(field_name, flat=True))
    return found


class _ChunkWriter:
    def __init__(self, synth: Synthesizer, regions: dict[str, int], countries: dict[str, tuple[int, str]],
                 counts: dict[str, int] | None = None) -> None:
        self.synth, self.regions, self.countries = synth, regions, countries
        self.outcome_counts = {k: (counts or {}).get(k, 0) for k in ("persons", "families", "documents", "with_iin")}

    def _settle_identifiers(self, families: list[SynthFamily]) -> None:
        """Give a new IIN or passport number to the few that someone already holds (another seed's demo,
        or a real record); one query per slice of the chunk, never one per person."""
        people = [p for f in families for p in f.members]
        pending = [p for p in people if p.iin]
        while pending:
            taken = _existing(Person, "iin", [p.iin for p in pending])
            pending = [p for p in pending if p.iin in taken]
            for p in pending:
                p.iin = self.synth.iins.allocate(p.birth_date, p.sex)
        pending = [p for p in people if p.passport]
        while pending:
            taken = _existing(IdentityDocument, "number", [p.passport.number for p in pending])
            pending = [p for p in pending if p.passport.number in taken]
            for p in pending:
                p.passport.number = self.synth.numbers.allocate(p.passport.country)

    def write(self, families: list[SynthFamily], *, chunk: dict[str, Any], last: bool, by=None) -> int:
        self._settle_identifiers(families)
        now = timezone.now()
        people = [p for f in families for p in f.members]
        rows = [
            Person(
                last_name=p.last_name, first_name=p.first_name, patronymic=p.patronymic,
                last_name_latin=p.last_name_latin, first_name_latin=p.first_name_latin, birth_date=p.birth_date,
                sex=p.sex, citizenship_id=self.countries[p.citizenship][0], iin=p.iin,
                region_id=self.regions[f.region], created_at=now,
                name_key=name_key(p.last_name, p.first_name, p.patronymic, p.last_name_latin, p.first_name_latin),
            )
            for f in families for p in f.members
        ]
        for p in people:
            if p.passport:
                p.passport.mrz = passport_mrz(p, self.countries[p.passport.country][1])
        households = [f for f in families if f.household]
        with transaction.atomic():
            Person.objects.bulk_create(rows, batch_size=DEFAULT_BATCH)
            documents = [
                IdentityDocument(
                    person_id=row.pk, kind=DocumentKind.PASSPORT, number=p.passport.number,
                    issuing_country_id=self.countries[p.passport.country][0], issued_on=p.passport.issued_on,
                    expires_on=p.passport.expires_on, mrz=p.passport.mrz, created_at=now,
                )
                for row, p in zip(rows, people, strict=True) if p.passport
            ]
            IdentityDocument.objects.bulk_create(documents, batch_size=DEFAULT_BATCH)
            family_rows = Family.objects.bulk_create(
                [Family(region_id=self.regions[f.region], name=f.name, created_at=now) for f in households],
                batch_size=DEFAULT_BATCH,
            )
            pk_of = {id(p): row.pk for row, p in zip(rows, people, strict=True)}
            FamilyMember.objects.bulk_create(
                [
                    FamilyMember(family_id=family_row.pk, person_id=pk_of[id(p)], relation=p.relation)
                    for family_row, f in zip(family_rows, households, strict=True) for p in f.members
                ],
                batch_size=DEFAULT_BATCH,
            )
            counts = self.outcome_counts
            counts["persons"] += len(rows)
            counts["families"] += len(households)
            counts["documents"] += len(documents)
            counts["with_iin"] += sum(1 for p in people if p.iin)
            audit_record(by=by, action=CHUNK_ACTION, object_type="people.person", after={**chunk, **counts})
            if last:
                audit_record(by=by, action=DEMO_ACTION, object_type="people.person",
                             after={"seed": chunk["seed"], "size": chunk["size"], **counts})
        return len(rows)


def _chunks(households: Iterable[SynthFamily], batch_size: int) -> Iterable[tuple[list[SynthFamily], int]]:
    chunk: list[SynthFamily] = []
    persons = 0
    for family in households:
        chunk.append(family)
        persons += len(family.members)
        if persons >= batch_size:
            yield chunk, persons
            chunk, persons = [], 0
    if chunk:
        yield chunk, persons


def demo_generate(
    *,
    size: int,
    seed: int = 1,
    by: Any = "koshiqon demo",
    progress: Progress | None = None,
    config: DemoConfig | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> DemoOutcome:
    """Generate `size` synthetic persons in households, with IINs and passports, from `seed`.

    Does nothing when a run with this seed is already in the database, and finishes an interrupted one (which
    must be asked with its size; its batch size is taken from it). Regions and countries missing from the
    reference data are left out of the draw; with none of them, DemoError is raised.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    previous = demo_previous_run(seed)
    if previous:
        return DemoOutcome(seed=seed, size=size, created=False, **{
            k: previous.get(k, 0) for k in ("persons", "families", "documents", "with_iin")})
    unfinished = demo_unfinished_run(seed)
    if unfinished is not None:
        if unfinished["size"] != size:
            raise DemoError(f"an interrupted run of seed {seed} with size {unfinished['size']} is in the database: "
                            f"run it again with --size {unfinished['size']} to finish it, or use another --seed")
        batch_size = unfinished["batch_size"]
    config = config or DemoConfig()
    today = timezone.localdate()
    regions = {
        r.code: r.pk for r in Region.objects.filter(code__in=config.region_codes())
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    }
    countries = {c.alpha2: (c.pk, c.alpha3) for c in Country.objects.filter(alpha2__in=config.country_codes())}
    usable = config.restricted(set(regions), set(countries))
    if not usable.segments:
        raise DemoError("the regions and countries the demo needs are not loaded: run `koshiqon setup` first")
    synth = Synthesizer(seed, usable)
    writer = _ChunkWriter(synth, regions, countries, counts=unfinished)
    skip = unfinished["chunk"] if unfinished is not None else 0
    progress = progress or (lambda done, total, message="": None)
    done = 0
    progress(0, size, "")
    for number, (chunk, persons) in enumerate(_chunks(synth.households(size), batch_size), start=1):
        done += persons
        if number > skip:  # the chunks an interrupted run committed are drawn again (the same data) and skipped
            writer.write(chunk, chunk={"seed": seed, "size": size, "batch_size": batch_size, "chunk": number},
                         last=done >= size, by=by)
        progress(done, size, "")
    return DemoOutcome(seed=seed, size=size, created=True, **writer.outcome_counts)
