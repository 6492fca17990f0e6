"""Publishing questionnaires and receiving answers. The OpenRosa endpoints, the web and the
demo loader all end here, so a submission goes through the same checks as any write."""

import datetime as dt
import hashlib
import mimetypes
import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from parcours.cases.models import Case
from parcours.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, form_errors
from parcours.facts.services import fact_record
from parcours.people.policies import person_for_read

from .events import SurveyEvent
from .models import Attachment, Cohort, CohortMember, Form, FormMedia, FormVersion, Scoring, Submission
from .policies import can_draw_cohorts, can_publish_forms, cohort_for_write, forms_fillable_by
from .sampling import allocate, shuffled
from .scoring import definition_errors
from .selectors import assisted_population
from .validation import CohortInput, DropInput
from .xform import collected_on, form_identity, media_references, parse_instance

SUFFIXES = {".xlsx", ".xls", ".csv", ".md"}


def _md5(data: bytes | str) -> str:
    return hashlib.md5(data.encode() if isinstance(data, str) else data, usedforsecurity=False).hexdigest()


@transaction.atomic
def form_publish(*, by, content: bytes, filename: str, roles: list[str] | None = None, place=None,
                 media: list[tuple[str, bytes]] | None = None) -> FormVersion:
    """Publish an XLSForm (converted by pyxform). Publishing the same file again changes
    nothing; a new `version` in its settings sheet adds a version. `roles` (those that fill it;
    [] every role that collects) and `place` (only staff working inside it) say who it is for;
    both None leave a published form's as they were. `media` ((file name, bytes)) are the files
    the form points at (jr://images/…, pulldata CSVs): each must be one it names, and every one it
    names must be there (sent now, or with this version before)."""
    if not can_publish_forms(by):
        raise Forbidden()
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationFailed({"file": [_("Send an XLSForm (.xlsx, .xls, .csv or .md).")]})
    try:
        result = convert(xlsform=content if suffix != ".md" else content.decode("utf-8"), file_type=suffix,
                         form_name="data")
    except (PyXFormError, ValueError, KeyError) as exc:
        raise ValidationFailed({"file": [_("This XLSForm cannot be converted: %(reason)s") % {"reason": exc}]}) from None
    form_id, version, title = form_identity(result.xform)
    form_id, version, title = form_id or Path(filename).stem, version or "1", title or form_id
    subject = form_subject(result.xform)
    if roles is not None:
        from .validation import _collector_roles

        unknown = sorted(set(roles) - {code for code, _label in _collector_roles()})
        if unknown:
            raise ValidationFailed({"roles": [_("Not a role that fills questionnaires: %(roles)s.")
                                              % {"roles": ", ".join(unknown)}]}, labels={"roles": _("Filled by")})
    form, _created = Form.objects.get_or_create(form_id=form_id, defaults={"title": title, "subject": subject})
    if roles is not None or place is not None:
        form.roles, form.place = roles or [], place
    form.title, form.active, form.subject = title, True, subject
    form.save()
    existing = form.versions.filter(version=version).first()
    if existing is not None and existing.md5 != _md5(result.xform):
        raise ValidationFailed({"file": [_("Version %(v)s of this form is already published with other "
                                           "questions: raise the version in the settings sheet.") % {"v": version}]})
    media = media or []
    _check_media(result.xform, media, set(existing.media.values_list("filename", flat=True)) if existing else set())
    if existing is None:
        existing = FormVersion.objects.create(form=form, version=version, source_name=filename, source=content,
                                              xml=result.xform, md5=_md5(result.xform), published_by=by)
    for name, data in media:
        existing.media.filter(filename=name).delete()
        FormMedia.objects.create(version=existing, filename=name, file=ContentFile(data, name=Path(name).name),
                                 md5=_md5(data), content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    return existing


MAX_MEDIA = 10 * 1024 * 1024


def _check_media(xform: str, media: list[tuple[str, bytes]], already: set[str]) -> None:
    """Refuse files the form does not point at (a typo would leave the phone without its image)
    and a form whose files are not all there (ODK Collect would show blanks or fail pulldata)."""
    wanted = media_references(xform)
    names = [name for name, _data in media]
    label = {"media": _("Media files")}
    unknown = sorted({n for n in names if n not in wanted})
    if unknown:
        raise ValidationFailed({"media": [_("The form does not use these files: %(names)s.")
                                          % {"names": ", ".join(unknown)}]}, labels=label)
    too_big = sorted(name for name, data in media if len(data) > MAX_MEDIA)
    if too_big:
        raise ValidationFailed({"media": [_("Files over 10 MB: %(names)s.") % {"names": ", ".join(too_big)}]},
                               labels=label)
    missing = sorted(wanted - set(names) - already)
    if missing:
        raise ValidationFailed({"media": [_("The form uses these files; send them with it: %(names)s.")
                                          % {"names": ", ".join(missing)}]}, labels=label)


# What a form is about follows from the question that names it (the first one found): the answer is
# checked against that record through its own domain's policy, and lands on the person's page when
# the record has a person (a person, a case, a centre stay).
SUBJECT_FIELDS = [("person_id", Form.Subject.PERSON), ("case_id", Form.Subject.CASE), ("stay_id", Form.Subject.STAY),
                  ("activity_id", Form.Subject.ACTIVITY), ("point", Form.Subject.POINT)]


def form_subject(xform: str) -> str:
    for field, subject in SUBJECT_FIELDS:
        if f'nodeset="/data/{field}"' in xform:
            return subject
    return Form.Subject.NONE


def _subject(by, subject: str, values: dict):
    """(person or None, subject type, subject id) of an answer; NotFound when `by` may not see it."""
    field = {s: f for f, s in SUBJECT_FIELDS}.get(subject)
    if field is None:
        return None, "", ""
    ref = values.get(field, "")
    if not ref:
        raise ValidationFailed({field: [_("Say what the answers are about.")]})
    if subject == Form.Subject.PERSON:
        return person_for_read(by, ref), "", ""
    if subject == Form.Subject.CASE:
        from parcours.cases.policies import case_for_read

        case = case_for_read(by, ref)
        return case.person, subject, str(case.pk)
    if subject == Form.Subject.STAY:
        from parcours.centres.policies import stay_for_read

        stay = stay_for_read(by, ref)
        return stay.person, subject, str(stay.pk)
    if subject == Form.Subject.ACTIVITY:
        from parcours.outreach.policies import activity_for_read

        return None, subject, str(activity_for_read(by, ref).pk)
    from parcours.flows.policies import point_for_read

    return None, subject, point_for_read(by, ref).code


def form_for_fill(by, form_id: str) -> FormVersion:
    """The latest version of a form `by` may fill; NotFound otherwise."""
    form = next((f for f in forms_fillable_by(by) if f.form_id == form_id), None)
    version = form.versions.first() if form else None
    if version is None:
        raise NotFound()
    return version


def _own_caseworker(person, by) -> bool | None:
    if person is None:
        return None
    return Case.objects.filter(person=person, owner=by).exists()


@transaction.atomic
def submission_receive(*, by, xml: bytes, attachments: list[tuple[str, str, bytes]] = (),
                       received_on: dt.date | None = None) -> tuple[Submission, bool]:
    """Store one answer; returns (submission, created). The same instanceID with the same content
    is the same submission (a retry); with other content it is refused unless sent as an edit
    (a new instanceID naming the old one as deprecatedID)."""
    try:
        instance = parse_instance(xml)
    except ValueError:
        raise ValidationFailed({"xml_submission_file": [_("This is not a form submission.")]}) from None
    version_for_form = form_for_fill(by, instance.form_id)
    version = version_for_form.form.versions.filter(version=instance.version).first() or version_for_form
    content = _md5(xml)
    previous = Submission.objects.filter(instance_id=instance.instance_id).first()
    if previous is not None:
        if previous.content_md5 == content:
            return previous, False
        raise Conflict(_("Another submission already has this instanceID."), code="duplicate_instance")
    person, subject_type, subject_id = _subject(by, version.form.subject, instance.values)
    day = collected_on(instance.values, received_on or timezone.localdate())
    submission = Submission(instance_id=instance.instance_id, version=version, person=person, submitted_by=by,
                            by_own_caseworker=_own_caseworker(person, by), collected_on=day,
                            subject_type=subject_type, subject_id=subject_id,
                            xml=xml.decode("utf-8", "replace"), content_md5=content, data=instance.values)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        return Submission.objects.get(instance_id=instance.instance_id), False
    if instance.deprecated_id:
        old = Submission.objects.filter(instance_id=instance.deprecated_id, version__form=version.form).first()
        if old is None:
            raise ValidationFailed({"deprecatedID": [_("The submission this one edits is unknown.")]})
        old.replaced_by = submission
        old.save(update_fields=["replaced_by"])
    for name, content_type, data in attachments:
        Attachment.objects.create(submission=submission, name=name[:200], content_type=content_type[:100],
                                  file=ContentFile(data, name=Path(name).name))
    if person is not None:
        fact_record(kind=SurveyEvent.ANSWERED, on=day, person=person, actor=by, subject=submission,
                    data={"form": version.form.title, "form_id": version.form.form_id})
    return submission, True


@transaction.atomic
def scoring_define(*, by, form_id: str, definition: dict) -> Scoring:
    """Set how a form's answers are scored (dimensions, weights, items, threshold). Every item must
    be a question of the form's latest version."""
    if not can_publish_forms(by):
        raise Forbidden()
    form = Form.objects.filter(form_id=form_id).first()
    version = form.versions.first() if form else None
    if version is None:
        raise NotFound()
    errors = definition_errors(definition)
    if not errors:
        for dim in definition["dimensions"]:
            for item in dim["items"]:
                if f'nodeset="/data/{item["item"]}"' not in version.xml:
                    errors.append(_("%(item)s is not a question of this form.") % {"item": item["item"]})
    if errors:
        raise ValidationFailed({"definition": errors})
    scoring, _created = Scoring.objects.update_or_create(form=form, defaults={"definition": definition,
                                                                              "updated_by": by})
    return scoring


@transaction.atomic
def cohort_draw(*, by, data: dict) -> Cohort:
    """Draw a follow-up cohort: round(share × N) of the N people assisted in the period (that `by`
    may see), allocated to the strata in proportion and drawn at random in each from the seed; the
    others are kept, in the same random order, as each stratum's reserve."""
    if not can_draw_cohorts(by):
        raise Forbidden()
    form = CohortInput(data=data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    clean = form.cleaned_data
    questionnaire = Form.objects.filter(form_id=clean["form"]).first()
    if questionnaire is None:
        raise ValidationFailed({"form": [_("No questionnaire has this id.")]})
    population = assisted_population(by, start=clean["assisted_from"], end=clean["assisted_to"],
                                     strata=clean["strata"])
    if not population:
        raise ValidationFailed({"assisted_from": [_("Nobody you may see was assisted in this period.")]})
    cohort = Cohort.objects.create(name=clean["name"], form=questionnaire, agency=by.agency, seed=clean["seed"],
                                   share=clean["share"], strata=clean["strata"], assisted_from=clean["assisted_from"],
                                   assisted_to=clean["assisted_to"], first_wave_on=clean["first_wave_on"],
                                   waves=clean["waves"], drawn_by=by)
    groups: dict[str, list] = {}
    for person_id, stratum in population.items():
        groups.setdefault(stratum, []).append(person_id)
    places = allocate({k: len(v) for k, v in groups.items()}, clean["share"])
    members = []
    for stratum in sorted(groups):
        for rank, person_id in enumerate(shuffled(groups[stratum], seed=clean["seed"], stratum=stratum)):
            status = CohortMember.Status.MEMBER if rank < places[stratum] else CohortMember.Status.RESERVE
            members.append(CohortMember(cohort=cohort, person_id=person_id, stratum=stratum, rank=rank, status=status))
    CohortMember.objects.bulk_create(members, batch_size=1000)
    return cohort


@transaction.atomic
def cohort_member_drop(*, by, cohort_id, person_id, data: dict) -> tuple[CohortMember, CohortMember | None]:
    """A member who cannot be reached (or refused, moved, died) leaves the cohort and the next
    reserve of the same stratum takes their place; returns (the member dropped, the replacement
    or None when the stratum's reserve is exhausted)."""
    cohort = cohort_for_write(by, cohort_id)
    form = DropInput(data=data)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    member = (CohortMember.objects.select_for_update()
              .filter(cohort=cohort, person_id=person_id, status=CohortMember.Status.MEMBER).first()
              if _is_uuid(person_id) else None)
    if member is None:
        raise NotFound()
    on = form.cleaned_data["on"] or timezone.localdate()
    member.status, member.reason, member.changed_on = CohortMember.Status.DROPPED, form.cleaned_data["reason"], on
    member.save(update_fields=["status", "reason", "changed_on"])
    replacement = (CohortMember.objects.select_for_update()
                   .filter(cohort=cohort, stratum=member.stratum, status=CohortMember.Status.RESERVE)
                   .order_by("rank").first())
    if replacement is not None:
        replacement.status, replacement.replaces, replacement.changed_on = CohortMember.Status.MEMBER, member, on
        replacement.save(update_fields=["status", "replaces", "changed_on"])
    return member, replacement


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
