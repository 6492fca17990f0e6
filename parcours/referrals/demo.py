"""The demo directory of services (loaded by `parcours seed` and `parcours load_services`).

Idempotent: each service has a stable code; a service already there is left as it is, so edits
made through the pages survive a second run."""

import datetime as dt

from django.db import transaction

from parcours.accounts.models import Place
from parcours.accounts.services import agency_upsert

from .models import Service

# Partners of the demo that agencies.csv does not list (it holds the programme's core partners).
EXTRA_AGENCIES = [
    ("KAFO", "Kafo Jiginew (institution de microfinance)", "service"),
    ("CSREF-C4", "Centre de santé de référence de la Commune IV", "service"),
    ("CSREF-KAY", "Centre de santé de référence de Kayes", "service"),
    ("DEMESO", "Clinique juridique DEME SO", "ngo"),
]

D = dt.date
BAMAKO, KAYES, MALI = "/ML/BKO/", "/ML/KAY/", "/ML/"

CFPM_CONTACT = {"contact_name": "Service des stages", "contact_phone": "+223 20 20 11 22",
                "address": "Missabougou, Commune VI, Bamako"}

SERVICES = [
    # code, provider, kind, name_fr, name_en, capacity, places, start, end, extra
    ("cfpm-soudure-2026-10", "CFPM", "training", "Soudure et construction métallique (session octobre 2026)",
     "Welding and metalwork (October 2026 session)", 20, [BAMAKO], D(2026, 10, 5), D(2027, 3, 26), CFPM_CONTACT),
    ("cfpm-electricite-2026-10", "CFPM", "training", "Électricité du bâtiment (session octobre 2026)",
     "Building electrician (October 2026 session)", 20, [BAMAKO], D(2026, 10, 5), D(2027, 3, 26), CFPM_CONTACT),
    ("cfpm-couture-2027-01", "CFPM", "training", "Coupe et couture (session janvier 2027)",
     "Tailoring and sewing (January 2027 session)", 15, [BAMAKO], D(2027, 1, 11), D(2027, 6, 25), CFPM_CONTACT),
    ("cfpm-mecanique-2027-01", "CFPM", "training", "Mécanique auto et moto (session janvier 2027)",
     "Car and motorbike mechanics (January 2027 session)", 18, [BAMAKO], D(2027, 1, 11), D(2027, 6, 25),
     CFPM_CONTACT),
    ("cfpm-plomberie-2027-01", "CFPM", "training", "Plomberie sanitaire (session janvier 2027)",
     "Plumbing (January 2027 session)", 12, [BAMAKO], D(2027, 1, 11), D(2027, 5, 28), CFPM_CONTACT),
    ("cfpm-conduite-2026-11", "CFPM", "training", "Conduite poids lourds, permis C (session novembre 2026)",
     "Heavy-vehicle driving, licence C (November 2026 session)", 10, [BAMAKO], D(2026, 11, 2), D(2027, 1, 29),
     CFPM_CONTACT),
    ("apej-emploi-jeunes", "APEJ", "youth_employment", "Programme emploi jeunes (stages et insertion)",
     "Youth employment programme (internships and job placement)", 50, [BAMAKO, KAYES], None, None,
     {"contact_name": "Guichet APEJ", "contact_phone": "+223 20 29 45 00", "address": "ACI 2000, Bamako"}),
    ("apej-hauts-travaux", "APEJ", "employment", "Travaux à haute intensité de main-d'œuvre (Kayes)",
     "Labour-intensive public works (Kayes)", 40, [KAYES], D(2026, 9, 1), D(2027, 2, 28),
     {"contact_name": "Antenne APEJ de Kayes", "contact_phone": "+223 21 52 10 10"}),
    ("kafo-microcredit", "KAFO", "microfinance", "Microcrédit pour micro-entreprises de retournés",
     "Micro-loans for returnees' small businesses", None, [BAMAKO, KAYES], None, None,
     {"contact_name": "Agence Kafo Jiginew", "contact_phone": "+223 20 21 50 00"}),
    ("csref-c4-sante", "CSREF-C4", "health", "Consultations médicales et dépistage",
     "Medical consultations and screening", None, [BAMAKO], None, None,
     {"contact_phone": "+223 20 22 30 30", "address": "Lafiabougou, Commune IV, Bamako"}),
    ("csref-kay-psy", "CSREF-KAY", "psychosocial", "Soutien psychosocial et santé mentale (Kayes)",
     "Psychosocial support and mental health (Kayes)", 25, [KAYES], None, None,
     {"contact_phone": "+223 21 52 12 12", "address": "Kayes"}),
    ("mdm-ecoute", "MDM", "psychosocial", "Écoute et accompagnement psychosocial",
     "Counselling and psychosocial support", 30, [BAMAKO], None, None, {"address": "Bamako"}),
    ("demeso-juridique", "DEMESO", "legal_aid", "Aide juridique et état civil",
     "Legal aid and civil documentation", None, [BAMAKO, KAYES], None, None,
     {"contact_phone": "+223 20 22 58 58"}),
]

ELIGIBILITY = {
    "training": "Retournés de 18 à 35 ans, savoir lire de préférence ; entretien d'orientation préalable.",
    "youth_employment": "Jeunes de 18 à 40 ans inscrits à l'APEJ.",
    "employment": "Personnes en âge de travailler résidant dans la région.",
    "microfinance": "Plan d'affaires validé par le case worker ; formation en gestion suivie.",
    "health": "Tout retourné, sur présentation de la fiche de référence.",
    "psychosocial": "Toute personne orientée par un agent de protection ou un case worker.",
    "legal_aid": "Toute personne sans pièce d'identité ou en litige.",
}


@transaction.atomic
def load_demo_services() -> int:
    """Create the demo directory; return how many services were added (0 on a second run)."""
    from parcours.accounts.models import Agency

    for code, name, kind in EXTRA_AGENCIES:
        if not Agency.objects.filter(code=code).exists():
            agency_upsert(code=code, name=name, kind=kind)
    agencies = {a.code: a for a in Agency.objects.all()}
    places = {p.path: p for p in Place.objects.filter(path__in=[BAMAKO, KAYES, MALI])}
    added = 0
    for code, provider, kind, name_fr, name_en, capacity, where, start, end, extra in SERVICES:
        if provider not in agencies:
            continue  # a deployment without this partner
        service, created = Service.objects.get_or_create(code=code, defaults={
            "provider": agencies[provider], "kind": kind, "name_fr": name_fr, "name_en": name_en,
            "capacity": capacity, "starts_on": start, "ends_on": end, "eligibility": ELIGIBILITY.get(kind, ""),
            **extra,
        })
        if created:
            service.places.set([places[p] for p in where if p in places])
            added += 1
    return added


# (service code, steps after "sent", feedback, reason, attendance days this month)
DEMO_REFERRALS = [
    ("cfpm-soudure-2026-10", [], "", "", None),
    ("cfpm-electricite-2026-10", [], "", "", None),
    ("cfpm-soudure-2026-10", ["accepted"], "Entretien d'orientation concluant", "", None),
    ("cfpm-electricite-2026-10", ["accepted", "enrolled"], "Inscrit au groupe B", "", 12),
    ("cfpm-soudure-2026-10", ["accepted", "enrolled"], "", "", 9),
    ("cfpm-conduite-2026-11", ["refused"], "", "Le permis B est exigé à l'entrée", None),
    ("apej-emploi-jeunes", ["accepted"], "Convocation à l'antenne APEJ", "", None),
    ("csref-c4-sante", [], "", "", None),
]


def load_demo_referrals() -> int:
    """A few referrals of demo people registered in Bamako, so the partner inbox of `partner.cfpm`
    has something in each group. Goes through the services (consent recorded, access granted,
    timeline written). Idempotent: nothing is added once the demo referrals exist."""
    from django.utils import timezone

    from parcours.accounts.models import User
    from parcours.core.idempotency import replay, scope_for
    from parcours.people.policies import people_visible_to

    from .models import Referral
    from .services import attendance_record, referral_create, referral_transition

    referrer = User.objects.filter(username="reception.bamako").first()
    partner = User.objects.filter(username="partner.cfpm").first()
    if referrer is None or partner is None:
        return 0
    if replay(scope_for("referrals.create", referrer), "demo-0", Referral):
        return 0  # loaded before
    people = list(people_visible_to(referrer).order_by("created_at", "id")[:len(DEMO_REFERRALS)])
    services = {s.code: s for s in Service.objects.filter(code__in=[r[0] for r in DEMO_REFERRALS])}
    added = 0
    for i, (person, (code, steps, feedback, reason, days)) in enumerate(zip(people, DEMO_REFERRALS, strict=False)):
        if code not in services:
            continue
        service = services[code]
        # The course began last month: referred, answered and enrolled on its first day, a month of
        # attendance reported.
        last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        began = timezone.make_aware(dt.datetime.combine(last_month, dt.time(9)))
        referral = referral_create(by=referrer, person=person, service=service, consent_given=True,
                                   idempotency_key=f"demo-{i}", note="Orientation de démonstration", at=began)
        answerer = partner if service.provider_id == partner.agency_id else referrer
        for step in steps:
            referral_transition(by=answerer, referral_id=referral.pk, to_status=step, feedback=feedback,
                                reason=reason, at=began)
        if days:
            attendance_record(by=partner, referral_id=referral.pk, month=last_month, days=days)
        added += 1
    return added
