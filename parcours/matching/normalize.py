"""Text normalisation for names, phones and documents. Plain functions, cached: the same few
thousand names recur millions of times in a registry."""

import re
from functools import lru_cache

import phonenumbers
from unidecode import unidecode

# Particles and titles that are part of how a name is written, not of who the person is.
PARTICLES = frozenset({"ould", "ag", "ben", "bin", "ibn", "el", "al", "dit", "de", "du", "la", "le", "elhadj",
                       "el hadj", "hadji", "mme", "mr", "m"})
_NON_LETTERS = re.compile(r"[^a-z ]+")


@lru_cache(maxsize=200_000)
def clean(text: str | None) -> str:
    """Lower case, no accents, letters and single spaces only: "Keïta-Diallo" → "keita diallo"."""
    if not text:
        return ""
    text = unidecode(str(text)).casefold().replace("-", " ").replace("'", " ")
    return " ".join(_NON_LETTERS.sub(" ", text).split())


_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")


@lru_cache(maxsize=200_000)
def clean_text(text) -> str:
    """Free text such as an address or a postcode: like `clean` but digits kept."""
    if text is None or text == "":
        return ""
    text = unidecode(str(text)).casefold().replace("-", " ")
    return " ".join(_NON_ALNUM.sub(" ", text).split())


@lru_cache(maxsize=200_000)
def tokens(text: str | None) -> tuple[str, ...]:
    return tuple(t for t in clean(text).split() if t not in PARTICLES and len(t) > 1) or tuple(clean(text).split())


@lru_cache(maxsize=200_000)
def phone_digits(raw: str | None, region: str = "ML") -> str:
    """E.164 digits of a phone number, '' when it cannot be a phone number."""
    if not raw:
        return ""
    text = str(raw).strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        digits = re.sub(r"\D", "", text)
        return digits if len(digits) >= 8 else ""
    return f"{number.country_code}{number.national_number}"


def document(raw: str | None) -> str:
    """Identity document number without spaces, dashes or case: "lp 12-34" → "LP1234"."""
    return re.sub(r"[^0-9A-Za-z]", "", str(raw or "")).upper()
