"""`parcours export WHAT`: each domain registers what it can export, so the one command knows
no domain. An exporter takes the acting user, the format and the command's options, checks the
user's right itself (through its service) and returns the bytes and how many rows it wrote."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Exporter:
    name: str
    formats: tuple[str, ...]
    run: Callable[..., tuple[bytes, int]]  # run(by=user, fmt=..., **options) -> (data, rows)
    # Exports that name people need `--as USER`; aggregates may run as the server's operator.
    needs_user: bool = True


EXPORTERS: dict[str, Exporter] = {}


def register_exporter(name: str, *, formats: tuple[str, ...], run, needs_user: bool = True) -> None:
    EXPORTERS[name] = Exporter(name, formats, run, needs_user)
