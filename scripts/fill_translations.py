"""Fill French catalogues from a Python dict file (FR = {msgid: msgstr}, PLURAL = {msgid: [one, many]}),
then the caller compiles with `make messages`. A developer's convenience for translating in bulk."""

import runpy
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(source: str) -> None:
    data = runpy.run_path(source)
    singles, plurals = data.get("FR", {}), data.get("PLURAL", {})
    for path in sorted(ROOT.glob("parcours/*/locale/fr/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(path))
        changed = 0
        for entry in catalogue:
            if "fuzzy" in entry.flags:
                # gettext's fuzzy guesses are usually wrong: start from scratch.
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "") if entry.msgid_plural else {}
                entry.previous_msgid = None
                changed += 1
            if entry.msgid_plural and entry.msgid in plurals and not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = dict(enumerate(plurals[entry.msgid]))
                changed += 1
            elif not entry.msgid_plural and not entry.msgstr and entry.msgid in singles:
                entry.msgstr = singles[entry.msgid]
                changed += 1
        header_fuzzy = "fuzzy" in (catalogue.metadata_is_fuzzy or [])
        if header_fuzzy or catalogue.metadata_is_fuzzy:
            catalogue.metadata_is_fuzzy = False
            catalogue.metadata["Language"] = "fr"
            changed += 1
        if changed:
            catalogue.save()
            print(f"{path.relative_to(ROOT)}: {changed} filled")


if __name__ == "__main__":
    main(sys.argv[1])
