from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "parcours.referrals"
    label = "referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from parcours.core.context_processors import NAV

        from . import models as m
        from .events import register_kinds
        from .policies import AGGREGATE_READERS, DIRECTORY_READERS, REFERRAL_READERS

        for model in (m.Service, m.Referral, m.Attendance):
            auditlog.register(model)
        from parcours.people.links import register_person_link

        from .policies import can_refer

        register_person_link("referrals:new", _("Refer to a service"), can_refer, query=True)
        NAV.append(("referrals:services", _("Services"), DIRECTORY_READERS))
        NAV.append(("referrals:list", _("Referrals"), REFERRAL_READERS - {"service_provider"}))
        NAV.append(("referrals:inbox", _("Partner inbox"), {"service_provider"}))
        from parcours.accounts.models import Role
        from parcours.core.landing import LANDING

        LANDING[Role.SERVICE_PROVIDER] = "referrals:inbox"
        NAV.append(("referrals:stats", _("Referral figures"), AGGREGATE_READERS))
        register_kinds()
        _register_fact()


def _register_fact() -> None:
    """Assistance rules read `training_days_attended`; give them the partners' attendance."""
    from parcours.assistance import facts
    from parcours.assistance.enrolments import register_enrolments

    from .services import person_enrolments

    register_enrolments(person_enrolments)  # typed attendance counts only days within them
    previous = facts.FACTS.get("training_days_attended")

    @facts.register_fact("training_days_attended",
                         description=_("days of training attended in the month (partners' attendance)"))
    def training_days_attended(ctx):
        from .selectors import days_attended

        from_referrals = days_attended(ctx.person, facts.period_start(ctx.period))
        # Attendance may also be typed on the assistance side by the referring side (its own
        # figure, within an enrolment); the larger figure is the same training seen from both
        # ends, not two trainings to add up. A provider's figure counts only once validated.
        return max(from_referrals, previous(ctx) if previous else 0)
