"""Regenerate koshiqon/reference/data/countries.csv from pycountry (ISO 3166-1) and Babel (Unicode CLDR names).

Usage, from the repository root:

    .venv/bin/python scripts/build_countries.py           # rewrite the file
    .venv/bin/python scripts/build_countries.py --check   # exit 1 if the file differs from what would be written

Every country that pycountry lists gets a row: ISO alpha-2, alpha-3 and numeric codes, and its name in Kazakh,
Russian and English from CLDR (`babel.Locale(lang).territories[alpha2]`). Where CLDR has no name in a language,
the English ISO name from pycountry is used and the language is listed in the `fallback` column; the script
prints how many names fell back. Membership of the Eurasian Economic Union (Treaty of 29 May 2014) is added
from EAEU_MEMBER_SINCE below. Review the diff before committing: the file is data the system ships.
"""

import argparse
import csv
import io
import sys
from pathlib import Path

import babel
import pycountry

OUTPUT = Path(__file__).resolve().parent.parent / "koshiqon" / "reference" / "data" / "countries.csv"
LANGUAGES = ("kk", "ru", "en")
HEADER = ["alpha2", "alpha3", "numeric", "name_kk", "name_ru", "name_en", "eaeu_member_since", "fallback"]

# Founding members from the Treaty's entry into force; Armenia and Kyrgyzstan by their accession treaties.
EAEU_MEMBER_SINCE = {
    "BY": "2015-01-01",
    "KZ": "2015-01-01",
    "RU": "2015-01-01",
    "AM": "2015-01-02",
    "KG": "2015-08-12",
}


def build_rows() -> tuple[list[list[str]], int]:
    """The rows of countries.csv, sorted by alpha-2, and how many names fell back to English."""
    territories = {lang: babel.Locale(lang).territories for lang in LANGUAGES}
    rows, fallbacks = [], 0
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        names, fell_back = {}, []
        for lang in LANGUAGES:
            name = territories[lang].get(country.alpha_2)
            if not name:
                name = country.name
                fell_back.append(lang)
            names[lang] = name
        fallbacks += len(fell_back)
        rows.append(
            [
                country.alpha_2,
                country.alpha_3,
                country.numeric,
                names["kk"],
                names["ru"],
                names["en"],
                EAEU_MEMBER_SINCE.get(country.alpha_2, ""),
                " ".join(fell_back),
            ]
        )
    return rows, fallbacks


def render(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    args = parser.parse_args(argv)
    rows, fallbacks = build_rows()
    text = render(rows)
    versions = f"pycountry {getattr(pycountry, '__version__', '?')}, Babel {babel.__version__}"
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print(f"{OUTPUT.name}: {'up to date' if same else 'differs'} ({versions})")
        return 0 if same else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(rows)} countries to {OUTPUT} ({versions}); {fallbacks} names fell back to English")
    return 0


if __name__ == "__main__":
    sys.exit(main())
