"""What people call the fields a refusal names. A message shown to a person names the field by
its label ("Cost (XOF)"), never by its internal name (`cost_xof`): a form gives its own labels;
for fields a service names by hand, this list (domains may add theirs in AppConfig.ready())."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS: dict[str, object] = {
    "activity": _("Activity"), "agency": _("Agency"), "amount_xof": _("Amount (XOF)"), "answers": _("Answers"),
    "assisted_from": _("Assisted from"), "capacity": _("Capacity"), "case": _("Case"), "centre": _("Centre"),
    "channel": _("Payment channel"), "code": _("Code"), "commune": _("Commune"),
    "consent_to_return": _("Consent to return"), "cost_xof": _("Cost (XOF)"), "criteria": _("Criteria"),
    "days": _("Days of attendance"), "decided_on": _("Date of the decision"), "decision": _("Decision"),
    "definition": _("Definition"), "departed_on": _("Date of departure"), "destination": _("Destination"),
    "entered_on": _("Date of entry"), "entry": _("Ledger entry"), "entry_point": _("Entry point"),
    "file": _("File"), "form": _("Questionnaire"), "from": _("From"), "given_on": _("Date"),
    "handed_over_on": _("Date of hand-over"), "left_on": _("Date of exit"), "members": _("Members"),
    "month": _("Month"), "note": _("Note"), "on": _("Date"), "organiser": _("Organiser"), "page": _("Page"),
    "page_size": _("Page size"), "paid_on": _("Date of payment"), "passenger": _("Passenger"),
    "period": _("Month paid"), "period_start": _("Start of the period"), "person": _("Person"),
    "person_id": _("Person"), "point": _("Flow monitoring point"), "proof_reference": _("Proof reference"),
    "provider": _("Provider"), "reason": _("Reason"), "referral": _("Referral"), "satisfaction": _("Satisfaction"),
    "scheme": _("Scheme"), "scheme_code": _("Assistance scheme"), "service": _("Service"),
    "services": _("Services"), "status": _("Status"), "survivor": _("Record to keep"), "to": _("Assign to"),
    "to_status": _("New status"), "tranche": _("Tranche"), "travel_document": _("Travel document"),
    "type": _("Document type"), "valid_from": _("Valid from"), "value": _("Value"), "version": _("Version"),
    "visited_on": _("Date of the visit"), "xml_submission_file": _("Submission file"),
}


def field_label(name: str, labels: dict | None = None) -> str | None:
    """The label people know a field by: the form's own, else this list's; None when there is
    none (the message is then shown alone, never with the internal name)."""
    if name in ("non_field", "__all__", ""):
        return None
    label = (labels or {}).get(name) or FIELD_LABELS.get(name)
    return str(label) if label else None
