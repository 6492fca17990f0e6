"""Job kinds: each domain registers the plain function that does the work.

A handler is `handler(job, progress) -> dict`; `progress(done, total)` saves how far it got.
`allowed(user) -> bool` is the domain's policy function deciding who may start the kind (asked
when the job is started, so the page can say no at once, and again when it runs); the service
the handler calls checks the same rule itself.

`retry_safe=True` declares that running the job again after its worker died in the middle does no
harm (it writes all or nothing, and a second run skips what a first one finished): such a job is
started again by the reaper (parcours.jobs.reaper); any other kind is marked failed instead."""

from collections.abc import Callable

HANDLERS: dict[str, Callable] = {}
# Who may start each kind: a policy function of the domain (e.g. `can_import_people`).
ALLOWED: dict[str, Callable[[object], bool]] = {}
# What people call each kind (a lazy translation).
LABELS: dict[str, object] = {}
# Kinds that may be run again after a crash.
RETRY_SAFE: set[str] = set()


def register(kind: str, *, allowed: Callable[[object], bool], label=None, retry_safe: bool = False):
    def wrap(fn):
        HANDLERS[kind] = fn
        ALLOWED[kind] = allowed
        LABELS[kind] = label or kind
        if retry_safe:
            RETRY_SAFE.add(kind)
        return fn

    return wrap


def may_start(user, kind: str) -> bool:
    return kind in HANDLERS and bool(ALLOWED[kind](user))
