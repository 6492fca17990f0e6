"""`parcours import WHAT FILE --as USER`: each domain registers what it can import, so the one
command knows no domain. An importer takes the acting user, the file's bytes and name and the
command's options (`flight`, `point`…), checks the user's right itself (through its service) and
returns its report: {"created", "already_present", "rows", "errors": [{"row", "field",
"messages"}], "message"}; every row is checked before anything is written."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Importer:
    name: str
    run: Callable[..., dict]  # run(by=user, content=bytes, filename=str, **options) -> report
    # The command's options this importer needs ("flight") or may take ("point").
    required: tuple[str, ...] = ()


IMPORTERS: dict[str, Importer] = {}
OPTIONS = {"flight": "manifest reference (keys the rows for re-runs): import people",
           "point": "the point's code, for rows without a point column: import flows"}


def register_importer(name: str, *, run, required: tuple[str, ...] = ()) -> None:
    IMPORTERS[name] = Importer(name, run, required)
