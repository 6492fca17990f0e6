from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "parcours.surveys"
    verbose_name = _("Field collection")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.core.context_processors import NAV
        from parcours.people.links import register_person_link, register_person_panel

        from . import models as m
        from .events import register_kinds
        from .policies import ANSWER_READERS, COHORT_READERS, COLLECTORS, forms_fillable_by
        from .selectors import person_panel

        register_kinds()
        register_person_panel("surveys/_person_scores.html", person_panel)
        register_person_link("surveys:fill_list", _("Answer a questionnaire"),
                             lambda user: any(f.subject == "person" for f in forms_fillable_by(user)), query=True)
        NAV.append(("surveys:forms", _("Questionnaires"), ANSWER_READERS))
        NAV.append(("surveys:fill_list", _("Fill a questionnaire"), COLLECTORS))
        NAV.append(("surveys:cohorts", _("Follow-up cohorts"), COHORT_READERS))
        for model in (m.Form, m.FormVersion, m.Submission, m.Scoring, m.Cohort, m.CohortMember):
            auditlog.register(model, exclude_fields=["source", "xml"])
