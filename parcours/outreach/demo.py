"""Demo grants to civil-society organisations: one call for proposals a year ago, three grants
(AJDM in the region of Kayes, ENDA in Sikasso and Ségou, Kanuya in Mopti and Gao) with the
activities held under them and the reports received — all but the latest one due of AJDM's, left
overdue. Dates follow today's; written through the services as the M&E officer. Idempotent: the
call, the grants (by reference), the activities (by their retry key) and the reports received are
answered with what was recorded the first time."""

import datetime as dt

from django.utils import timezone

from parcours.accounts.models import User

from .grants import call_publish, grant_award, report_receive
from .models import Call, GrantReport
from .services import activity_record

CALL = "AAP-OSC-1"
# reference, grantee, days after the call opened it starts, days it lasts (None: half a year from
# today), communes, people and activities to reach, amount (XOF), project
GRANTS = [
    ("G-AJDM-1", "AJDM", 60, 540, ["Kayes", "Nioro", "Diéma"], 3000, 24, 45_000_000,
     "Causeries sur les risques de la migration irrégulière"),
    ("G-ENDA-1", "ENDA", 45, None, ["Sikasso", "Ségou"], 2000, 16, 30_000_000,
     "Libre circulation dans l'espace CEDEAO"),
    ("G-KANUYA-1", "KANUYA", 90, 240, ["Mopti", "Gao"], 1200, 10, 18_000_000, "Opportunités locales pour les jeunes"),
]
# kind, theme, audience, men, women, under 18, communities, media audience
ACTIVITIES = [
    ("proximity_talk", "irregular_migration_risks", "community", 34, 41, 12, 2, None),
    ("mass_event", "free_movement", "community", 120, 135, 60, 4, None),
    ("media", "legal_migration", "community", 0, 0, 0, 1, 40_000),
    ("workshop", "local_opportunities", "csos", 14, 11, 0, 1, None),
    ("training", "free_movement", "security_agents", 22, 3, 0, 1, None),
]


def load_demo_grants() -> dict:
    me = User.objects.get(username="me.iom")
    today = timezone.localdate()
    existing = Call.objects.filter(reference=CALL).first()
    if existing is None:
        opens = today - dt.timedelta(days=400)
        existing = call_publish(by=me, reference=CALL, title="Sensibilisation communautaire par les OSC",
                                themes=["irregular_migration_risks", "free_movement", "local_opportunities"],
                                opens_on=opens, closes_on=opens + dt.timedelta(days=30), budget_xof=120_000_000)
    opens = existing.opens_on
    activities, received = 0, 0
    for reference, grantee, offset, length, communes, people, count, amount, title in GRANTS:
        starts = opens + dt.timedelta(days=offset)
        ends = starts + dt.timedelta(days=length) if length else today + dt.timedelta(days=180)
        grant = grant_award(by=me, call=CALL, grantee=grantee, reference=reference, amount_xof=amount,
                            starts_on=starts, ends_on=ends, communes=communes, target_people=people,
                            target_activities=count, title=title, on=starts - dt.timedelta(days=10))
        last_day = min(grant.ends_on, today)
        step = max((last_day - grant.starts_on).days // (len(ACTIVITIES) + 1), 1)
        for i, (kind, theme, audience, men, women, minors, places, media) in enumerate(ACTIVITIES):
            activity_record(by=me, on=grant.starts_on + dt.timedelta(days=step * (i + 1)),
                            commune=communes[i % len(communes)], kind=kind, theme=theme, audience=audience,
                            participants_male=men, participants_female=women, participants_minors=minors,
                            communities_reached=places, audience_estimate=media, grant=grant,
                            notes=f"{grant.reference}", idempotency_key=f"demo-{grant.reference}-{i}")
            activities += 1
        due = list(grant.reports.filter(due_on__lt=today).order_by("due_on"))
        if reference == "G-AJDM-1" and due:
            due = due[:-1]  # the latest report due from AJDM has not come: overdue
        for report in due:
            report_receive(by=me, grant_id=grant.pk, report_id=report.pk, on=report.due_on - dt.timedelta(days=3),
                           note="Reçu par courriel")
            received += 1
    overdue = GrantReport.objects.filter(grant__call__reference=CALL, received_on__isnull=True, due_on__lt=today).count()
    return {"grants": len(GRANTS), "activities": activities, "reports_received": received, "overdue": overdue}
