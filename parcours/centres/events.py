"""The kinds of fact centres and assisted returns record (see parcours/facts/README.md).

`centres.stay_begun` and `avr.departed` are counted by the logframe (OS1.assisted,
OS1.centres_functional, OS1.avr): their values are part of the results' definitions."""

import enum

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parcours.facts.kinds import Sensitivity, register


class CentreEvent(enum.StrEnum):
    STAY_BEGUN = "centres.stay_begun"
    STAY_ENDED = "centres.stay_ended"
    SERVICE_RECEIVED = "centres.service_received"
    CARE_RECEIVED = "centres.care_received"
    PROTECTION_NOTED = "centres.protection_noted"
    FAMILY_TRACING = "centres.family_tracing"


class AvrEvent(enum.StrEnum):
    REQUESTED = "avr.requested"
    CONSENTED = "avr.consented"
    REFUSED = "avr.refused"
    DOCUMENT_REQUESTED = "avr.document_requested"
    DOCUMENT_OBTAINED = "avr.document_obtained"
    BOOKED = "avr.booked"
    NO_SHOW = "avr.no_show"
    DEPARTED = "avr.departed"
    HANDED_OVER = "avr.handed_over"
    BEST_INTEREST = "avr.best_interest"


def _choice(model_choices, value: str) -> str:
    return str(dict(model_choices).get(value, value))


def _centre(data: dict) -> str:
    # A centre for victims of trafficking is never named on a programme-level line.
    return gettext("a protected centre") if data.get("protected") else data.get("centre", "")


def _stay_begun(data: dict) -> str:
    return gettext("Entered %(centre)s") % {"centre": _centre(data)}


def _stay_ended(data: dict) -> str:
    from .models import Stay

    return gettext("Left %(centre)s: %(reason)s") % {
        "centre": _centre(data), "reason": _choice(Stay.ExitReason.choices, data.get("reason", ""))}


def _service(data: dict) -> str:
    from .models import ServiceKind

    return gettext("Received in the centre: %(service)s") % {
        "service": _choice(ServiceKind.choices, data.get("service", ""))}


def _protection(data: dict) -> str:
    parts = []
    if data.get("trafficking_victim"):
        parts.append(gettext("victim of trafficking"))
    if data.get("unaccompanied_minor"):
        parts.append(gettext("unaccompanied or separated minor"))
    return gettext("Identified at entry: %(what)s") % {"what": ", ".join(parts) or "—"}


def _mode(data: dict) -> str:
    from .models import Departure

    return _choice(Departure.Mode.choices, data.get("mode", ""))


def _document(data: dict) -> str:
    from .models import TravelDocumentType

    return gettext("Travel document obtained: %(type)s %(number)s") % {
        "type": _choice(TravelDocumentType.choices, data.get("type", "")), "number": data.get("number", "")}


def _tracing(data: dict) -> str:
    from .models import TracingStep

    return gettext("Family tracing: %(step)s") % {"step": _choice(TracingStep.Step.choices, data.get("step", ""))}


def _best_interest(data: dict) -> str:
    if data.get("in_best_interest"):
        return gettext("Best-interest determination: return is in the child's best interest")
    return gettext("Best-interest determination: return is not in the child's best interest")


def register_kinds() -> None:
    PROGRAMME, PROTECTION = Sensitivity.PROGRAMME, Sensitivity.PROTECTION
    register(CentreEvent.STAY_BEGUN, label=_stay_begun, sensitivity=PROGRAMME)
    register(CentreEvent.STAY_ENDED, label=_stay_ended, sensitivity=PROGRAMME)
    register(CentreEvent.SERVICE_RECEIVED, label=_service, sensitivity=PROGRAMME)
    register(CentreEvent.CARE_RECEIVED, label=_service, sensitivity=PROTECTION)
    register(CentreEvent.PROTECTION_NOTED, label=_protection, sensitivity=PROTECTION)
    register(CentreEvent.FAMILY_TRACING, label=_tracing, sensitivity=PROTECTION)
    register(AvrEvent.BEST_INTEREST, label=_best_interest, sensitivity=PROTECTION)
    register(AvrEvent.REQUESTED, label=_("Asked for assisted voluntary return to %(destination)s"),
             sensitivity=PROGRAMME)
    register(AvrEvent.CONSENTED, label=_("Consented to return"), sensitivity=PROGRAMME)
    register(AvrEvent.REFUSED, label=_("Refused to return"), sensitivity=PROGRAMME)
    register(AvrEvent.DOCUMENT_REQUESTED, label=_("Travel document requested from the embassy of %(destination)s"),
             sensitivity=PROGRAMME)
    register(AvrEvent.DOCUMENT_OBTAINED, label=_document, sensitivity=PROGRAMME)
    register(AvrEvent.BOOKED, label=lambda d: gettext("Booked on a departure to %(destination)s (%(mode)s)") % {
        "destination": d.get("destination", ""), "mode": _mode(d)}, sensitivity=PROGRAMME)
    register(AvrEvent.NO_SHOW, label=_("Did not show up for the departure"), sensitivity=PROGRAMME)
    register(AvrEvent.DEPARTED, label=lambda d: gettext("Returned home to %(destination)s (%(mode)s)") % {
        "destination": d.get("destination", ""), "mode": _mode(d)}, sensitivity=PROGRAMME)
    register(AvrEvent.HANDED_OVER, label=_("Handed over to %(mission)s"), sensitivity=PROGRAMME)
