"""A large synthetic Malian registry with known duplicates, fast (bulk lists, not per-row objects).

Names are drawn with realistic weights; about 70 % of people come from Kayes, 20 % from Bamako
(SPEC §2); a share of records are re-registrations of someone already there, spelled the ways
Malian names really vary (Mamadou/Mahamadou/Mohamed, Keïta/Keita, Coulibaly/Kulibali,
Diallo/Jallo, Sissoko/Cissoko…), with the year only, day and month swapped, a new phone, no
document. `generate_records` yields people-file dicts; `true_pairs` says which rows are the same."""

import datetime as dt
import random
from collections.abc import Iterator

# (name, weight, variants as they are also written)
MEN = [
    ("Mamadou", 12, ["Mahamadou", "Mohamed", "Mamadu", "Muhammad", "Mohamadou"]), ("Moussa", 8, ["Musa", "Mousa"]),
    ("Seydou", 6, ["Seidou", "Saidou", "Seydu"]), ("Boubacar", 6, ["Boubakar", "Aboubacar", "Bubakar"]),
    ("Ibrahim", 5, ["Ibrahima", "Brahima", "Ibrahima"]), ("Oumar", 5, ["Umar", "Omar"]),
    ("Adama", 5, ["Adam"]), ("Souleymane", 5, ["Sulayman", "Soulemane", "Souleyman"]),
    ("Abdoulaye", 5, ["Abdullahi", "Abdoulay", "Abdallah"]), ("Bakary", 4, ["Bakari", "Backary"]),
    ("Sekou", 4, ["Sékou", "Sekouba"]), ("Lassana", 3, ["Lassine", "Lansana"]), ("Modibo", 3, ["Modibbo"]),
    ("Drissa", 3, ["Driss", "Idrissa"]), ("Yacouba", 3, ["Yakouba", "Yacuba"]), ("Siaka", 2, ["Siyaka"]),
    ("Amadou", 5, ["Ahmadou", "Hamadou"]), ("Cheick", 2, ["Cheikh", "Sheikh", "Chaka"]),
    ("Hamidou", 2, ["Hamidu"]), ("Issa", 3, ["Issah"]), ("Kalilou", 2, ["Khalilou", "Kalil"]),
    ("Samba", 2, ["Samba"]), ("Demba", 2, ["Dembo"]), ("Ousmane", 5, ["Usman", "Ousman", "Oumane"]),
    ("Tiémoko", 1, ["Tiemoko"]), ("Bréhima", 2, ["Brehima"]), ("Daouda", 2, ["Dawda", "Daouda"]),
    ("Mahamane", 2, ["Mahaman"]), ("Alassane", 2, ["Alasane", "Hassane"]), ("Youssouf", 2, ["Yusuf", "Youssef"]),
]
WOMEN = [
    ("Fatoumata", 10, ["Fatouma", "Fatimata", "Fatima", "Fanta"]), ("Aminata", 8, ["Amina", "Aminta"]),
    ("Mariam", 7, ["Mariama", "Maryam", "Mariame"]), ("Kadiatou", 6, ["Kadidia", "Khadija", "Kadija"]),
    ("Oumou", 5, ["Umu", "Oumouu"]), ("Awa", 5, ["Hawa"]), ("Assitan", 3, ["Assita"]), ("Djeneba", 3, ["Djénéba", "Jeneba"]),
    ("Rokia", 3, ["Rokiatou", "Rokiya"]), ("Salimata", 3, ["Salimatou"]), ("Bintou", 3, ["Bintu"]),
    ("Maimouna", 3, ["Maïmouna", "Maymuna"]), ("Coumba", 2, ["Kumba", "Koumba"]), ("Nana", 2, ["Nanah"]),
]
FAMILIES = [
    ("Traoré", 14, ["Traore", "Tarawele", "Traoré"]), ("Diarra", 9, ["Jara", "Diara"]),
    ("Coulibaly", 10, ["Kulibali", "Koulibaly", "Coulibali"]), ("Keïta", 8, ["Keita", "Kéita"]),
    ("Konaté", 5, ["Konate"]), ("Diallo", 8, ["Jallo", "Djallo", "Diallo"]), ("Camara", 5, ["Kamara"]),
    ("Sissoko", 6, ["Cissoko", "Sisoko"]), ("Touré", 5, ["Toure", "Ture"]), ("Cissé", 5, ["Cisse", "Sisse"]),
    ("Sidibé", 4, ["Sidibe"]), ("Dembélé", 4, ["Dembele"]), ("Sangaré", 3, ["Sangare"]),
    ("Doumbia", 3, ["Dumbia", "Doumbouya"]), ("Kanté", 3, ["Kante"]), ("Maïga", 3, ["Maiga"]),
    ("Soumaré", 4, ["Soumare", "Sumare"]), ("Diakité", 4, ["Diakite", "Jakite"]), ("Fofana", 3, ["Fofanah"]),
    ("Bagayoko", 2, ["Bagayogo"]), ("Samaké", 2, ["Samake"]), ("Koné", 3, ["Kone"]), ("Dansoko", 2, ["Dansoko"]),
    ("Tandia", 2, ["Tandjia"]), ("Niakaté", 2, ["Niakate"]), ("Sacko", 2, ["Sako"]), ("Dramé", 2, ["Drame"]),
    ("Haïdara", 2, ["Haidara"]), ("Sylla", 2, ["Sila"]), ("Dicko", 2, ["Diko"]), ("Kamissoko", 1, ["Kamisoko"]),
    ("Gassama", 1, ["Gasama"]), ("Ballo", 1, ["Balo"]), ("Berthé", 1, ["Berthe"]), ("Tounkara", 2, ["Tunkara"]),
]
ORIGINS = [  # (region, cercle, commune, weight)
    ("Kayes", "Kayes", "Kayes", 14), ("Kayes", "Kayes", "Ségala", 4), ("Kayes", "Nioro du Sahel", "Nioro", 10),
    ("Kayes", "Nioro du Sahel", "Gavinané", 3), ("Kayes", "Diéma", "Diéma", 9), ("Kayes", "Diéma", "Béma", 3),
    ("Kayes", "Kita", "Kita", 7), ("Kayes", "Yélimané", "Krémis", 8), ("Kayes", "Yélimané", "Guidimé", 3),
    ("Kayes", "Bafoulabé", "Bafoulabé", 4), ("Kayes", "Kéniéba", "Kéniéba", 5),
    ("District de Bamako", "", "Commune I", 3), ("District de Bamako", "", "Commune II", 2),
    ("District de Bamako", "", "Commune III", 2), ("District de Bamako", "", "Commune IV", 4),
    ("District de Bamako", "", "Commune V", 4), ("District de Bamako", "", "Commune VI", 5),
    ("Koulikoro", "Kati", "", 3), ("Sikasso", "Sikasso", "", 2), ("Ségou", "Ségou", "", 2), ("Mopti", "Mopti", "", 1),
    ("Gao", "Gao", "", 1), ("Tombouctou", "Tombouctou", "", 1),
]
RETURNED_FROM = [("LY", 55), ("DZ", 15), ("NE", 14), ("MA", 4), ("GA", 3), ("CI", 3), ("ES", 3), ("FR", 3)]
PHONE_PREFIXES = ["70", "71", "73", "74", "75", "76", "77", "78", "79", "60", "61", "62", "63", "65", "66", "67",
                  "69", "90", "91", "92", "93", "94", "95", "96", "97", "98", "99"]
FIRST_RETURN, LAST_RETURN = dt.date(2017, 5, 17), dt.date(2021, 2, 28)


def _weighted(rng: random.Random, table, k: int) -> list:
    return rng.choices(table, weights=[t[-1] if len(t) > 3 else t[1] for t in table], k=k)


def _base(rng: random.Random, n: int) -> list[dict]:
    female = [rng.random() < 0.15 for _ in range(n)]
    men, women = _weighted(rng, MEN, n), _weighted(rng, WOMEN, n)
    families = _weighted(rng, FAMILIES, n)
    origins = _weighted(rng, ORIGINS, n)
    returned = _weighted(rng, RETURNED_FROM, n)
    span = (LAST_RETURN - FIRST_RETURN).days
    rows = []
    for i in range(n):
        given = (women if female[i] else men)[i][0]
        year = rng.randint(1965, 2008)
        exact = rng.random() < 0.6
        region, cercle, commune, _w = origins[i]
        doc = rng.random()
        rows.append({
            "record_id": f"S{i:07d}",
            "given_name": given, "family_name": families[i][0], "other_names": "",
            "sex": "F" if female[i] else "M",
            "birth_date": dt.date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat() if exact else "",
            "birth_year": "" if exact else str(year),
            "phone": f"+223{rng.choice(PHONE_PREFIXES)}{rng.randint(0, 999999):06d}" if rng.random() < 0.75 else "",
            "nationality": "ML", "origin_region": region, "origin_cercle": cercle, "origin_commune": commune,
            "id_document_type": "laissez_passer" if doc < 0.3 else ("nina" if doc < 0.45 else ""),
            "id_document_number": (f"LP{rng.randint(0, 9_999_999):07d}" if doc < 0.3
                                   else (f"{rng.randint(10**14, 10**15 - 1)}" if doc < 0.45 else "")),
            "return_date": (FIRST_RETURN + dt.timedelta(days=rng.randint(0, span))).isoformat(),
            "returned_from": returned[i][0],
        })
    return rows


_VARIANTS = {name: variants for table in (MEN, WOMEN, FAMILIES) for name, _w, variants in table}


def _perturb(rng: random.Random, row: dict, new_id: str) -> dict:
    """The same person registered again, as it really happens: another spelling, a partial date,
    a changed phone, a forgotten document, sometimes a typo or swapped names."""
    dup = {**row, "record_id": new_id}
    for field in ("given_name", "family_name"):
        if rng.random() < 0.55 and _VARIANTS.get(dup[field]):
            dup[field] = rng.choice(_VARIANTS[dup[field]])
    if rng.random() < 0.05:
        dup["given_name"], dup["family_name"] = dup["family_name"], dup["given_name"]
    if rng.random() < 0.08 and len(dup["family_name"]) > 4:
        j = rng.randrange(1, len(dup["family_name"]) - 1)
        dup["family_name"] = dup["family_name"][:j] + dup["family_name"][j + 1:]
    if dup["birth_date"]:
        roll = rng.random()
        if roll < 0.3:
            dup["birth_year"], dup["birth_date"] = dup["birth_date"][:4], ""
        elif roll < 0.4:
            y, m, d = dup["birth_date"].split("-")
            if int(d) <= 12:
                dup["birth_date"] = f"{y}-{d}-{m}"
    elif dup["birth_year"] and rng.random() < 0.2:
        dup["birth_year"] = str(int(dup["birth_year"]) + rng.choice([-1, 1]))
    if rng.random() < 0.35:
        dup["phone"] = "" if rng.random() < 0.5 else f"+223{rng.choice(PHONE_PREFIXES)}{rng.randint(0, 999999):06d}"
    if rng.random() < 0.5:
        dup["id_document_type"], dup["id_document_number"] = "", ""
    if rng.random() < 0.3:
        dup["origin_commune"] = ""
    if rng.random() < 0.5:
        shift = dt.timedelta(days=rng.randint(0, 400))
        dup["return_date"] = min(dt.date.fromisoformat(dup["return_date"]) + shift, LAST_RETURN).isoformat()
    return dup


def generate(n: int, *, seed: int = 1, duplicate_rate: float = 0.1) -> tuple[list[dict], list[tuple[str, str]]]:
    """`n` records of which about `duplicate_rate` re-register someone; and the true pairs."""
    rng = random.Random(seed)
    n_dups = int(n * duplicate_rate)
    rows = _base(rng, n - n_dups)
    pairs = []
    for k in range(n_dups):
        source = rows[rng.randrange(len(rows) - k if k < len(rows) else len(rows))]
        dup = _perturb(rng, source, f"D{k:07d}")
        pairs.append((source["record_id"], dup["record_id"]))
        rows.append(dup)
    rng.shuffle(rows)
    return rows, pairs


def generate_records(n: int, *, seed: int = 1, duplicate_rate: float = 0.1) -> Iterator[dict]:
    rows, _pairs = generate(n, seed=seed, duplicate_rate=duplicate_rate)
    return iter(rows)
