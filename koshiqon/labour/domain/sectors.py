"""The sections of OKED, Kazakhstan's classifier of economic activities, as data (sector of an employer).

OKED (ОКЭД, Общий классификатор видов экономической деятельности) follows NACE Rev. 2 of the European Union
at the level of its 21 sections, lettered A to U; an employer's sector is its main activity's section.
Names as in the Kazakh and Russian editions of the classifier (confidence M: the section titles are stable
across the 2007 and 2019 editions; the wording is taken from secondary copies, not the official text).
"""

from dataclasses import dataclass

CONFIDENCE = "M"
SOURCE = "OKED (NACE Rev. 2 sections), Kazakh and Russian editions as published by the statistics bureau (M)"


@dataclass(frozen=True)
class Sector:
    code: str
    kk: str
    ru: str
    en: str

    def name(self, language: str | None) -> str:
        lang = (language or "kk")[:2]
        return {"kk": self.kk, "ru": self.ru}.get(lang, self.en)


SECTORS: tuple[Sector, ...] = (
    Sector("A", "Ауыл, орман және балық шаруашылығы", "Сельское, лесное и рыбное хозяйство",
           "Agriculture, forestry and fishing"),
    Sector("B", "Тау-кен өндіру өнеркәсібі және карьерлерді қазу", "Горнодобывающая промышленность и разработка "
           "карьеров", "Mining and quarrying"),
    Sector("C", "Өңдеу өнеркәсібі", "Обрабатывающая промышленность", "Manufacturing"),
    Sector("D", "Электр энергиясымен, газбен, бумен, ыстық сумен және ауаны кондициялаумен жабдықтау",
           "Электроснабжение, подача газа, пара и воздушное кондиционирование",
           "Electricity, gas, steam and air conditioning supply"),
    Sector("E", "Сумен жабдықтау; кәріз жүйесі, қалдықтарды жинауды және таратуды бақылау",
           "Водоснабжение; канализационная система, контроль над сбором и распределением отходов",
           "Water supply; sewerage, waste management and remediation activities"),
    Sector("F", "Құрылыс", "Строительство", "Construction"),
    Sector("G", "Көтерме және бөлшек сауда; автомобильдер мен мотоциклдерді жөндеу",
           "Оптовая и розничная торговля; ремонт автомобилей и мотоциклов",
           "Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    Sector("H", "Көлік және қоймалау", "Транспорт и складирование", "Transportation and storage"),
    Sector("I", "Тұру және тамақтану бойынша қызметтер", "Предоставление услуг по проживанию и питанию",
           "Accommodation and food service activities"),
    Sector("J", "Ақпарат және байланыс", "Информация и связь", "Information and communication"),
    Sector("K", "Қаржы және сақтандыру қызметі", "Финансовая и страховая деятельность",
           "Financial and insurance activities"),
    Sector("L", "Жылжымайтын мүлікпен операциялар", "Операции с недвижимым имуществом", "Real estate activities"),
    Sector("M", "Кәсіби, ғылыми және техникалық қызмет", "Профессиональная, научная и техническая деятельность",
           "Professional, scientific and technical activities"),
    Sector("N", "Әкімшілік және қосалқы қызмет көрсету саласындағы қызмет",
           "Деятельность в области административного и вспомогательного обслуживания",
           "Administrative and support service activities"),
    Sector("O", "Мемлекеттік басқару және қорғаныс; міндетті әлеуметтік қамсыздандыру",
           "Государственное управление и оборона; обязательное социальное обеспечение",
           "Public administration and defence; compulsory social security"),
    Sector("P", "Білім беру", "Образование", "Education"),
    Sector("Q", "Денсаулық сақтау және әлеуметтік қызметтер", "Здравоохранение и социальные услуги",
           "Human health and social work activities"),
    Sector("R", "Өнер, ойын-сауық және демалыс", "Искусство, развлечения и отдых", "Arts, entertainment and recreation"),
    Sector("S", "Өзге де қызмет түрлерін ұсыну", "Предоставление прочих видов услуг", "Other service activities"),
    Sector("T", "Үй шаруашылықтарының жалдаушы ретіндегі қызметі; үй шаруашылықтарының өз тұтынуы үшін тауарлар "
           "өндіру және қызметтер көрсету жөніндегі сараланбаған қызметі",
           "Деятельность домашних хозяйств, нанимающих домашнюю прислугу и производящих товары и услуги для "
           "собственного потребления",
           "Activities of households as employers; undifferentiated goods- and services-producing activities of "
           "households for own use"),
    Sector("U", "Экстерриториялық ұйымдар мен органдардың қызметі", "Деятельность экстерриториальных организаций "
           "и органов", "Activities of extraterritorial organisations and bodies"),
)

BY_CODE: dict[str, Sector] = {s.code: s for s in SECTORS}
CODES: tuple[str, ...] = tuple(BY_CODE)


def is_sector(code: str) -> bool:
    return code in BY_CODE


def sector_name(code: str, language: str | None) -> str:
    """The section's name in the language (kk, ru or en); the code itself when it is not a section."""
    sector = BY_CODE.get(code)
    return sector.name(language) if sector else code
