"""Data for the backup/restore proof (run in a `parcours shell` on a fresh database): a little of
every kind of value — accents, encrypted bytes, JSON, dates, money, audit entries."""


def populate() -> None:
    from parcours.assistance.services import load_demo_schemes, payment_record, payment_reverse
    from parcours.cases.services import case_open, protection_record, screening_record
    from parcours.demo.loader import load_agencies, load_places, load_users
    from parcours.people.services import household_add, person_create
    from parcours.people.validation import validate_person

    places, agencies = load_places(), load_agencies()
    users = load_users(places, agencies)
    load_demo_schemes()
    worker = users["caseworker.kayes"]
    for i, (given, family) in enumerate([("Mamadou", "Keïta"), ("Fatoumata", "Diarra"), ("Sékou", "Traoré"),
                                         ("Aïssata", "Coulibaly"), ("Moussa", "Sissoko")]):
        person = person_create(by=worker, cleaned=validate_person({
            "given_name": given, "family_name": family, "sex": "MF"[i % 2], "birth_date": f"19{80 + i}-03-0{i + 1}",
            "origin_region": "Kayes", "return_date": "2020-01-10", "phone": f"7612345{i}"}))
        household_add(by=worker, person_id=person.pk, data={"relationship": "child", "given_name": "Awa",
                                                             "family_name": family, "birth_year": "2010"})
        case = case_open(by=worker, person_id=person.pk)
        if i % 2 == 0:
            screening_record(by=users["admin"], case_id=case.pk,
                             answers={"trafficking_forced_work": True})
            protection_record(by=users["admin"], case_id=case.pk, notes=f"Notes confidentielles {i}")
        entry = payment_record(by=worker, person_id=person.pk, data={
            "scheme": "arrival_allowance", "paid_on": "2024-05-02", "channel": "cash", "proof_reference": f"R-{i}"}).entry
        if i == 3:
            payment_reverse(by=worker, entry_id=entry.pk, data={"reason": "erreur de saisie"})
