"""Every read of persons, documents and families, already scoped to the user's role and regions.

A record outside the user's regions is not in the queryset, so asking for it answers 404, never 403.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from koshiqon.core.audit import access_record
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.models import AuditEvent
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.people.domain.names import name_similarity, skeleton
from koshiqon.people.models import Family, IdentityDocument, Person

# Two records are proposed as the same person from this name similarity (0-100) on the same birth date.
DUPLICATE_NAME_THRESHOLD = 85.0
DOC_NUMBER = re.compile(r"^(?=.*\d)[A-Za-z0-9]{5,20}$")


def person_queryset(*, user) -> QuerySet[Person]:
    require(user, Perm.PEOPLE_VIEW)
    qs = Person.objects.select_related("region", "citizenship")
    scope = region_ids_in_scope(user)
    return qs if scope is None else qs.filter(region_id__in=scope)


def person_list(
    *,
    user,
    q: str = "",
    region: str = "",
    citizenship: str = "",
    sex: str = "",
    born_from: date | None = None,
    born_to: date | None = None,
) -> QuerySet[Person]:
    """Search by name in any script (Cyrillic, passport Latin, 2021 Latin), by IIN, or by document number."""
    qs = person_queryset(user=user)
    q = q.strip()
    if q:
        compact = q.replace(" ", "")
        if compact.isdigit() and len(compact) == 12:
            qs = qs.filter(iin=compact)
        elif DOC_NUMBER.match(compact):
            ids = IdentityDocument.objects.filter(number=compact.upper()).values("person_id")
            qs = qs.filter(Q(id__in=ids) | Q(iin__startswith=compact))
        else:
            for token in skeleton(q).split():
                qs = qs.filter(name_key__contains=token)
    if region:
        qs = qs.filter(region__code=region)
    if citizenship:
        qs = qs.filter(citizenship__alpha2=citizenship.upper())
    if sex in ("M", "F"):
        qs = qs.filter(sex=sex)
    if born_from:
        qs = qs.filter(birth_date__gte=born_from)
    if born_to:
        qs = qs.filter(birth_date__lte=born_to)
    return qs


def person_get(*, user, pk: int, channel: str, path: str) -> Person:
    """One person's record. The read is logged (who, when, which record, through which page or endpoint)."""
    person = get_object_or_404(person_queryset(user=user), pk=pk)
    access_record(user=user, obj=person, channel=channel, path=path)
    return person


def person_for_update(*, user, pk: int) -> Person:
    """A person the user may change: 404 outside the user's regions, 403 without the right to change."""
    require(user, Perm.PEOPLE_CHANGE)
    return get_object_or_404(person_queryset(user=user), pk=pk)


def person_documents(*, person: Person) -> QuerySet[IdentityDocument]:
    return person.documents.select_related("issuing_country").order_by("-issued_on", "id")


def document_get(*, user, pk: int) -> IdentityDocument:
    scope = person_queryset(user=user)
    return get_object_or_404(
        IdentityDocument.objects.select_related("person", "issuing_country").filter(person__in=scope), pk=pk
    )


def document_read(*, user, pk: int, channel: str, path: str) -> IdentityDocument:
    """A document shown to the user: a read of its holder's record, so it is logged like one."""
    document = document_get(user=user, pk=pk)
    access_record(user=user, obj=document.person, channel=channel, path=path)
    return document


def document_list(*, user, number: str = "", person_id: int | None = None) -> QuerySet[IdentityDocument]:
    qs = IdentityDocument.objects.select_related("person", "issuing_country").filter(
        person__in=person_queryset(user=user)
    )
    if number:
        qs = qs.filter(number="".join(number.split()).upper())
    if person_id:
        qs = qs.filter(person_id=person_id)
    return qs.order_by("id")


def person_families(*, person: Person) -> QuerySet[Family]:
    return Family.objects.filter(members__person=person).prefetch_related("members__person").distinct()


@dataclass(frozen=True)
class DuplicateCandidate:
    person: Person
    reasons: tuple[str, ...]  # "iin", "document", "name_and_birth_date"
    score: float


def person_duplicate_candidates(
    *,
    user,
    last_name: str,
    first_name: str,
    birth_date: date | None,
    patronymic: str = "",
    last_name_latin: str = "",
    first_name_latin: str = "",
    iin: str | None = None,
    document_numbers: tuple[str, ...] = (),
    exclude_id: int | None = None,
) -> tuple[list[DuplicateCandidate], int]:
    """Persons who may be the one being registered: the same IIN or document number (exact), or a similar
    name in any script with the same date of birth (fuzzy). Returns the candidates the user may see, and
    how many more matched in regions the user may not see (a count only: their data is not shown)."""
    found: dict[int, tuple[Person, set[str], float]] = {}

    def add(person: Person, reason: str, score: float) -> None:
        _, reasons, best = found.setdefault(person.pk, (person, set(), 0.0))
        reasons.add(reason)
        found[person.pk] = (person, reasons, max(best, score))

    everyone = Person.objects.select_related("region", "citizenship")
    if exclude_id:
        everyone = everyone.exclude(pk=exclude_id)
    if iin:
        for p in everyone.filter(iin=iin):
            add(p, "iin", 100.0)
    if document_numbers:
        numbers = ["".join(n.split()).upper() for n in document_numbers if n]
        for p in everyone.filter(documents__number__in=numbers).distinct():
            add(p, "document", 100.0)
    if birth_date:
        wanted = " ".join(x for x in (last_name, first_name, patronymic) if x)
        wanted_latin = " ".join(x for x in (last_name_latin, first_name_latin) if x)
        for p in everyone.filter(birth_date=birth_date):
            score = max(
                name_similarity(wanted, f"{p.last_name} {p.first_name} {p.patronymic}".strip()),
                name_similarity(wanted, f"{p.last_name} {p.first_name}"),
                name_similarity(wanted_latin, p.full_name_latin) if wanted_latin and p.full_name_latin else 0.0,
                name_similarity(wanted, p.full_name_latin) if p.full_name_latin else 0.0,
            )
            if score >= DUPLICATE_NAME_THRESHOLD:
                add(p, "name_and_birth_date", score)
    scope = region_ids_in_scope(user)
    visible, hidden = [], 0
    for person, reasons, score in sorted(found.values(), key=lambda t: -t[2]):
        if scope is None or person.region_id in scope:
            visible.append(DuplicateCandidate(person, tuple(sorted(reasons)), round(score, 1)))
        else:
            hidden += 1
    return visible, hidden


def person_audit_trail(*, user, person: Person) -> QuerySet[AuditEvent]:
    """The audit events of a person and of all the person's documents, archived ones included (their history
    stays part of the person's trail), newest first. `person` must come from a scoped selector."""
    require(user, Perm.AUDIT_VIEW)
    doc_ids = [str(i) for i in IdentityDocument.all_objects.filter(person=person).values_list("id", flat=True)]
    return (
        AuditEvent.objects.filter(
            Q(object_type="people.person", object_id=str(person.pk))
            | Q(object_type="people.identitydocument", object_id__in=doc_ids)
        )
        .select_related("actor")
        .order_by("-occurred_at", "-seq", "-id")
    )


def audit_trail(*, user, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """The audit events of one record. The caller must first have fetched the record through a scoped
    selector, so the trail is never shown for a record the user may not see."""
    require(user, Perm.AUDIT_VIEW)
    return AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id)).select_related("actor")
