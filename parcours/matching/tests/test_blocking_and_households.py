"""Blocking that never drops a block, keys that reach typos in both names, and the household phone."""

import numpy as np
import pytest
from django.utils.translation import override

from parcours.matching.blocking import DEFAULT_RULES, candidate_pairs, names_near_year
from parcours.matching.model import default_model, household_phone, match_probability
from parcours.matching.prepare import prepare
from parcours.matching.realtime import rank


def _pairs(records, rules=DEFAULT_RULES, **kw):
    p = prepare(records)
    a, b, _mask, stats = candidate_pairs(p, rules, **kw)
    ids = {(p.ids[i], p.ids[j]) for i, j in zip(a, b, strict=True)}
    return ids | {(y, x) for x, y in ids}, stats


def _person(rid, given, family, year, **extra):
    return {"record_id": rid, "given_name": given, "family_name": family, "sex": "M", "birth_year": year, **extra}


def test_a_common_name_block_is_split_not_dropped():
    # 60 Traoré Mamadou born 1985 (a block far above max_block=10) and one respelled with 1986.
    records = [_person(f"p{i}", "Mamadou", "Traoré", 1985, birth_date=f"1985-{1 + i % 12:02d}-{1 + i % 27:02d}")
               for i in range(60)]
    records.append(_person("dup", "Mahamadou", "TRAORE", 1986, birth_date="1986-01-02"))
    pairs, stats = _pairs(records, [names_near_year], max_block=10, window=5)
    assert stats["names_near_year"]["split_blocks"] >= 1
    assert any("dup" in pair for pair in pairs)  # the year-off record still meets its neighbours
    assert stats["names_near_year"]["pairs"] < 60 * 59 // 2  # but not every pair of the block


def test_keys_reach_typos_in_both_names_swapped_dates_and_a_year_off():
    base = [_person("a", "Oumar", "Diarra", 1990), _person("b", "Ouar", "Dnarra", 1990),
            _person("c", "Sékou", "Keïta", 1985, birth_date="1985-03-07"),
            _person("d", "Sekou", "Keita", 1985, birth_date="1985-07-03"),
            _person("e", "Bakary", "Sissoko", 1979), _person("f", "Bakari", "Cissoko", 1980),
            _person("g", "Fanta", "Camara", 2001), _person("h", "Moussa", "Touré", 1966)]
    pairs, _stats = _pairs(base)
    assert {("a", "b"), ("c", "d"), ("e", "f")} <= pairs
    assert ("g", "h") not in pairs


def test_brothers_sharing_the_family_phone_are_not_one_person():
    model = default_model()
    brother = {"record_id": "b1", "given_name": "Modibo", "family_name": "Diarra", "sex": "M", "birth_year": 1985,
               "phone": "+223 76 12 34 56", "origin_region": "Kayes", "origin_cercle": "Kita", "origin_commune": "Kita"}
    other_brother = {**brother, "record_id": "b2", "given_name": "Youssouf", "birth_year": 1995}
    mother = {**brother, "record_id": "m", "given_name": "Awa", "sex": "F", "birth_year": 1962}
    himself = {**brother, "record_id": "b1bis", "family_name": "Diara", "birth_date": "1985-04-02"}
    ranked = {r.record["record_id"]: r for r in rank(brother, [other_brother, mother, himself], min_score=0.0)}
    assert ranked["b1bis"].score > 0.9
    assert ranked["b2"].score < 0.2 and ranked["m"].score < 0.05
    assert "même téléphone, prénoms différents : probablement un membre du ménage" in ranked["b2"].reasons
    with override("en"):
        reasons = rank(brother, [other_brother], min_score=0.0, language="en")[0].reasons
    assert "same phone, different given names: probably a household member" in reasons
    levels = np.array([[4, 0, 6, 0, 0, -1, 0, 0], [0, 1, 2, 0, 0, -1, 0, -1], [4, 0, 0, 0, 1, -1, 0, 2]], dtype=np.int8)
    assert household_phone(model.fields, levels).tolist() == [True, False, False]
    assert match_probability(model, levels[:1])[0] < 0.01


def test_place_names_reduce_to_one_form():
    from parcours.matching.places import place_key

    assert place_key("BKO") == place_key("Bamako") == place_key("District de Bamako")
    assert place_key("Commune 1") == place_key("COMMUNE I")
    assert place_key("Timbuktu") == place_key("Tombouctou")
    assert place_key("Somewhere new") == "somewhere new"


def test_names_written_the_other_way_round_and_compound_names():
    me = _person("a", "Salif", "Camara", 1995, birth_date="1995-09-12", origin_region="Kayes")
    swapped = _person("b", "Camara", "Salif", 1995, birth_date="1995-09-12", origin_region="Kayes")
    pairs, _stats = _pairs([me, swapped])
    assert ("a", "b") in pairs
    ranked = rank(me, [swapped], min_score=0.0, language="en")[0]
    assert ranked.score > 0.5
    assert "given and family names written the other way round" in ranked.reasons
    compound = {**me, "record_id": "c", "given_name": "Mamadou Lamine"}
    short = {**me, "record_id": "d", "given_name": "Lamine"}
    p = prepare([compound, short])
    from parcours.matching.compare import name_levels

    assert name_levels(p, "given", np.array([0]), np.array([1]))[0] == 2


def test_one_flight_tells_a_re_registration_from_a_namesake_but_not_a_brother_from_himself():
    # Same names, a birth year only, no phone: alike field by field. The date of return tells them
    # apart — a second registration off the same flight shares it, a namesake came back another day.
    first = {"record_id": "x", "given_name": "Drissa", "family_name": "Samaké", "sex": "M", "birth_year": 1990,
             "origin_region": "Ségou", "return_date": "2024-03-31", "returned_from": "DZ"}
    again = {**first, "record_id": "again", "given_name": "DRISSA", "family_name": "SAMAKE"}
    namesake = {**first, "record_id": "namesake", "return_date": "2021-07-12", "returned_from": "LY"}
    ranked = {r.record["record_id"]: r for r in rank(first, [again, namesake], min_score=0.0)}
    assert ranked["again"].score > 0.5 > ranked["namesake"].score
    assert "même date de retour (31/03/2024)" in ranked["again"].reasons
    # Brothers on the family phone came back together: the shared day counts no more than the phone.
    brother = {**first, "record_id": "brother", "given_name": "Youssouf", "phone": "76123456"}
    ranked = rank({**first, "phone": "76123456"}, [brother], min_score=0.0)
    assert ranked[0].score < 0.2


def test_a_family_on_one_laissez_passer_is_not_one_person():
    father = {"record_id": "f", "given_name": "Bakary", "family_name": "Sissoko", "sex": "M", "birth_year": 1970,
              "id_document_number": "LP1234567", "origin_region": "Kayes", "return_date": "2023-03-23"}
    son = {**father, "record_id": "s", "given_name": "Yacouba", "birth_year": 2004}
    himself = {**father, "record_id": "again", "given_name": "BAKARI", "return_date": "2023-05-02"}
    ranked = {r.record["record_id"]: r for r in rank(father, [son, himself], min_score=0.0)}
    assert ranked["again"].score > 0.9 and ranked["s"].score < 0.2


def test_two_records_that_both_surely_match_a_third_are_one_person():
    from parcours.matching.batch import lift_through_third

    # Records 0–1 and 1–2 surely match; 0–2 alone looked doubtful (0.3): the same person all the same.
    # 3–4 looked clearly different (0.001) and stays apart though both match 5.
    a = np.array([0, 1, 0, 3, 3, 4])
    b = np.array([1, 2, 2, 5, 4, 5])
    p = np.array([0.99, 0.97, 0.3, 0.98, 0.001, 0.99])
    lifted = lift_through_third(6, a, b, p, 0.5)
    assert lifted[2] > 0.9 and lifted[4] == 0.001
    assert lifted[[0, 1, 3, 5]].tolist() == p[[0, 1, 3, 5]].tolist()


def test_a_typo_in_a_listed_name_stays_in_its_group():
    from parcours.matching.names import canonical_name

    assert canonical_name("Moohamed") == canonical_name("Mahamed") == canonical_name("Mohamed")
    assert canonical_name("Hasssane") == canonical_name("Hassane")
    assert canonical_name("Awa") != canonical_name("Ami")  # short names: one letter makes another name


def test_brothers_back_on_one_flight_are_not_one_person_and_swapped_names_get_no_rare_name_bonus():
    # Two brothers, each with his own phone, registered off the same flight: the shared day of return
    # must not outweigh different given names.
    brother = {"record_id": "b1", "given_name": "Nouhoum", "family_name": "Dramé", "sex": "M", "birth_year": 2007,
               "phone": "+22370847088", "origin_region": "Kayes", "origin_cercle": "Yélimané",
               "origin_commune": "Diafounou Gory", "return_date": "2026-10-19", "returned_from": "MR"}
    other = {**brother, "record_id": "b2", "given_name": "Abdoulaye", "birth_year": 2008, "phone": "+22379537111"}
    assert rank(brother, [other], min_score=0.0)[0].score < 0.2
    # "Traore Seydou" (family name written first) and "Seydou Traore", a year apart, other phones and
    # places: a namesake as likely as not, not a sure match earned by a "rare family name Seydou".
    written_back = {"record_id": "s1", "given_name": "Traore", "family_name": "Seydou", "sex": "M",
                    "birth_year": 1999, "phone": "74093411", "origin_region": "Bamako", "origin_commune": "Commune IV"}
    seydou = {"record_id": "s2", "given_name": "Seydou", "family_name": "Traore", "sex": "M", "birth_year": 2000,
              "phone": "51271170", "origin_region": "Bamako", "origin_commune": "Commune VI"}
    straight = {**written_back, "given_name": "Seydou", "family_name": "Traore"}
    assert rank(written_back, [seydou], min_score=0.0)[0].score <= rank(straight, [seydou], min_score=0.0)[0].score < 0.5


def test_a_record_without_birth_date_meets_its_registration_off_the_same_flight():
    # No birth year on one side, another phone, no place: only a name and the day of return in common.
    first = {"record_id": "x1", "given_name": "Awa", "family_name": "Toure", "sex": "F", "birth_year": 1991,
             "phone": "+22376535860", "return_date": "2023-11-07"}
    again = {"record_id": "x2", "given_name": "AWA", "family_name": "TOURÉ", "sex": "F",
             "phone": "+223 78 65 38 16", "origin_region": "Kayes", "return_date": "2023-11-07"}
    other = {**again, "record_id": "x3", "given_name": "Fanta", "family_name": "Keita", "return_date": "2023-11-08"}
    pairs, stats = _pairs([first, again, other])
    assert ("x1", "x2") in pairs and ("x1", "x3") not in pairs
    assert stats["names_and_return"]["pairs"] >= 1


def test_a_generation_apart_is_two_people_but_a_mistyped_year_is_not():
    from parcours.matching.compare import birth_levels

    records = [{"record_id": "f", "given_name": "Nouhoum", "family_name": "Coulibaly", "birth_date": "1964-08-28"},
               {"record_id": "s", "given_name": "Nouhoum", "family_name": "Coulibaly", "birth_date": "1993-02-08"},
               {"record_id": "t", "given_name": "Nouhoum", "family_name": "Coulibaly", "birth_date": "1946-08-28"},
               {"record_id": "u", "given_name": "Nouhoum", "family_name": "Coulibaly", "birth_date": "1974-08-28"}]
    p = prepare(records)
    levels = birth_levels(p, np.array([0, 0, 0]), np.array([1, 2, 3])).tolist()
    assert levels == [7, 6, 6]  # 29 years: another generation; 1964/1946 and 1964/1974 same day: typos
    # A father and his son of one name on one laissez-passer and one phone: not one person.
    father = {"record_id": "f", "given_name": "Nouhoum", "family_name": "Coulibaly", "sex": "M", "birth_year": 1964,
              "id_document_number": "LP3730041", "phone": "71235408", "origin_region": "Gao"}
    son = {**father, "record_id": "s", "birth_year": 1993}
    assert rank(father, [son], min_score=0.0)[0].score < 0.1


def test_a_phone_mistyped_or_written_short_is_close_not_different():
    from parcours.matching.compare import phone_levels

    base = {"given_name": "Salimata", "family_name": "Traoré"}
    phones = ["21546303", "1546303", "21546330", "21546803", "76356759", ""]
    p = prepare([{**base, "record_id": str(i), "phone": ph} for i, ph in enumerate(phones)])
    levels = phone_levels(p, np.zeros(5, dtype=np.int64), np.arange(1, 6)).tolist()
    assert levels == [1, 1, 1, 2, -1]


def test_a_shared_village_says_less_between_two_people_of_one_family_name():
    from dataclasses import replace

    from parcours.matching.blocking import same_family_sample

    records = [_person(f"t{i}", "Mamadou", "Traoré", 1980 + i % 7) for i in range(30)]
    records += [_person(f"k{i}", "Awa", "Keïta", 1990) for i in range(5)] + [_person("x", "Fanta", "Camara", 2000)]
    p = prepare(records)
    a, b = same_family_sample(p, 500)
    assert (a != b).all() and (p.code["family_canon"][a] == p.code["family_canon"][b]).all()
    model = default_model()
    col = model.fields.index("origin")
    clustered = replace(model, u_same_family={"origin": [0.5, 0.2, 0.2, 0.1]})
    same_family_same_commune = np.array([[4, 0, 3, 0, 2, -1, 0, -1]], dtype=np.int8)
    other_family_same_commune = np.array([[0, 4, 3, 0, 2, -1, 0, -1]], dtype=np.int8)
    assert model.u[col][0] < 0.5
    assert match_probability(clustered, same_family_same_commune)[0] < match_probability(model, same_family_same_commune)[0]
    assert match_probability(clustered, other_family_same_commune)[0] == match_probability(model, other_family_same_commune)[0]


def test_a_sex_mistyped_does_not_make_one_flight_two_relatives():
    from parcours.matching.model import log2_bayes

    model = default_model()
    # Same names and birth year, same day of return, the sex differs: a typo as likely as a relative.
    typo = np.array([[0, 0, 3, 1, -1, -1, -1, 0]], dtype=np.int8)
    no_return = np.array([[0, 0, 3, 1, -1, -1, -1, -1]], dtype=np.int8)
    assert log2_bayes(model, typo)[0] > log2_bayes(model, no_return)[0]
    # Other given names on that flight: relatives, the day counts for nothing.
    brothers = np.array([[4, 0, 3, 0, -1, -1, -1, 0]], dtype=np.int8)
    assert log2_bayes(model, brothers)[0] == log2_bayes(model, np.array([[4, 0, 3, 0, -1, -1, -1, -1]], dtype=np.int8))[0]


def test_the_prior_does_not_count_relatives_on_one_document_or_phone_as_matches():
    from parcours.matching.model import estimate_prior

    model = default_model()
    one = np.array([[0, 0, 0, 0, 0, 0, 0, -1]], dtype=np.int8)  # the same person twice
    brother_on_lp = np.array([[4, 0, 4, 0, 2, 0, 0, -1]], dtype=np.int8)  # other given name, same laissez-passer
    brother_on_phone = np.array([[4, 0, 4, 0, 0, -1, 0, -1]], dtype=np.int8)
    random_levels = np.tile(np.array([[4, 4, 6, 1, 2, 2, 3, -1]], dtype=np.int8), (100, 1))
    alone = estimate_prior(model, np.repeat(one, 10, axis=0), random_levels, 10_000)
    with_relatives = estimate_prior(model, np.concatenate([np.repeat(one, 10, axis=0), np.repeat(brother_on_lp, 10, axis=0),
                                                           np.repeat(brother_on_phone, 10, axis=0)]), random_levels, 10_000)
    assert with_relatives == pytest.approx(alone, rel=0.05), (with_relatives, alone)
