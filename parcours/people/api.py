"""People endpoints (CONTRACT.md "People"). Thin: parse, call the service or selector, shape."""

import datetime as dt
import uuid

from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status

from parcours.core.api import ErrorOut, paginate
from parcours.core.inputs import Country, Date, Integer, Text, choice, form_data, required_choice

from . import duplicates, selectors, services
from .models import DocumentType, Education, HouseholdMember, MigrationHistory, Person, ReturnMode, Sex
from .policies import person_background_for_read, person_for_read

router = Router(tags=["people"])

class PersonIn(Schema):
    given_name: Text = None
    family_name: Text = None
    other_names: Text = None
    sex: choice(Sex) = None
    birth_date: Date = None
    birth_year: Integer = None
    age: Integer = Field(None, description="Age in whole years, when neither the date nor the year of birth is known.")
    phone: Text = None
    nationality: Country = None
    origin_region: Text = Field(None, description="A place name of the gazetteer, or kept as written.")
    origin_cercle: Text = None
    origin_commune: Text = None
    id_document_type: choice(DocumentType) = None
    id_document_number: Text = None
    return_date: Date = None
    returned_from: Country = None
    return_mode: choice(ReturnMode) = None
    languages: Text = None
    education: choice(Education) = None
    skills: Text = None
    consent_collection: bool | None = None


class DuplicateOut(Schema):
    id: uuid.UUID
    score: float
    reasons: list[str]
    given_name: str
    family_name: str


class PersonOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    other_names: str
    sex: str
    birth_date: dt.date | None
    birth_year: int | None
    phone: str
    nationality: str
    origin_region: str
    origin_cercle: str
    origin_commune: str
    id_document_type: str
    id_document_number: str
    return_date: dt.date | None
    returned_from: str
    return_mode: str
    origin_as_written: str
    is_minor: bool
    created_at: dt.datetime


class RegistrationOut(PersonOut):
    possible_duplicates: list[DuplicateOut]
    # Things the registration accepted but someone should look at (a place name kept as written).
    warnings: list[str]


class PersonPage(Schema):
    count: int
    count_is_exact: bool
    results: list[PersonOut]
    next: str | None


class DependantIn(Schema):
    relationship: required_choice(HouseholdMember.Relationship)
    given_name: Text = None
    family_name: Text = None
    sex: choice(Sex) = None
    birth_date: Date = None
    birth_year: Integer = None


class DependantOut(Schema):
    id: int
    relationship: str
    given_name: str
    family_name: str
    sex: str
    birth_date: dt.date | None
    birth_year: int | None


class EventOut(Schema):
    kind: str
    label: str
    occurred_at: dt.datetime
    actor: str
    data: dict


def person_out(p: Person) -> dict:
    return {
        "id": p.id, "given_name": p.given_name, "family_name": p.family_name, "other_names": p.other_names,
        "sex": p.sex, "birth_date": p.birth_date, "birth_year": p.birth_year, "phone": p.phone,
        "nationality": str(p.nationality or ""),
        "origin_region": p.origin_region.name if p.origin_region_id else "",
        "origin_cercle": p.origin_cercle.name if p.origin_cercle_id else "",
        "origin_commune": p.origin_commune.name if p.origin_commune_id else "",
        "id_document_type": p.id_document_type, "id_document_number": p.id_document_number,
        "return_date": p.return_date, "returned_from": str(p.returned_from or ""), "return_mode": p.return_mode,
        "origin_as_written": p.origin_as_written,
        "is_minor": p.is_minor_on(timezone.localdate()), "created_at": p.created_at,
    }


def _duplicates_out(candidates) -> list[dict]:
    return [{"id": c.person_id, "score": c.score, "reasons": c.reasons, "given_name": c.given_name,
             "family_name": c.family_name} for c in candidates]


@router.post("", response={201: RegistrationOut, 200: RegistrationOut, 400: ErrorOut, 403: ErrorOut})
def register_person(request, payload: PersonIn):
    """Register a person. Send `Idempotency-Key` to make retries safe: the retry answers 200 with
    the person made the first time. The answer lists `possible_duplicates`, best first."""
    data = form_data(payload, exclude={"consent_collection"})
    result = services.person_register(
        by=request.user, data=data, idempotency_key=request.headers.get("Idempotency-Key", "")[:80],
        consent_collection=payload.consent_collection, language=get_language() or "fr",
    )
    body = {**person_out(result.person), "possible_duplicates": _duplicates_out(result.candidates),
            "warnings": getattr(result.person, "warnings", [])}
    return Status(200 if result.replayed else 201, body)


@router.get("", response={200: PersonPage, 400: ErrorOut})
def list_people(request, q: str = "", region: str = "", sex: choice(Sex) = "", returned_from: str = ""):
    """People the caller may see, newest first; `q` searches names, phone and document number."""
    flt = selectors.PeopleFilter(q=q, region=region, sex=sex, returned_from=returned_from)
    qs = selectors.people_list(request.user, flt).select_related("origin_cercle", "origin_commune")
    return paginate(request, qs, person_out)


@router.get("/candidates", response={200: list[DuplicateOut], 400: ErrorOut})
def candidates(request, given_name: str = "", family_name: str = "", birth_date: Date = "", birth_year: Integer = "",
               phone: str = "", id_document_number: str = "", sex: choice(Sex) = "", return_date: Date = ""):
    """Who may already be registered, for data typed but not yet saved (the registration form
    calls this as the agent types). Invalid fields are ignored here: nothing is written."""
    from .validation import loose_person

    data = loose_person({"given_name": given_name, "family_name": family_name, "birth_date": birth_date,
                         "birth_year": birth_year, "phone": phone, "id_document_number": id_document_number,
                         "sex": sex, "return_date": return_date})
    return _duplicates_out(duplicates.candidates_for(request.user, data, language=get_language() or "fr"))


@router.get("/{person_id}", response={200: PersonOut, 404: ErrorOut})
def get_person(request, person_id: str):
    return person_out(person_for_read(request.user, person_id))


@router.patch("/{person_id}", response={200: PersonOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def update_person(request, person_id: str, payload: PersonIn):
    data = form_data(payload, exclude_unset=True, exclude={"consent_collection"})
    return person_out(services.person_update(by=request.user, person_id=person_id, data=data))


@router.post("/{person_id}/household", response={201: DependantOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def add_dependant(request, person_id: str, payload: DependantIn):
    member = services.household_add(by=request.user, person_id=person_id, data=form_data(payload))
    return Status(201, member)


@router.get("/{person_id}/household", response={200: list[DependantOut], 403: ErrorOut, 404: ErrorOut})
def list_household(request, person_id: str):
    return list(person_background_for_read(request.user, person_id).household.all())


class MigrationIn(Schema):
    left_on: Date = None
    route: Text = None
    transit_countries: Text = None
    destination_country: Country = None
    duration_months: Integer = None
    reason: choice(MigrationHistory.Reason) = None
    debt_xof: Integer = None


class MigrationOut(Schema):
    id: int
    left_on: dt.date | None
    route: str
    transit_countries: str
    destination_country: str
    duration_months: int | None
    reason: str
    debt_xof: int | None

    @staticmethod
    def resolve_destination_country(obj) -> str:
        return str(obj.destination_country or "")


class DocumentIn(Schema):
    type: required_choice(DocumentType)
    number: Text = None
    issuing_country: Country = None
    expires_on: Date = None


class DocumentOut(Schema):
    id: int
    type: str
    number: str
    issuing_country: str
    expires_on: dt.date | None

    @staticmethod
    def resolve_issuing_country(obj) -> str:
        return str(obj.issuing_country or "")


@router.post("/{person_id}/migrations", response={201: MigrationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def add_migration(request, person_id: str, payload: MigrationIn):
    """Record a migration: route, transit, destination, duration, reason, debt for the journey."""
    return Status(201, services.migration_add(by=request.user, person_id=person_id, data=form_data(payload)))


@router.get("/{person_id}/migrations", response={200: list[MigrationOut], 403: ErrorOut, 404: ErrorOut})
def list_migrations(request, person_id: str):
    return list(person_background_for_read(request.user, person_id).migrations.all())


@router.post("/{person_id}/documents", response={201: DocumentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def add_document(request, person_id: str, payload: DocumentIn):
    return Status(201, services.document_add(by=request.user, person_id=person_id, data=form_data(payload)))


@router.get("/{person_id}/documents", response={200: list[DocumentOut], 403: ErrorOut, 404: ErrorOut})
def list_documents(request, person_id: str):
    return list(person_background_for_read(request.user, person_id).documents.all())


@router.get("/{person_id}/timeline", response={200: list[EventOut], 404: ErrorOut})
def timeline(request, person_id: str):
    person = person_for_read(request.user, person_id)
    return [{"kind": e.kind, "label": e.label, "occurred_at": e.occurred_at, "actor": e.actor.username if e.actor else "",
             "data": e.data} for e in selectors.person_timeline(person, request.user)]
