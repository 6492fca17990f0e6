"""Web pages of the registry. Views parse the request, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_countries import countries

from parcours.accounts.models import Agency
from parcours.accounts.selectors import regions
from parcours.core.errors import ValidationFailed
from parcours.core.reads import page_of
from parcours.core.web import act, bind_errors, download, require

from . import duplicates, selectors, services
from .links import links_for, panels_for
from .models import Consent
from .policies import (
    can_edit_people,
    can_export_people,
    can_import_people,
    can_read_background,
    can_read_people,
    can_register,
    person_for_read,
)
from .validation import COUNTRY_LIST, DependantInput, DocumentInput, MigrationInput, PersonInput, loose_person


@login_required
@require_GET
def people_list(request):
    require(can_read_people(request.user))
    flt = selectors.PeopleFilter(q=request.GET.get("q", ""), region=request.GET.get("region", ""),
                                 sex=request.GET.get("sex", ""))
    page = page_of(request, selectors.people_list(request.user, flt))
    return render(request, "people/list.html", {
        "page": page, "flt": flt, "regions": regions(), "can_register": can_register(request.user),
        "can_export": can_export_people(request.user),
        "query": request.GET.copy(),
    })


@login_required
@require_GET
def people_export_view(request):

    from .exports import people_export

    require(can_export_people(request.user))
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    flt = selectors.PeopleFilter(q=request.GET.get("q", ""), region=request.GET.get("region", ""),
                                 sex=request.GET.get("sex", ""))
    data, _count = people_export(by=request.user, flt=flt, fmt=fmt)
    return download(data, f"parcours-people.{fmt}")


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    require(can_register(request.user))
    form = PersonInput(data=request.POST or None)
    if request.method == "POST":
        try:
            result = services.person_register(
                by=request.user, data=request.POST.dict(), idempotency_key=request.POST.get("form_token", ""),
                consent_collection=request.POST.get("consent_collection") == "on", language=get_language(),
            )
        except ValidationFailed as exc:
            bind_errors(form, exc)  # the same validator: its messages next to the fields, the service's too
        else:
            if result.candidates:
                messages.warning(request, _("Registered. Check the possible duplicates below."))
                request.session[f"dups:{result.person.pk}"] = [c.person_id for c in result.candidates]
            else:
                messages.success(request, _("Registered."))
            for warning in getattr(result.person, "warnings", []):
                messages.warning(request, warning)
            return redirect("people:detail", person_id=result.person.pk)
    return render(request, "people/register.html", {
        "form": form, "regions": regions(), **_countries(), "form_token": timezone.now().strftime("%Y%m%d%H%M%S%f"),
    })


@login_required
@require_GET
def candidates(request):
    """The fragment the registration form fetches while the agent types (and a plain page without JS)."""
    require(can_register(request.user))
    data = loose_person(request.GET.dict())
    found = duplicates.candidates_for(request.user, data, language=get_language()) if data else []
    return render(request, "people/_candidates.html", {"candidates": found})


@login_required
@require_GET
def person_detail(request, person_id):
    person = person_for_read(request.user, person_id)
    flagged = request.session.get(f"dups:{person.pk}", [])
    # Panels follow the sensitivity of the facts that record them (parcours.facts.policies).
    background = can_read_background(request.user)
    dup_list = duplicates.candidates_for(request.user, _as_data(person), exclude_id=person.pk,
                                         language=get_language()) if background else []
    return render(request, "people/detail.html", {
        "background": background,
        "person": person,
        "age": person.age_on(timezone.localdate()),
        "timeline": selectors.person_timeline(person, request.user, 100),
        "household": person.household.all() if background else None,
        "consents": person.consents.select_related("agency")[:20],
        "documents": person.documents.all() if background else None,
        "external_refs": person.external_refs.all() if background else [],
        "possible_duplicates": dup_list,
        "links": links_for(request.user, person),
        "panels": panels_for(request.user, person),
        "flagged": flagged,
        "can_edit": can_edit_people(request.user),
        "dependant_form": DependantInput(),
        "migration_form": MigrationInput(),
        **_countries(),
        "document_form": DocumentInput(),
        "migrations": person.migrations.all() if background else None,
        "agencies": Agency.objects.filter(joint_registry=False).order_by("code"),
    })


def _countries() -> dict:
    """The page's one list of country names (people/_countries.html), shared by its country fields."""
    return {"country_names": [str(name) for _code, name in countries], "country_list": COUNTRY_LIST}


def _as_data(person) -> dict:
    return {f: getattr(person, f) for f in (
        "given_name", "family_name", "other_names", "sex", "birth_date", "birth_year", "phone", "nationality",
        "id_document_type", "id_document_number", "return_date", "returned_from", "origin_region",
        "origin_cercle", "origin_commune")}


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id):
    person = person_for_read(request.user, person_id)
    require(can_edit_people(request.user))
    initial = {**_as_data(person), "origin_region": person.origin_region.name if person.origin_region else "",
               "origin_cercle": person.origin_cercle.name if person.origin_cercle else "",
               "origin_commune": person.origin_commune.name if person.origin_commune else "",
               "return_mode": person.return_mode, "languages": person.languages, "education": person.education,
               "skills": person.skills}
    form = PersonInput(data=request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            services.person_update(by=request.user, person_id=person.pk, data=request.POST.dict())
        except ValidationFailed as exc:
            bind_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/edit.html", {"form": form, "person": person, "regions": regions(), **_countries()})


@login_required
@require_POST
def household_add(request, person_id):
    return _post_form(request, person_id, services.household_add, _("Household member added."))


def _post_form(request, person_id, service, done_message):
    act(request, lambda: service(by=request.user, person_id=person_id, data=request.POST.dict()), done_message)
    return redirect("people:detail", person_id=person_id)


@login_required
@require_POST
def migration_add(request, person_id):
    return _post_form(request, person_id, services.migration_add, _("Migration history recorded."))


@login_required
@require_POST
def document_add(request, person_id):
    return _post_form(request, person_id, services.document_add, _("Identity document added."))


@login_required
@require_POST
def consent_add(request, person_id):
    person = person_for_read(request.user, person_id)
    agency = Agency.objects.filter(pk=request.POST.get("agency") or None).first()
    scope = Consent.Scope.SHARING if agency else Consent.Scope.COLLECTION
    granted = request.POST.get("granted") == "yes"

    def record():
        services.consent_record(by=request.user, person=person, scope=scope, granted=granted,
                                given_on=timezone.localdate(), agency=agency)
        if agency and granted and request.POST.get("assign") == "on":
            services.access_grant(by=request.user, person=person, agency=agency, reason="assigned")

    act(request, record, _("Consent recorded."))
    return redirect("people:detail", person_id=person_id)


@login_required
@require_http_methods(["GET", "POST"])
def import_manifest(request):
    require(can_import_people(request.user))
    from parcours.jobs.services import job_start

    from .imports import ManifestUpload

    form = ManifestUpload(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_start(by=request.user, kind="import_people", upload=form.cleaned_data["file"],
                        params={"flight": form.cleaned_data["flight"]})
        return redirect("jobs:detail", job_id=job.pk)
    return render(request, "people/import.html", {"form": form})
