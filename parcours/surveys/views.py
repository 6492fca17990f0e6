"""The questionnaires page: forms published (and publishing a new XLSForm), answers received,
the administrator-bias report; follow-up cohorts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parcours.accounts.roles import can
from parcours.core.errors import Forbidden, NotFound, ServiceError, ValidationFailed
from parcours.core.web import act, bind_errors, require

from . import exports, selectors, services, webform
from .exports import MAIN
from .models import CohortMember, Form, Submission
from .policies import (
    COHORT_READERS,
    COLLECTORS,
    can_draw_cohorts,
    can_publish_forms,
    can_read_answers,
    cohort_for_read,
    cohorts_visible_to,
    forms_fillable_by,
)
from .validation import CohortInput, PublishInput


@login_required
@require_GET
def forms(request):
    require(can_read_answers(request.user))
    rows = [(f, f.versions.first(), Submission.objects.filter(version__form=f, replaced_by__isnull=True).count())
            for f in Form.objects.select_related("place")]
    bias = selectors.bias_report(request.user, form_id="satisfaction", question="satisfied")
    return render(request, "surveys/forms.html", {"rows": rows, "bias": bias, "audience": PublishInput(),
                                                  "can_publish": can_publish_forms(request.user)})


@login_required
@require_POST
def publish(request):
    require(can_publish_forms(request.user))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an XLSForm file."))
        return redirect("surveys:forms")
    audience = PublishInput(data=request.POST)
    if not audience.is_valid():
        for field, errors in audience.errors.items():
            for error in errors:
                messages.error(request, f"{audience.fields[field].label} : {error}" if field in audience.fields
                               else error)
        return redirect("surveys:forms")
    roles, place = audience.cleaned_data["roles"], audience.cleaned_data["place"]
    # Nothing chosen: a new form is for everyone who collects, a published one keeps its audience.
    chosen = bool(roles or place or request.POST.get("audience") == "everyone")
    version = act(request, lambda: services.form_publish(
        by=request.user, content=upload.read(), filename=upload.name,
        roles=list(roles) if chosen else None, place=place if chosen else None,
        media=[(f.name, f.read()) for f in request.FILES.getlist("media")]))
    if version is not None:
        messages.success(request, _("%(title)s, version %(v)s, is published.") % {"title": version.form.title,
                                                                                 "v": version.version})
    return redirect("surveys:forms")


def _bind_errors(form, exc: ServiceError) -> None:
    bind_errors(form, exc)


@login_required
@require_http_methods(["GET", "POST"])
def cohorts(request):
    """Follow-up cohorts: the list, and drawing a new one (M&E, administrator)."""
    require(can(request.user, COHORT_READERS))
    form = CohortInput(initial={"first_wave_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        require(can_draw_cohorts(request.user))
        try:
            cohort = services.cohort_draw(by=request.user, data=request.POST)
        except (NotFound, Forbidden):
            raise
        except ServiceError as exc:
            form, status = CohortInput(data=request.POST), 400
            _bind_errors(form, exc)
        else:
            messages.success(request, _("Cohort drawn with seed %(seed)s.") % {"seed": cohort.seed})
            return redirect("surveys:cohort", cohort_id=cohort.pk)
    return render(request, "surveys/cohorts.html", {
        "cohorts": cohorts_visible_to(request.user).select_related("form")[:100], "form": form,
        "can_draw": can_draw_cohorts(request.user)}, status=status)


@login_required
@require_GET
def cohort_detail(request, cohort_id):
    cohort = cohort_for_read(request.user, cohort_id)
    return render(request, "surveys/cohort.html", {
        "cohort": cohort, "strata": selectors.cohort_strata(cohort), "waves": selectors.cohort_waves(cohort),
        "members": selectors.cohort_members(cohort, status=CohortMember.Status.MEMBER),
        "dropped": selectors.cohort_members(cohort, status=CohortMember.Status.DROPPED),
        "reasons": CohortMember.Reason.choices, "can_replace": can_draw_cohorts(request.user)})


@login_required
@require_POST
def cohort_replace(request, cohort_id):
    result = act(request, lambda: services.cohort_member_drop(by=request.user, cohort_id=cohort_id,
                                                              person_id=request.POST.get("person", ""),
                                                              data=request.POST))
    if result is not None:
        dropped, replacement = result
        if replacement is None:
            messages.warning(request, _("%(name)s left the cohort; this stratum has no one left in reserve.")
                             % {"name": dropped.person.full_name})
        else:
            messages.success(request, _("%(name)s is replaced by %(other)s.")
                             % {"name": dropped.person.full_name, "other": replacement.person.full_name})
    return redirect("surveys:cohort", cohort_id=cohort_id)


@login_required
@require_GET
def answers_download(request, form_id, fmt):
    """A form's answers as CSV or XLSX with KoboToolbox's columns, streamed."""
    table = request.GET.get("table", MAIN)
    require(fmt in exports.FORMATS)
    try:
        export = exports.answers_export(by=request.user, form_id=form_id, fmt=fmt, table=table)
    except ValidationFailed:
        raise NotFound() from None  # no such repeat group: no such file
    return exports.response(export, fmt, table=table)


@login_required
@require_GET
def fill_list(request):
    """The questionnaires the user may fill, at a desk."""
    forms_ = forms_fillable_by(request.user)
    require(bool(forms_) or can(request.user, COLLECTORS))
    person = request.GET.get("person", "")[:64]
    if person:  # from the person's page: the forms about a person, opened for them
        forms_ = [f for f in forms_ if f.subject == Form.Subject.PERSON]
    return render(request, "surveys/fill_list.html", {"forms": forms_, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def fill(request, form_id):
    """Answer a questionnaire in the browser; the answers go through the same service as a phone's."""
    version = services.form_for_fill(request.user, form_id)
    items = webform.questions(version.xml, get_language() or "fr")
    status = 200
    if request.method == "POST":
        if webform.bind_answers(items, request.POST):
            saved = act(request, lambda: services.submission_receive(
                by=request.user, xml=webform.instance_xml(version.xml, items))[0])
            if saved is not None:
                messages.success(request, _("Answers recorded."))
                if saved.person_id:
                    return redirect("people:detail", person_id=saved.person_id)
                return redirect("surveys:fill_list")
        status = 400
    else:
        for q in items:
            q.value = (request.GET.get(q.name) or "")[:200]
    return render(request, "surveys/fill.html", {"version": version, "items": items}, status=status)
