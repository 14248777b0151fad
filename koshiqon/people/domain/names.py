"""Names across scripts: Kazakh and Russian Cyrillic, passport Latin and the 2021 Kazakh Latin alphabet.

One person's name reaches the registry in several spellings: "Жанар Әбдіқадырова" in the civil register,
"ZHANAR ABDIKADYROVA" in the passport, "Janar Äbdıqadyrova" in the Latin alphabet of the Presidential decree
on moving the Kazakh alphabet to the Latin script (26 October 2017, amended in 2018; the revised letters
presented in January 2021).
Matching people across records (duplicate detection, search) therefore compares names through a coarse
phonetic skeleton that all those spellings share, not through their letters.

`latin_from_cyrillic` gives the Latin form Kazakhstan's passports print (ICAO Doc 9303 Part 3 transliteration
as practised in Kazakhstan: Ж ZH, Х KH, Ц TS, Ч CH, Ш SH, Щ SHCH, Ю YU, Я YA, Й and Ы Y, the Kazakh letters
reduced to their base letter, Ё as E, Е after a vowel or at the start of a word YE, and С between vowels
SS so that it is not read as Z). Officers may correct it: a person can have a different spelling entered
on request.
"""

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

# Lower-case Cyrillic (Kazakh, Russian, and the Central Asian neighbours' extra letters) to plain Latin.
# Letters with diacritics that Unicode decomposes (ё, ї, ў, ӣ, ӯ) arrive here as their base letter.
_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "ґ": "g", "д": "d", "е": "e", "є": "ye",
    "ж": "zh", "җ": "zh", "з": "z", "и": "i", "і": "i", "ј": "j", "к": "k", "қ": "k", "л": "l", "м": "m",
    "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "ҳ": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ҷ": "j", "џ": "dzh",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
# Cyrillic whose diacritic matters to the skeleton must be read before the diacritics are dropped.
_CYRILLIC_BEFORE_DECOMPOSITION = {"й": "y"}

# Latin letters whose diacritic changes the sound (Turkish-style Ş, Ç; ISO 9 Š, Č, Ž) or that Unicode
# does not decompose (ı, ł, ø...). Everything else loses its accent: Ä, Ö, Ü, Ū, Ğ, Ñ become a, o, u, u, g, n.
_LATIN_SPECIAL = {
    "ş": "sh", "ș": "sh", "š": "sh", "ŝ": "sh", "ç": "ch", "č": "ch", "ĉ": "ch", "ž": "zh", "ţ": "ts",
    "ț": "ts", "ı": "i", "ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ŋ": "n",
}

# Spelling variants of one sound, longest first; "ch" maps to itself so that its "c" is not read as K.
_LATIN_RULES = {
    "shch": "sh", "dzh": "j", "sch": "sh", "zh": "j", "dj": "j", "kh": "h", "gh": "g", "ph": "f",
    "ch": "ch", "ck": "k", "tz": "ts", "ye": "e", "yo": "e", "ya": "ia", "yu": "iu", "x": "ks", "w": "v",
    "q": "k", "c": "k", "y": "i",
}
_LATIN_PATTERN = re.compile("|".join(sorted(_LATIN_RULES, key=len, reverse=True)))
_DOUBLED = re.compile(r"(.)\1+")
_SEPARATORS = frozenset("-‐‑‒–—―_/\\,.;:<()[]{}|+&")


# Names repeat a great deal (a million people share a few thousand names), so skeletons are cached.
@lru_cache(maxsize=65536)
def skeleton(text: str) -> str:
    """A coarse phonetic Latin skeleton of a name or phrase: lower case, tokens joined by single spaces.

    Spellings of one name in Kazakh or Russian Cyrillic, passport Latin or the 2021 Kazakh Latin alphabet
    give the same skeleton: Ә/Ä→a, Ө/Ö→o, Қ/Q→k, Ғ/Ğ/GH→g, Ң/Ñ→n, Ұ/Ү/Ū/Ü→u, І/Ы/И/Й/Y/ı→i, Х/KH/H→h,
    Ж/ZH/DZH/J→j, Ш/Ş/Щ/SHCH→sh, Ч/Ç→ch, Ю/YU→iu, Я/YA→ia, Ё/YO/Е/YE/Э→e; soft and hard signs and
    apostrophes vanish, hyphens and other separators split tokens, doubled letters collapse (Khassenov and
    Хасенов both give "hasenov"). Letters of other scripts are kept as they are.
    """
    text = unicodedata.normalize("NFC", text).casefold()
    text = "".join(_CYRILLIC_BEFORE_DECOMPOSITION.get(c) or _LATIN_SPECIAL.get(c) or c for c in text)
    text = unicodedata.normalize("NFKD", text).casefold()
    chars: list[str] = []
    for char in text:
        if unicodedata.combining(char):
            continue
        if char in _CYRILLIC:
            chars.append(_CYRILLIC[char])
        elif char in _LATIN_SPECIAL:
            chars.append(_LATIN_SPECIAL[char])
        elif "a" <= char <= "z":
            chars.append(char)
        elif char.isspace() or char in _SEPARATORS:
            chars.append(" ")
        elif char.isalpha() and _is_stable_letter(char):
            chars.append(char)
        # Anything else (digits, apostrophes, symbols) carries no sound of a name.
    tokens = (_fold_token(token) for token in "".join(chars).split())
    return " ".join(token for token in tokens if token)


def _is_stable_letter(char: str) -> bool:
    # A letter of another script is kept only if a second pass would keep it unchanged.
    return (
        unicodedata.normalize("NFKD", char) == char
        and char.casefold() == char
        and char not in _CYRILLIC
        and char not in _CYRILLIC_BEFORE_DECOMPOSITION
        and char not in _LATIN_SPECIAL
    )


def _fold_token(token: str) -> str:
    # Rules can create new doubles and digraphs ("ddzh" -> "dj"), so apply them until nothing changes.
    for _ in range(len(token) + 1):
        folded = _DOUBLED.sub(r"\1", token)
        folded = _LATIN_PATTERN.sub(lambda m: _LATIN_RULES[m.group(0)], folded)
        folded = _DOUBLED.sub(r"\1", folded)
        if folded == token:
            break
        token = folded
    return token


def skeleton_tokens(*parts: str) -> list[str]:
    """The skeleton tokens of all parts, de-duplicated and sorted."""
    tokens: set[str] = set()
    for part in parts:
        if part:
            tokens.update(skeleton(part).split())
    return sorted(tokens)


def name_key(*parts: str) -> str:
    """The searchable key of one person: the skeleton tokens of every spelling of every name part.

    Stored on the person; a search for any spelling of any part finds it by looking for each of the
    query's skeleton tokens in the key.
    """
    return " ".join(skeleton_tokens(*parts))


def name_similarity(a: str, b: str) -> float:
    """How alike two full names are (0-100), whatever scripts and word order they are written in.

    The score is the better of the token-sort ratio of the skeletons and a token-by-token alignment; the
    alignment lets a name without its patronymic ("Zhanar Abdikadyrov" against "Абдикадыров Жанар
    Серикович") score high, at 5 points per unmatched word, but only when the shorter name has at least
    two words, so that a given name alone does not match everyone who bears it.
    """
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return 0.0
    score = float(fuzz.token_sort_ratio(sa, sb))
    ta, tb = sa.split(), sb.split()
    if min(len(ta), len(tb)) >= 2:
        score = max(score, _aligned_score(ta, tb), _aligned_score(tb, ta))
    return round(score, 2)


def _aligned_score(ta: list[str], tb: list[str]) -> float:
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    pairs = sorted(
        ((fuzz.ratio(s, t), i, j) for i, s in enumerate(short) for j, t in enumerate(long_)), reverse=True
    )
    used_short: set[int] = set()
    used_long: set[int] = set()
    total = weight = 0.0
    for ratio, i, j in pairs:
        if i in used_short or j in used_long:
            continue
        used_short.add(i)
        used_long.add(j)
        pair_weight = max(len(short[i]), len(long_[j]))
        total += ratio * pair_weight
        weight += pair_weight
    return (total / weight) * 0.95 ** (len(long_) - len(short))


# Kazakhstan's passport transliteration (see the module docstring).
_PASSPORT = {
    "а": "A", "ә": "A", "б": "B", "в": "V", "г": "G", "ғ": "G", "д": "D", "е": "E", "ё": "E", "ж": "ZH",
    "з": "Z", "и": "I", "й": "Y", "і": "I", "к": "K", "қ": "K", "л": "L", "м": "M", "н": "N", "ң": "N",
    "о": "O", "ө": "O", "п": "P", "р": "R", "с": "S", "т": "T", "у": "U", "ұ": "U", "ү": "U", "ф": "F",
    "х": "KH", "һ": "H", "ц": "TS", "ч": "CH", "ш": "SH", "щ": "SHCH", "ъ": "", "ы": "Y", "ь": "",
    "э": "E", "ю": "YU", "я": "YA",
}
_VOWELS = frozenset("аәеёиіоөуұүыэюя")
_SIGNS = frozenset("ъь")


def latin_from_cyrillic(text: str) -> str:
    """The upper-case Latin spelling a Kazakhstan passport gives a Cyrillic name ("Жанар" -> "ZHANAR").

    Characters that are not Cyrillic letters are kept (upper-cased), so Latin input passes through.
    """
    text = unicodedata.normalize("NFC", text)
    # Lower-cased one character at a time: a whole-string lower() can change the length ("İ").
    lower = [char.lower() for char in text]
    out: list[str] = []
    for i, char in enumerate(lower):
        if char not in _PASSPORT:
            out.append(text[i].upper())
            continue
        before = lower[i - 1] if i > 0 else ""
        after = lower[i + 1] if i + 1 < len(lower) else ""
        opens_syllable = not before.isalpha() or before in _VOWELS or before in _SIGNS
        if char == "е" and opens_syllable:
            out.append("YE")
        elif char == "с" and before in _VOWELS and after in _VOWELS:
            out.append("SS")
        else:
            out.append(_PASSPORT[char])
    return "".join(out)


def contains_cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" or "\u0500" <= c <= "\u052f" for c in text)

