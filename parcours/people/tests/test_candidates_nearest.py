"""Real-time candidates when a common name matches more people than are scored."""

from parcours.people import duplicates


def test_the_nearest_of_many_namesakes_are_the_ones_scored(make_person, world, monkeypatch):
    # Twelve Mamadou Traoré born 1992–1996, registered after the two that matter: the latest
    # registered would crowd out the same-phone and the same-year namesakes if nothing ordered them.
    same_phone = make_person(birth_year="1996", phone="76 11 22 33")
    same_year = make_person(birth_year="1994")
    for i in range(12):
        make_person(birth_year=str(1992 + i % 2 * 4))  # 1992 or 1996
    monkeypatch.setattr(duplicates, "MAX_FETCH", 3)
    scored = []
    original = duplicates.matcher.rank

    def spy(query, rows, **kw):
        scored.extend(r["record_id"] for r in rows)
        return original(query, rows, **kw)

    monkeypatch.setattr(duplicates.matcher, "rank", spy)
    duplicates.candidates_for(world.user("reception.bamako"), {
        "given_name": "Mamadou", "family_name": "Traoré", "sex": "M", "birth_year": 1994, "phone": "76112233"})
    assert len(scored) == 3
    assert str(same_phone.pk) in scored and str(same_year.pk) in scored
