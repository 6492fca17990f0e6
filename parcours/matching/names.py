"""Name equivalence: the groups in data/name_groups.csv say which spellings are one name
(Mamadou/Mahamadou/Mohamed, Coulibaly/Kulibali…); a phonetic skeleton catches the rest."""

import csv
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .normalize import clean, tokens

DATA = Path(__file__).parent / "data" / "name_groups.csv"

_groups: dict[str, str] = {}


def load_groups(rows: Iterable[Iterable[str]] | None = None) -> dict[str, str]:
    """Install name groups: each row is [canonical, variant, ...]. Without rows, the shipped file.
    A later database table of groups can feed this function too."""
    global _groups
    if rows is None:
        with open(DATA, encoding="utf-8") as fh:
            rows = list(csv.reader(line for line in fh if line.strip() and not line.startswith("#")))
    mapping: dict[str, str] = {}
    for row in rows:
        names = [clean(n) for n in row if clean(n)]
        if not names:
            continue
        for name in names:
            mapping.setdefault(name, names[0])
    _groups = mapping
    canonical.cache_clear()
    _near_group.cache_clear()
    canonical_name.cache_clear()
    return mapping


@lru_cache(maxsize=200_000)
def canonical(token: str) -> str:
    """The group a single name belongs to; itself when it belongs to none."""
    if not _groups:
        load_groups()
    return _groups.get(token) or _near_group(token) or token


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=200_000)
def _near_group(token: str) -> str:
    """The group of the one listed name a single keystroke away (a letter dropped, doubled, replaced
    or two swapped: "Moohamed", "Hasssane", "Mahamed"), so that a typo in a known name stays in its
    group; "" when none or when two groups are that close. Short names are left alone: one letter
    makes another name there (Awa, Ami)."""
    if len(token) < 4:
        return ""
    edits = {token[:i] + token[i + 1:] for i in range(len(token))}
    edits |= {token[:i] + token[i + 1] + token[i] + token[i + 2:] for i in range(len(token) - 1)}
    for i in range(len(token) + 1):
        for c in _LETTERS:
            edits.add(token[:i] + c + token[i:])
            if i < len(token):
                edits.add(token[:i] + c + token[i + 1:])
    found = {_groups[e] for e in edits if e in _groups and len(e) >= 4}
    return found.pop() if len(found) == 1 else ""


@lru_cache(maxsize=200_000)
def canonical_name(text: str | None) -> str:
    """Every token of a (possibly compound) name replaced by its group: "Mahamadou Lamine" → "mamadou lassana"."""
    if not _groups:
        load_groups()
    whole = clean(text)
    if whole in _groups:
        return _groups[whole]
    return " ".join(canonical(t) for t in tokens(text))


_RULES = [
    (re.compile(r"ph"), "f"), (re.compile(r"dj|dz"), "j"), (re.compile(r"qu|q|ck|c(?=[aou])|k"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"), (re.compile(r"ou|w"), "u"), (re.compile(r"y"), "i"), (re.compile(r"h"), ""),
    (re.compile(r"e(?=\b)|eh\b"), ""), (re.compile(r"z"), "s"), (re.compile(r"x"), "ks"),
    (re.compile(r"(.)\1+"), r"\1"),
]


@lru_cache(maxsize=200_000)
def skeleton(text: str | None) -> str:
    """A phonetic key tuned for French spellings of West-African names: Coulibaly and Kulibali,
    Cissoko and Sissoko... agree on it ("kulibali", "sisoko")."""
    out = []
    for token in tokens(text):
        key = token
        for pattern, repl in _RULES:
            key = pattern.sub(repl, key)
        key = key.replace("c", "s")
        out.append(key)
    return " ".join(out)
