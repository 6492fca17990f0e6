"""Fail when a French catalogue has an untranslated or fuzzy message, or was not compiled.

French is the first language: every string a user can see must exist in French."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def problems(path: Path) -> list[str]:
    catalogue = polib.pofile(str(path))
    out = [f"{path}: untranslated: {e.msgid!r}" for e in catalogue.untranslated_entries()]
    out += [f"{path}: fuzzy: {e.msgid!r}" for e in catalogue.fuzzy_entries()]
    mo = path.with_suffix(".mo")
    if not mo.exists():
        out.append(f"{path}: not compiled (run make messages)")
    else:
        compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(mo))}
        stale = [e.msgid for e in catalogue.translated_entries()
                 if compiled.get((e.msgctxt, e.msgid)) != (e.msgstr or e.msgstr_plural)]
        if stale:
            out.append(f"{path}: .mo is older than .po for {len(stale)} message(s) (run make messages)")
    return out


def main() -> int:
    found = [p for po in sorted(ROOT.glob("parcours/*/locale/fr/LC_MESSAGES/*.po")) for p in problems(po)]
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} translation problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
