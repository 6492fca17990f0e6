"""Job kinds: each domain registers the plain function that does the work.

A handler is `handler(job, progress) -> dict`; `progress(done, total)` saves how far it got."""

from collections.abc import Callable

HANDLERS: dict[str, Callable] = {}
# Who may start each kind (role sets from parcours.accounts.roles).
ALLOWED: dict[str, set] = {}
# What people call each kind (a lazy translation).
LABELS: dict[str, object] = {}


def register(kind: str, *, roles: set, label=None):
    def wrap(fn):
        HANDLERS[kind] = fn
        ALLOWED[kind] = roles
        LABELS[kind] = label or kind
        return fn

    return wrap
