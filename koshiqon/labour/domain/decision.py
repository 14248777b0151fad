"""The decision on an employer's application for a work permit for a foreigner (domain.md §4, issue 5).

`decide_permit` applies the rules of the regime in force on the application date (see `regimes.py`) and
returns every step it took, passed or failed, each worded in Kazakh, Russian and English:

1. `category`: the category (or intra-corporate transfer, ICT, in a category) exists on the application date.
2. The labour-market test of the regime: `lmt_advertise` (2008-2012: the job advertised, rejections of local
   applicants justified, replacement by a trained local undertaken), `lmt_notify` (2012-Aug 2025: the
   employment body notified) or `lmt_exchange` (from 1 Sep 2025: the quoted vacancy was posted on the national
   labour exchange at least 15 calendar days before the application: posted on the 1st, an application on the
   16th passes and one on the 15th fails).
3. `automatic_checks` (from 1 Sep 2025): the registers of offences and employment contracts bar nothing.
4. For a hire, `staff_share`: the citizens' share of the employer's staff of the category after the hire,
   citizens / (citizens + foreigners + 1), is at least 70% (categories 1-2) or 90% (3-4); exactly at the edge
   passes. For an ICT, `ict_share` instead: transferees after the transfer are at most 50% of the Kazakhstani
   staff of the category (ICT staff are outside the citizen-share rule, or the 50% cap could never bind).
   A regime or category without such a rule (before 12 Mar 2012; seasonal workers) has no share step.
5. `quota`: places left in the region and category (ICT: outside the quota, always passed).
6. `local_jobseekers`: informative, always passed: how many registered local jobseekers in that region and
   occupation could have been offered the job.

Shares are compared in whole numbers (no floating point), so 7 of 10 is exactly 70%.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from koshiqon.labour.domain.regimes import ICT, LabourTest, Regime, categories_on

LANGUAGES = ("kk", "ru", "en")

_YES_NO = {"kk": ("иә", "жоқ"), "ru": ("да", "нет"), "en": ("yes", "no")}

TEMPLATES: dict[str, dict[str, str]] = {
    "kk": {
        "category_ok": "{category} санаты {date} күні қолданыста.",
        "category_bad": "{category} санаты {date} күні қолданыста емес.",
        "category_ict_bad": "{date} күні {category} санатында корпоративішілік ауыстыру мүмкін емес.",
        "lmt_advertise_ok": "Бос жұмыс орны жарияланды, жергілікті үміткерлерден бас тарту негізделді, шетелдікті "
                            "даярланған жергілікті қызметкермен ауыстыру міндеттемесі алынды.",
        "lmt_advertise_bad": "2008–2012 жылдардағы еңбек нарығын тексеру өтпеді: жарияланды: {advertised}; бас "
                             "тартулар негізделді: {justified}; ауыстыру міндеттемесі: {undertaken}.",
        "lmt_notify_ok": "Жұмыспен қамту органы бос жұмыс орны туралы хабардар етілді.",
        "lmt_notify_bad": "Жұмыспен қамту органы бос жұмыс орны туралы хабардар етілмеді.",
        "lmt_exchange_ok": "{vacancy} бос жұмыс орны еңбек биржасында {posted} күні, өтінішке дейін {days} күн "
                           "бұрын орналастырылды (кемінде {min} күн талап етіледі).",
        "lmt_exchange_late": "{vacancy} бос жұмыс орны еңбек биржасында {posted} күні, өтінішке дейін небәрі "
                             "{days} күн бұрын орналастырылды (кемінде {min} күн талап етіледі).",
        "lmt_exchange_none": "Өтініште еңбек биржасында орналастырылған бос жұмыс орны көрсетілмеген.",
        "checks_ok": "Құқық бұзушылықтар мен еңбек шарттарының тізілімдері бойынша автоматты тексерулер кедергі "
                     "анықтамады.",
        "checks_bad": "Құқық бұзушылықтар мен еңбек шарттарының тізілімдері бойынша автоматты тексерулер кедергі "
                      "анықтады.",
        "share": "Жалдаудан кейін {category} санатындағы қызметкерлер арасындағы Қазақстан азаматтарының үлесі: "
                 "{total} ішінен {citizens} ({percent}%), кемінде {min}% талап етіледі.",
        "ict": "Ауыстырудан кейін {category} санатындағы корпоративішілік ауыстырылғандар: {citizens} "
               "қазақстандық қызметкерге {ict}, ең көбі {max}% рұқсат етіледі.",
        "quota_ok": "Осы өңір мен санаттағы квота қалдығы: {left}.",
        "quota_bad": "Осы өңір мен санаттың квотасы таусылды.",
        "quota_ict": "Корпоративішілік ауыстырулар квотаға кірмейді.",
        "jobseekers": "Осы өңірде осы кәсіп бойынша жұмыс ұсынуға болатын тіркелген жергілікті жұмыс "
                      "іздеушілер: {n}.",
    },
    "ru": {
        "category_ok": "Категория {category} действует на {date}.",
        "category_bad": "Категория {category} не действует на {date}.",
        "category_ict_bad": "Внутрикорпоративный перевод в категории {category} невозможен на {date}.",
        "lmt_advertise_ok": "Вакансия объявлена, отказ местным соискателям обоснован, принято обязательство "
                            "заменить иностранца подготовленным местным работником.",
        "lmt_advertise_bad": "Проверка рынка труда 2008–2012 годов не пройдена: вакансия объявлена: "
                             "{advertised}; отказы обоснованы: {justified}; обязательство о замене: {undertaken}.",
        "lmt_notify_ok": "Орган занятости уведомлён о вакансии.",
        "lmt_notify_bad": "Орган занятости не уведомлён о вакансии.",
        "lmt_exchange_ok": "Вакансия {vacancy} размещена на электронной бирже труда {posted}, за {days} дн. "
                           "до заявления (требуется не менее {min}).",
        "lmt_exchange_late": "Вакансия {vacancy} размещена на электронной бирже труда {posted}, лишь за {days} "
                             "дн. до заявления (требуется не менее {min}).",
        "lmt_exchange_none": "В заявлении не указана вакансия, размещённая на электронной бирже труда.",
        "checks_ok": "Автоматические проверки по реестрам правонарушений и трудовых договоров препятствий "
                     "не выявили.",
        "checks_bad": "Автоматические проверки по реестрам правонарушений и трудовых договоров выявили "
                      "препятствие.",
        "share": "Доля граждан Казахстана среди работников категории {category} после найма: {citizens} из "
                 "{total} ({percent}%), требуется не менее {min}%.",
        "ict": "Внутрикорпоративные переводы в категории {category} после перевода: {ict} на {citizens} "
               "казахстанских работников, допускается не более {max}%.",
        "quota_ok": "Остаток квоты в этом регионе и категории: {left}.",
        "quota_bad": "Квота этого региона и категории исчерпана.",
        "quota_ict": "Внутрикорпоративные переводы не входят в квоту.",
        "jobseekers": "Зарегистрированных местных соискателей в этом регионе по этой профессии, которым можно "
                      "было предложить работу: {n}.",
    },
    "en": {
        "category_ok": "Category {category} is in force on {date}.",
        "category_bad": "Category {category} is not in force on {date}.",
        "category_ict_bad": "An intra-corporate transfer in category {category} is not possible on {date}.",
        "lmt_advertise_ok": "The job was advertised, the rejection of local applicants justified and the "
                            "replacement of the foreigner by a trained local undertaken.",
        "lmt_advertise_bad": "The labour-market test of 2008-2012 is not met: job advertised: {advertised}; "
                             "rejections justified: {justified}; replacement undertaken: {undertaken}.",
        "lmt_notify_ok": "The employment body was notified of the vacancy.",
        "lmt_notify_bad": "The employment body was not notified of the vacancy.",
        "lmt_exchange_ok": "Vacancy {vacancy} was posted on the labour exchange on {posted}, {days} days before "
                           "the application (at least {min} required).",
        "lmt_exchange_late": "Vacancy {vacancy} was posted on the labour exchange on {posted}, only {days} days "
                             "before the application (at least {min} required).",
        "lmt_exchange_none": "The application quotes no vacancy posted on the labour exchange.",
        "checks_ok": "The automatic checks against the registers of offences and employment contracts found "
                     "nothing that bars the permit.",
        "checks_bad": "The automatic checks against the registers of offences and employment contracts found "
                      "a record that bars the permit.",
        "share": "Citizens of Kazakhstan among the staff of category {category} after the hire: {citizens} of "
                 "{total} ({percent}%), at least {min}% required.",
        "ict": "Intra-corporate transferees in category {category} after the transfer: {ict} for {citizens} "
               "Kazakhstani staff, at most {max}% allowed.",
        "quota_ok": "Quota places left in this region and category: {left}.",
        "quota_bad": "The quota of this region and category is exhausted.",
        "quota_ict": "Intra-corporate transfers are outside the quota.",
        "jobseekers": "Registered local jobseekers in this region and occupation who could have been offered "
                      "the job: {n}.",
    },
}


def words(key: str, params: Mapping[str, object] | None = None) -> dict[str, str]:
    """The template `key` filled in every language; booleans in `params` become yes/no in that language."""
    texts = {}
    for lang in LANGUAGES:
        yes, no = _YES_NO[lang]
        filled = {k: (yes if v else no) if isinstance(v, bool) else v for k, v in (params or {}).items()}
        texts[lang] = TEMPLATES[lang][key].format(**filled)
    return texts


@dataclass(frozen=True)
class StaffCount:
    """The employer's staff of one category before the hire. `foreigners` counts every foreign worker of the
    category; `ict_transferees` is how many of them came by intra-corporate transfer."""

    category: str
    citizens: int
    foreigners: int
    ict_transferees: int = 0

    def __post_init__(self) -> None:
        if min(self.citizens, self.foreigners, self.ict_transferees) < 0:
            raise ValueError("staff counts cannot be negative")
        if self.ict_transferees > self.foreigners:
            raise ValueError("intra-corporate transferees are counted among the foreigners")


@dataclass(frozen=True)
class PermitCase:
    """The facts of one application, as the officer has them on the application date."""

    applied_on: date
    category: str
    ict: bool = False
    vacancy_id: str | None = None
    vacancy_posted_on: date | None = None
    employment_body_notified: bool = False
    advertised: bool = False
    rejections_justified: bool = False
    replacement_undertaken: bool = False
    registers_clear: bool = True
    staff: tuple[StaffCount, ...] = ()

    def staff_in(self, category: str) -> StaffCount:
        """The staff of `category` (none recorded: an empty category)."""
        for count in self.staff:
            if count.category == category:
                return count
        return StaffCount(category, 0, 0)


@dataclass(frozen=True)
class Step:
    """One step of a decision: its stable code, whether it passed, and its wording by language."""

    code: str
    passed: bool
    explanation: Mapping[str, str] = field(compare=False)

    def text(self, lang: str) -> str:
        return self.explanation[lang]


@dataclass(frozen=True)
class PermitDecision:
    granted: bool
    regime: LabourTest
    steps: tuple[Step, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The codes of the failed steps, in the order they were taken."""
        return tuple(step.code for step in self.steps if not step.passed)


def _step(code: str, passed: bool, key: str, params: Mapping[str, object] | None = None) -> Step:
    return Step(code, passed, words(key, params))


def _percent(numerator: int, denominator: int) -> str:
    value = (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value:f}".removesuffix(".0")


def _category_step(case: PermitCase, regime: Regime) -> Step:
    codes = categories_on(case.applied_on)
    params = {"category": case.category, "date": case.applied_on.isoformat()}
    if case.ict:
        ok = ICT in codes and regime.ict_share_max is not None and case.category in regime.citizen_share_min
        return _step("category", ok, "category_ok" if ok else "category_ict_bad", params)
    ok = case.category in codes and case.category != ICT
    return _step("category", ok, "category_ok" if ok else "category_bad", params)


def _labour_market_test(case: PermitCase, regime: Regime) -> Step:
    if regime.code is LabourTest.ADVERTISE:
        ok = case.advertised and case.rejections_justified and case.replacement_undertaken
        return _step("lmt_advertise", ok, "lmt_advertise_ok" if ok else "lmt_advertise_bad", {
            "advertised": case.advertised, "justified": case.rejections_justified,
            "undertaken": case.replacement_undertaken,
        })
    if regime.code is LabourTest.NOTIFY:
        ok = case.employment_body_notified
        return _step("lmt_notify", ok, "lmt_notify_ok" if ok else "lmt_notify_bad")
    if case.vacancy_id is None or case.vacancy_posted_on is None:
        return _step("lmt_exchange", False, "lmt_exchange_none")
    assert regime.min_posting_days is not None
    days = (case.applied_on - case.vacancy_posted_on).days
    ok = days >= regime.min_posting_days
    return _step("lmt_exchange", ok, "lmt_exchange_ok" if ok else "lmt_exchange_late", {
        "vacancy": case.vacancy_id, "posted": case.vacancy_posted_on.isoformat(), "days": days,
        "min": regime.min_posting_days,
    })


def staff_share_passes(staff: StaffCount, minimum: tuple[int, int]) -> bool:
    """Citizens are at least `minimum` (numerator, denominator) of the category's staff after one more hire."""
    numerator, denominator = minimum
    return staff.citizens * denominator >= numerator * (staff.citizens + staff.foreigners + 1)


def ict_share_passes(staff: StaffCount, maximum: tuple[int, int]) -> bool:
    """Transferees after one more transfer are at most `maximum` of the category's citizens."""
    numerator, denominator = maximum
    return (staff.ict_transferees + 1) * denominator <= numerator * staff.citizens


def _share_step(case: PermitCase, regime: Regime) -> Step | None:
    staff = case.staff_in(case.category)
    if case.ict:
        if regime.ict_share_max is None:
            return None
        numerator, denominator = regime.ict_share_max
        return _step("ict_share", ict_share_passes(staff, regime.ict_share_max), "ict", {
            "category": case.category, "ict": staff.ict_transferees + 1, "citizens": staff.citizens,
            "max": _percent(numerator, denominator),
        })
    minimum = regime.citizen_share_min.get(case.category)
    if minimum is None:
        return None
    total = staff.citizens + staff.foreigners + 1
    return _step("staff_share", staff_share_passes(staff, minimum), "share", {
        "category": case.category, "citizens": staff.citizens, "total": total,
        "percent": _percent(staff.citizens, total), "min": _percent(*minimum),
    })


def decide_permit(application: PermitCase, *, regime: Regime, quota_left: int, local_jobseekers: int) -> PermitDecision:
    """Decide `application` under `regime` (the caller passes `regime_on(application.applied_on)`, or the
    version the decision recorded when it is re-read); granted when every step passes."""
    if not regime.covers(application.applied_on):
        raise ValueError(f"regime {regime.code} is not in force on {application.applied_on.isoformat()}")
    if quota_left < 0 or local_jobseekers < 0:
        raise ValueError("quota places and jobseekers cannot be negative")
    steps = [_category_step(application, regime), _labour_market_test(application, regime)]
    if regime.automatic_checks:
        ok = application.registers_clear
        steps.append(_step("automatic_checks", ok, "checks_ok" if ok else "checks_bad"))
    share = _share_step(application, regime)
    if share is not None:
        steps.append(share)
    if application.ict:
        steps.append(_step("quota", True, "quota_ict"))
    else:
        ok = quota_left > 0
        steps.append(_step("quota", ok, "quota_ok" if ok else "quota_bad", {"left": quota_left}))
    steps.append(_step("local_jobseekers", True, "jobseekers", {"n": local_jobseekers}))
    return PermitDecision(
        granted=all(step.passed for step in steps), regime=regime.code, steps=tuple(steps),
    )

