"""The demo logframe: the action document's annex 2 and budget, the values the M&E officer has
entered with evidence, spending recorded so far. Through the services; idempotent."""

import datetime as dt

from parcours.accounts.models import User

from . import services
from .models import BudgetLine, EnteredValue, Indicator

ENTERED = [
    ("OS1.referral_sop", "2018-03-15", 1, "SOP de référencement validée en comité technique (PV du 15/03/2018)."),
    ("OS1.mobilisers_trained", "2018-11-30", 12, "Listes de présence des formations de Kayes et Bamako."),
    ("OS2.followup_antennas", "2019-02-01", 2, "Antenne de Kayes ouverte (arrêté du 01/02/2019)."),
    ("OS3.profiling_questionnaire", "2017-09-01", 1, "Questionnaire de profilage, 12 items de base, version 1.2."),
    ("OS3.data_collections", "2019-12-31", 4, "Rapports des collectes 2018 et 2019."),
    ("OS5.workshops", "2019-10-10", 3, "Ateliers de Sikasso, Ségou et Kayes."),
    ("OS5.animation_sessions", "2019-11-20", 7, "Comptes rendus des séances d'animation."),
    ("OS5.workshops", "2020-02-27", 4, "Quatrième atelier décentralisé, Mopti (liste de présence)."),
    ("OS5.animation_sessions", "2020-03-05", 10, "Dixième séance d'animation sur la libre circulation (compte rendu)."),
]
SPENDING = [
    ("IOM", "OS1", "2018-06-30", 2_100_000, "IOM-2018-S1-OS1"), ("IOM", "OS1", "2019-06-30", 2_400_000, "IOM-2019-S1-OS1"),
    ("IOM", "OS2", "2019-06-30", 300_000, "IOM-2019-S1-OS2"), ("IOM", "OS3", "2018-12-31", 700_000, "IOM-2018-OS3"),
    ("IOM", "OS3", "2019-12-31", 650_000, "IOM-2019-OS3"), ("IOM", "INDIRECT", "2019-12-31", 420_000, "IOM-2019-IND"),
    ("AECID", "OS4", "2019-06-30", 610_000, "AECID-2019-S1-OS4"), ("AECID", "OS5", "2019-12-31", 540_000, "AECID-2019-OS5"),
]


def load_demo_logframe() -> dict:
    action = services.logframe_load()
    me = User.objects.get(username="me.iom")
    for code, day, value, note in ENTERED:
        indicator = Indicator.objects.get(code=code)
        if not EnteredValue.objects.filter(indicator=indicator, achieved_on=day).exists():
            services.value_enter(by=me, indicator=indicator, data={"value": value, "achieved_on": day, "note": note})
    for implementer, code, day, amount, ref in SPENDING:
        line = BudgetLine.objects.get(action=action, implementer__code=implementer, code=code)
        services.spending_record(by=me, data={"line": line.pk, "spent_on": day, "amount_eur": amount, "reference": ref})
    services.narrative_write(
        by=me, action=action, period_start=dt.date(2019, 1, 1), period_end=dt.date(2019, 12, 31), section="progress",
        text="Les retours depuis la Libye se sont poursuivis à un rythme soutenu ; le centre de Gao a accueilli "
             "des migrants bloqués pendant plusieurs semaines. Le dispositif d'aide en espèces a été préparé.")
    return {"indicators": Indicator.objects.count()}
