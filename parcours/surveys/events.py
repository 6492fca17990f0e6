"""The kinds of fact field collection records."""

import enum

from django.utils.translation import gettext_lazy as _

from parcours.facts.kinds import Sensitivity, register


class SurveyEvent(enum.StrEnum):
    ANSWERED = "surveys.answered"


def register_kinds() -> None:
    # The answers may hold anything the form asks: programme staff only.
    register(SurveyEvent.ANSWERED, label=_("Questionnaire answered: %(form)s"), sensitivity=Sensitivity.PROGRAMME)
