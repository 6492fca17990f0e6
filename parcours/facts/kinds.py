"""The registry of fact kinds. Each domain declares its kinds in its own `facts.py` as a
`StrEnum` (one member per kind, so a grep finds every writer and reader) and registers each
with a label and a sensitivity; the facts layer knows no domain by name."""

import enum
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


class Sensitivity(enum.IntEnum):
    """Who may read a fact about a person (its timeline line, its panel).

    PUBLIC: whoever may see the person (registration, consent, a referral's status).
    PROGRAMME: the programme's own staff, not a service provider that only received a
      referral (amounts paid, reversals, case steps).
    PROTECTION: the protection readers only (screening, best interest, trafficking)."""

    PUBLIC = 0
    PROGRAMME = 1
    PROTECTION = 2


Label = Promise | str | Callable[[dict], str]


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: Label
    sensitivity: Sensitivity
    person_required: bool


REGISTRY: dict[str, KindSpec] = {}


def register(kind: str, *, label: Label, sensitivity: Sensitivity = Sensitivity.PROGRAMME,
             person_required: bool = True) -> None:
    """Declare a kind of fact. Call from the domain's `AppConfig.ready()`.

    `label` is a lazy format string over the fact's data ("Paid %(amount)s XOF") or a function
    of the data."""
    REGISTRY[str(kind)] = KindSpec(str(kind), label, Sensitivity(sensitivity), person_required)


def spec(kind: str) -> KindSpec:
    try:
        return REGISTRY[str(kind)]
    except KeyError:
        raise LookupError(f"Fact kind {kind!r} is not registered (parcours.facts.kinds.register)") from None


def kinds_up_to(level: Sensitivity) -> list[str]:
    return [k for k, s in REGISTRY.items() if s.sensitivity <= level]


def counted(singular_plural, key: str):
    """A label whose noun agrees with the number `data[key]` ("1 day", "3 days"):
    `counted(lambda n: ngettext("… %(days)s day", "… %(days)s days", n), "days")`."""

    def label(data: dict) -> str:
        try:
            n = int(data.get(key) or 0)
        except (TypeError, ValueError):
            n = 0
        return singular_plural(n) % _Blank(data)

    return label


class _Blank(dict):
    def __missing__(self, key):
        return ""


def label_of(kind: str, data: dict) -> str:
    """The fact as a person reads it, in the active language."""
    entry = REGISTRY.get(kind)
    if entry is None:
        return kind
    if callable(entry.label) and not isinstance(entry.label, Promise):
        return str(entry.label(data))
    try:
        return str(entry.label) % _Blank(data)
    except (TypeError, ValueError):
        return str(entry.label)
