from collections import Counter

import pytest
from django.db import transaction

from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent
from koshiqon.demo.generator import DemoError, demo_generate
from koshiqon.people.domain.iin import iin_birth_date, is_valid_iin
from koshiqon.people.domain.mrz import parse_mrz
from koshiqon.people.domain.names import name_key
from koshiqon.people.models import Family, FamilyMember, IdentityDocument, Person

FIELDS = ("last_name", "first_name", "patronymic", "last_name_latin", "first_name_latin", "birth_date", "sex",
          "citizenship__alpha2", "iin", "region__code", "name_key")


def snapshot():
    people = list(Person.objects.order_by("pk").values_list(*FIELDS))
    documents = list(IdentityDocument.objects.order_by("pk").values_list("number", "issuing_country__alpha2", "mrz"))
    families = list(Family.objects.order_by("pk").values_list("name", "region__code"))
    return people, documents, families


def test_the_same_size_and_seed_give_the_same_data(reference):
    with transaction.atomic():
        demo_generate(size=500, seed=7, batch_size=120)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Person.objects.exists()
    demo_generate(size=500, seed=7, batch_size=120)
    assert snapshot() == first
    assert len(first[0]) == 500


def test_another_seed_gives_other_data(reference):
    with transaction.atomic():
        demo_generate(size=200, seed=7)
        first = snapshot()
        transaction.set_rollback(True)
    demo_generate(size=200, seed=8)
    assert snapshot()[0] != first[0]


def test_it_writes_exactly_the_persons_asked_for_in_whole_households(reference):
    outcome = demo_generate(size=500, seed=3, batch_size=100)
    assert outcome.created and Person.objects.count() == outcome.persons == 500
    assert Family.objects.count() == outcome.families
    assert IdentityDocument.objects.count() == outcome.documents > 0
    heads = Counter(FamilyMember.objects.filter(relation="head").values_list("family_id", flat=True))
    assert set(heads.values()) == {1} and len(heads) == outcome.families
    for member in FamilyMember.objects.select_related("family", "person"):
        assert member.person.region_id == member.family.region_id


def test_iins_are_valid_unique_and_agree_with_the_birth_date(reference):
    outcome = demo_generate(size=500, seed=3)
    rows = list(Person.objects.exclude(iin=None).values_list("iin", "birth_date"))
    assert len(rows) == outcome.with_iin > 300
    assert len({iin for iin, _ in rows}) == len(rows)
    assert all(is_valid_iin(iin) and iin_birth_date(iin) == born for iin, born in rows)


def test_every_passport_zone_is_valid_and_names_its_holder(reference):
    demo_generate(size=500, seed=3)
    for doc in IdentityDocument.objects.select_related("person", "issuing_country"):
        mrz = parse_mrz(doc.mrz)
        assert mrz.is_valid, (doc.mrz, mrz.problems)
        assert (mrz.document_number, mrz.birth_date, mrz.issuing_state) == (
            doc.number, doc.person.birth_date, doc.issuing_country.alpha3)
        assert mrz.expiry_date == doc.expires_on


def test_names_are_searchable_like_any_registered_person(reference):
    demo_generate(size=100, seed=3)
    for p in Person.objects.all():
        assert p.name_key == name_key(p.last_name, p.first_name, p.patronymic, p.last_name_latin, p.first_name_latin)


def test_persons_are_drawn_only_from_the_regions_and_countries_in_the_database(reference):
    demo_generate(size=500, seed=3)
    assert set(Person.objects.values_list("region__code", flat=True)) <= {"KZ-55", "KZ-75", "KZ-11"}
    assert set(Person.objects.values_list("citizenship__alpha2", flat=True)) <= {"KZ", "CN", "UZ", "MN"}


def test_each_chunk_commits_with_its_audit_event_and_the_last_records_the_seed_and_the_counts(reference):
    outcome = demo_generate(size=300, seed=5, batch_size=100)
    event = AuditEvent.objects.get(action="demo.generate")
    assert event.after == {"seed": 5, "size": 300, "persons": 300, "families": outcome.families,
                           "documents": outcome.documents, "with_iin": outcome.with_iin}
    chunks = [e.after for e in AuditEvent.objects.filter(action="demo.generate.chunk").order_by("id")]
    assert [c["chunk"] for c in chunks] == list(range(1, len(chunks) + 1)) and len(chunks) >= 3
    assert [c["persons"] for c in chunks] == sorted(c["persons"] for c in chunks)
    assert chunks[-1] == {**event.after, "batch_size": 100, "chunk": len(chunks)}
    assert audit_verify() is None


class Interrupted(Exception):
    pass


def _interrupt_after(chunks: int):
    seen = []

    def progress(done, total, message):
        seen.append(done)
        if len(seen) > chunks:  # the first call reports 0, before any chunk
            raise Interrupted

    return progress


def test_an_interrupted_run_resumes_where_it_stopped_and_writes_what_an_uninterrupted_one_does(reference):
    with transaction.atomic():
        demo_generate(size=500, seed=7, batch_size=120)
        whole = snapshot()
        transaction.set_rollback(True)
    with pytest.raises(Interrupted):
        demo_generate(size=500, seed=7, batch_size=120, progress=_interrupt_after(2))
    assert 0 < Person.objects.count() < 500 and not AuditEvent.objects.filter(action="demo.generate").exists()
    outcome = demo_generate(size=500, seed=7)  # the batch size is the interrupted run's
    assert outcome.created and outcome.persons == 500
    assert snapshot() == whole
    assert AuditEvent.objects.filter(action="demo.generate").count() == 1
    assert demo_generate(size=500, seed=7).created is False
    assert audit_verify() is None


def test_an_interrupted_run_asked_again_with_another_size_says_which_size_finishes_it(reference):
    with pytest.raises(Interrupted):
        demo_generate(size=500, seed=7, batch_size=120, progress=_interrupt_after(1))
    written = Person.objects.count()
    with pytest.raises(DemoError, match="--size 500"):
        demo_generate(size=800, seed=7)
    assert Person.objects.count() == written


def test_a_second_run_with_the_same_seed_does_nothing(reference):
    demo_generate(size=200, seed=5)
    again = demo_generate(size=200, seed=5)
    assert not again.created and again.persons == 200
    assert Person.objects.count() == 200
    assert AuditEvent.objects.filter(action="demo.generate").count() == 1


def test_a_run_with_another_seed_adds_persons_without_reusing_anyone_s_iin_or_passport_number(reference):
    # Seeds 1 and 201 start their IIN serials and passport numbers at the same place, so they collide.
    demo_generate(size=400, seed=1)
    demo_generate(size=400, seed=201)
    iins = list(Person.objects.exclude(iin=None).values_list("iin", flat=True))
    numbers = list(IdentityDocument.objects.values_list("number", flat=True))
    assert Person.objects.count() == 800
    assert len(set(iins)) == len(iins) and all(is_valid_iin(i) for i in iins)
    assert len(set(numbers)) == len(numbers)
    for doc in IdentityDocument.objects.all():
        assert parse_mrz(doc.mrz).document_number == doc.number


def test_progress_is_reported_chunk_by_chunk_up_to_the_total(reference):
    calls = []
    demo_generate(size=450, seed=2, batch_size=100, progress=lambda done, total, message: calls.append((done, total)))
    assert calls[0] == (0, 450) and calls[-1] == (450, 450)
    assert len(calls) >= 5
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_without_the_reference_data_it_says_what_to_do(db):
    with pytest.raises(DemoError, match="setup"):
        demo_generate(size=10, seed=1)
