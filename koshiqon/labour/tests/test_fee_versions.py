"""A fee table entered as a policy version (kind `labour.permit_fees`) and the source recorded with the fee."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from koshiqon.core.policy import policy_version_create
from koshiqon.labour.domain.fees import FEE_KIND
from koshiqon.labour.selectors.permits import fee_table_on, fee_tables_reset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    fee_tables_reset()
    yield
    fee_tables_reset()


def enter_fees(by, **wording):
    values = {
        "title_kk": "Рұқсат үшін алым мөлшерлемелері",
        "title_ru": "Ставки сбора за разрешение",
        "title_en": "Permit fee rates",
        "legal_act_kk": "Қазақстан Республикасы Үкіметінің қаулысы",
        "legal_act_ru": "Постановление Правительства Республики Казахстан",
        "legal_act_en": "Government Decree",
    } | wording
    return policy_version_create(kind=FEE_KIND, code="fees-2030", valid_from=date(2030, 1, 1), valid_to=None,
                                 legal_number="157", confidence="H",
                                 parameters={"by_category": {"1": "140"}}, by=by, **values)


def test_the_fee_source_names_the_act_in_english_whatever_the_language_of_the_page(national):
    enter_fees(national)
    with translation.override("kk"):
        table, source, confidence = fee_table_on(date(2030, 6, 1))
    assert (table.by_category["1"], source, confidence) == (Decimal(140), "fees-2030: Government Decree", "H")


def test_a_fee_version_without_english_is_recorded_with_its_russian_act(national):
    enter_fees(national, legal_act_en="")
    with translation.override("kk"):
        assert fee_table_on(date(2030, 6, 1))[1] == "fees-2030: Постановление Правительства Республики Казахстан"
