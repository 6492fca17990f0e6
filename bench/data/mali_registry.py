"""A synthetic registry of Malian returnees with known duplicates, for evaluating duplicate detection.

Written from a list of what goes wrong in real registries in Mali, independently of the matcher it
evaluates (whoever edits this file should not read `parcours/matching` or `parcours/demo/synthetic.py`):

- households register with the family's one phone, the same family name and the same village:
  brothers, twins, a father and the son who carries his name, a mother and her children, spouses;
- a few family names (Traoré, Coulibaly, Diarra, Keïta, Diallo, Koné…) cover several percent of
  people each, with regional skews (Maïga in Gao, Guindo in Bandiagara, Sissoko in Kayes…);
- namesakes: the same given and family name in the same cercle, born a few years apart;
- one letter dropped, swapped, replaced or doubled, in either name or both; Arabic, French, Bambara
  and Fula forms of one name (Oumar/Umar/Omar, Traoré/Trawre/Tarawele, Youssouf/Youssoufa);
- given and family name swapped ("TRAORE Moussa" typed the wrong way round); a compound given name
  split or shortened (Cheick Oumar / Cheick + other name Oumar / Cheick); a married woman under her
  husband's name;
- most people know only a birth year, estimated from an age; a year off by one with the same day and
  month; day and month swapped; an unknown date written as 1 January or 31 December;
- upper case, accents dropped, dates as DD/MM/YYYY, +223 numbers written half a dozen ways, numbers
  with a digit wrong or written short (six or seven digits), a new SIM after return, no phone at all;
  a place of residence given instead of the place of origin;
- the same person registered twice off the same flight (by two agencies, or twice at one desk), or
  again after a second migration and return.

Writes, in `--out`:
  people.csv         the people file in the contract's format (the columns `parcours dedupe` reads)
  true_pairs.csv     record_id_a, record_id_b, tags, primary — every pair of records of one person
  hard_nonpairs.csv  record_id_a, record_id_b, relation, shares — records of different but related or
                     look-alike people (sibling, twin, father_son, parent_child, spouse, namesake,
                     shared_phone)
  persons.csv        record_id, person_id, household_id — the true clustering
  summary.json       the counts

Deterministic for a given `--records` and `--seed` (stdlib only, no hash-order dependence):
    python bench/data/mali_registry.py --records 25000 --seed 7 --out DIR
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import functools
import json
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PEOPLE_COLUMNS = (
    "record_id", "given_name", "family_name", "other_names", "sex", "birth_date", "birth_year", "phone",
    "nationality", "origin_region", "origin_cercle", "origin_commune", "id_document_type",
    "id_document_number", "return_date", "returned_from",
)

# --------------------------------------------------------------------------------------------------
# Names. Each entry: (weight, forms); the first form is the usual French-style spelling, the others are
# real alternative spellings of the same name (Arabic, Bambara, Fula, phonetic). Accent-only variants
# are left to the accent-dropping style, not listed here.

MALE_GIVEN = [
    (9.0, ["Mamadou", "Mahamadou", "Mamadu", "Mohamadou"]),
    (7.0, ["Moussa", "Musa", "Mousa"]),
    (5.0, ["Seydou", "Seidou", "Saïdou", "Saydou"]),
    (4.5, ["Oumar", "Umar", "Omar", "Oumarou"]),
    (4.5, ["Amadou", "Hamadou", "Ahmadou"]),
    (4.5, ["Abdoulaye", "Abdoulay", "Ablaye", "Abdallah"]),
    (4.0, ["Ibrahim", "Ibrahima", "Brahima", "Bréhima"]),
    (4.0, ["Boubacar", "Aboubacar", "Boubakar", "Aboubakar"]),
    (4.0, ["Souleymane", "Souleymani", "Soulemane", "Sulayman"]),
    (4.0, ["Adama"]),
    (3.5, ["Bakary", "Bakari", "Bakaye"]),
    (3.0, ["Drissa", "Idrissa", "Driss"]),
    (3.0, ["Sékou", "Sékouba"]),
    (3.0, ["Yacouba", "Yakouba", "Yacoub"]),
    (3.0, ["Issa", "Isa"]),
    (3.0, ["Ousmane", "Ousman", "Usman", "Othmane"]),
    (2.5, ["Modibo"]),
    (2.5, ["Lassana", "Lasana"]),
    (2.0, ["Lassine", "Lassina", "Lacine"]),
    (2.0, ["Fousseyni", "Fousseni", "Foussény"]),
    (2.5, ["Youssouf", "Youssoufa", "Yousouf", "Yusuf"]),
    (2.5, ["Daouda", "Dawuda", "Daoud"]),
    (2.0, ["Siaka"]),
    (2.0, ["Aliou", "Alou", "Aly", "Ali"]),
    (2.0, ["Cheick", "Cheikh", "Sheikh"]),
    (2.0, ["Mohamed", "Mohammed", "Mahamed", "Muhammad"]),
    (1.5, ["Karim", "Abdoul Karim", "Abdoulkarim"]),
    (1.5, ["Hamidou", "Hamid"]),
    (1.5, ["Sidiki", "Siddick"]),
    (1.5, ["Abdramane", "Abdourahamane", "Abdrahamane", "Dramane"]),
    (1.5, ["Salif", "Salifou"]),
    (1.5, ["Bourama", "Boureima", "Bouraïma"]),
    (1.5, ["Ismaïla", "Smaïla", "Ismaël", "Ismail"]),
    (1.5, ["Samba"]),
    (1.2, ["Demba"]),
    (1.2, ["Tiémoko"]),
    (1.2, ["Mamoutou", "Mamoudou", "Mahamoudou"]),
    (1.2, ["Nouhoum", "Nouhou", "Nouh"]),
    (1.2, ["Kalilou", "Khalilou", "Khalil"]),
    (1.2, ["Soumaïla"]),
    (1.2, ["Yaya", "Yahya"]),
    (1.2, ["Harouna", "Haroun"]),
    (1.2, ["Alassane", "Alhassane"]),
    (1.0, ["Hassane", "Hassan"]),
    (1.0, ["Alhousseini", "Alousseni", "Housseini"]),
    (1.0, ["Zoumana"]),
    (1.0, ["Hamadoun", "Hamadoum"]),
    (1.0, ["Lamine", "Alamine"]),
    (1.0, ["Mahamane", "Mahaman"]),
    (1.0, ["Moctar", "Mokhtar", "Moktar"]),
    (1.0, ["Sidy", "Sidi"]),
    (1.0, ["Fodé", "Fodié"]),
    (1.0, ["Djibril", "Djibrilla", "Jibril"]),
    (1.0, ["Baba"]),
    (0.8, ["Tidiani", "Tidiane", "Tijani"]),
    (0.8, ["Allaye", "Alaye"]),
    (0.8, ["Karamoko"]),
    (0.8, ["Sory", "Sori"]),
    (0.8, ["Mady", "Madi"]),
    (0.8, ["Kassoum", "Kassim", "Qassim"]),
    (0.8, ["Diakaridia", "Zakaria", "Zakariya"]),
    (0.6, ["Makan"]),
    (0.6, ["Boubou"]),
    (0.6, ["Bandiougou"]),
    (0.5, ["Nfaly", "Fali"]),
    (0.5, ["Sambou"]),
    (0.5, ["Mamadi", "Mamady"]),
    (0.5, ["Gaoussou", "Gaoussu"]),
]

FEMALE_GIVEN = [
    (8.0, ["Fatoumata", "Fatouma", "Fatimata", "Fatim"]),
    (6.0, ["Aminata", "Aminatou", "Amina"]),
    (6.0, ["Mariam", "Mariama", "Mariame", "Maryam"]),
    (5.0, ["Awa", "Hawa", "Hawaou"]),
    (5.0, ["Kadiatou", "Kadidiatou", "Kadidia", "Khadija"]),
    (4.0, ["Oumou", "Ummu"]),
    (3.5, ["Djénéba", "Zénab", "Zeinab", "Jeneba"]),
    (3.0, ["Rokia", "Rokiatou", "Roukiatou"]),
    (3.0, ["Assétou", "Assatou"]),
    (3.0, ["Aïssata", "Aïssatou", "Aïcha"]),
    (3.0, ["Salimata", "Salimatou", "Salamata"]),
    (2.5, ["Fanta"]),
    (2.5, ["Bintou", "Binta"]),
    (2.0, ["Nana"]),
    (2.0, ["Ramata", "Ramatou", "Rahmatou"]),
    (2.0, ["Maïmouna", "Mamouna"]),
    (1.5, ["Korotoumou", "Kortoumou"]),
    (1.5, ["Sanata"]),
    (1.5, ["Safiatou", "Safiétou", "Safi"]),
    (1.5, ["Coumba", "Koumba"]),
    (1.5, ["Mah"]),
    (1.0, ["Sitan"]),
    (1.0, ["Massitan"]),
    (1.0, ["Adiaratou", "Adiara"]),
    (1.0, ["Haby", "Habi"]),
    (1.0, ["Tenin", "Téné"]),
    (0.8, ["Habibatou", "Habiba"]),
    (0.8, ["Nafissatou", "Nafi"]),
    (0.8, ["Penda"]),
    (0.6, ["Hadizatou", "Hadiza"]),
]

# Compound given names: (first name's usual form, second name, weight).
MALE_COMPOUNDS = [
    ("Mamadou", "Lamine", 3), ("Mohamed", "Lamine", 2), ("Cheick", "Oumar", 3), ("Cheick", "Tidiane", 2),
    ("Sidy", "Mohamed", 2), ("Aliou", "Badara", 1), ("Ibrahim", "Khalil", 1), ("Mamadou", "Saliou", 1),
    ("Cheick", "Hamala", 1), ("Mohamed", "El Moctar", 1), ("Boubacar", "Sidiki", 1),
]
FEMALE_COMPOUNDS = [
    ("Fatoumata", "Binta", 2), ("Oumou", "Kalsoum", 2), ("Kadiatou", "Binta", 1), ("Aïssata", "Mariam", 1),
    ("Mariam", "Sira", 1),
]

# Family names: (national weight, forms). Percentages in Mali are not published; the skew below
# (a few names covering several percent each, a long tail) is the one every registry shows.
FAMILY = {
    "Traoré": (9.0, ["Traoré", "Trawre", "Tarawele", "Tarawere"]),
    "Coulibaly": (8.5, ["Coulibaly", "Koulibaly", "Kulibali", "Coulibali"]),
    "Diarra": (6.5, ["Diarra", "Diara", "Jara", "Djarra"]),
    "Diallo": (5.0, ["Diallo", "Jallo", "Djallo", "Diallow"]),
    "Keïta": (4.5, ["Keïta", "Keyita"]),
    "Koné": (4.0, ["Koné"]),
    "Konaté": (3.2, ["Konaté", "Konnaté"]),
    "Touré": (3.0, ["Touré", "Turé"]),
    "Cissé": (3.0, ["Cissé", "Sissé"]),
    "Sangaré": (2.8, ["Sangaré", "Sangari"]),
    "Maïga": (2.5, ["Maïga", "Mahiga"]),
    "Dembélé": (2.5, ["Dembélé"]),
    "Camara": (2.5, ["Camara", "Kamara"]),
    "Doumbia": (2.2, ["Doumbia", "Dumbia", "Doumbya"]),
    "Sidibé": (2.2, ["Sidibé", "Sidibeh"]),
    "Diakité": (2.0, ["Diakité", "Jakite", "Diakhité"]),
    "Kanté": (1.8, ["Kanté"]),
    "Sissoko": (1.8, ["Sissoko", "Cissoko", "Sisoko"]),
    "Samaké": (1.6, ["Samaké"]),
    "Fofana": (1.5, ["Fofana", "Fofanah"]),
    "Sanogo": (1.5, ["Sanogo", "Sanogho"]),
    "Bagayoko": (1.3, ["Bagayoko", "Bagayogo"]),
    "Guindo": (1.2, ["Guindo", "Guindou"]),
    "Diawara": (1.2, ["Diawara", "Jawara", "Diawarra"]),
    "Kouyaté": (1.0, ["Kouyaté", "Kuyate"]),
    "Ballo": (1.0, ["Ballo", "Balo"]),
    "Tangara": (1.0, ["Tangara", "Tangora"]),
    "Berthé": (1.0, ["Berthé", "Berté"]),
    "Sylla": (1.0, ["Sylla", "Silla", "Sila"]),
    "Soumaré": (1.0, ["Soumaré", "Sumare"]),
    "Sow": (1.0, ["Sow", "Sao"]),
    "Ba": (1.0, ["Ba", "Bah"]),
    "Ouattara": (1.0, ["Ouattara", "Wattara", "Watara"]),
    "Dolo": (0.8, ["Dolo"]),
    "Haïdara": (0.8, ["Haïdara", "Haydara"]),
    "Dicko": (0.8, ["Dicko", "Dikko"]),
    "Barry": (0.8, ["Barry", "Bari"]),
    "Bamba": (0.8, ["Bamba"]),
    "Tounkara": (0.8, ["Tounkara", "Tunkara"]),
    "Dramé": (0.8, ["Dramé", "Drammeh"]),
    "Sacko": (0.8, ["Sacko", "Sako"]),
    "Goïta": (0.7, ["Goïta", "Goyta"]),
    "Kanouté": (0.7, ["Kanouté"]),
    "Mariko": (0.7, ["Mariko"]),
    "Diabaté": (0.7, ["Diabaté", "Jabate"]),
    "Niaré": (0.6, ["Niaré", "Gniaré"]),
    "Dao": (0.6, ["Dao", "Daou"]),
    "Togola": (0.6, ["Togola"]),
    "Doucouré": (0.6, ["Doucouré", "Doukouré"]),
    "Bathily": (0.6, ["Bathily", "Batily"]),
    "Kané": (0.5, ["Kané"]),
    "Magassa": (0.5, ["Magassa", "Magasa"]),
    "Sogoba": (0.5, ["Sogoba"]),
    "Koïta": (0.5, ["Koïta", "Koyta"]),
    "Kassogué": (0.5, ["Kassogué"]),
    "Djiré": (0.4, ["Djiré", "Jiré"]),
    "Tembely": (0.4, ["Tembely", "Tembeli"]),
    "Gassama": (0.4, ["Gassama", "Gassamah"]),
    "Nimaga": (0.4, ["Nimaga"]),
    "Tandia": (0.4, ["Tandia", "Tandjia"]),
    "Thiam": (0.4, ["Thiam", "Tiam"]),
    "Timbiné": (0.3, ["Timbiné"]),
    "Yattara": (0.3, ["Yattara", "Yatara"]),
    "Konté": (0.3, ["Konté"]),
    "Kamissoko": (0.3, ["Kamissoko"]),
    "Dansoko": (0.3, ["Dansoko"]),
    "Ag Mohamed": (0.1, ["Ag Mohamed", "Ag Mohamed Ahmed"]),
    "Ag Alhousseini": (0.1, ["Ag Alhousseini", "Ag Alousseni"]),
}

# Multipliers of the national weights by region of origin.
REGION_FAMILY_SKEW = {
    "KAY": {"Sissoko": 4, "Diawara": 4, "Kanouté": 4, "Tounkara": 4, "Sacko": 4, "Soumaré": 4, "Dramé": 4,
            "Camara": 2, "Cissé": 1.5, "Sylla": 3, "Doucouré": 4, "Bathily": 5, "Tandia": 4, "Gassama": 4,
            "Nimaga": 4, "Magassa": 3, "Konté": 3, "Dansoko": 3, "Kamissoko": 3, "Coulibaly": 0.6,
            "Diarra": 0.5, "Maïga": 0.1, "Guindo": 0.1, "Dolo": 0.1, "Kassogué": 0.05, "Tembely": 0.05},
    "KOU": {"Traoré": 1.3, "Keïta": 1.8, "Diarra": 1.4, "Konaté": 1.8, "Coulibaly": 1.2, "Doumbia": 1.6,
            "Camara": 1.3, "Kouyaté": 1.5, "Niaré": 2, "Samaké": 2, "Kané": 1.5, "Maïga": 0.1},
    "SIK": {"Traoré": 1.5, "Coulibaly": 1.4, "Sanogo": 4, "Ouattara": 5, "Koné": 2.5, "Dembélé": 2,
            "Berthé": 3, "Togola": 3, "Bagayoko": 1.5, "Sidibé": 2, "Sangaré": 2, "Diakité": 1.5,
            "Doumbia": 1.5, "Maïga": 0.1, "Guindo": 0.2},
    "SEG": {"Diarra": 2.2, "Coulibaly": 1.8, "Traoré": 1.2, "Tangara": 3, "Kané": 2, "Dembélé": 1.5,
            "Dao": 2, "Sogoba": 2, "Samaké": 1.5, "Togola": 1.5, "Maïga": 0.2},
    "MOP": {"Guindo": 8, "Dolo": 8, "Kassogué": 8, "Tembely": 8, "Timbiné": 6, "Sow": 3, "Diallo": 2.5,
            "Cissé": 2, "Barry": 3, "Ba": 2.5, "Dicko": 2, "Djiré": 3, "Sangaré": 1.5, "Touré": 1.5,
            "Traoré": 0.7, "Coulibaly": 0.5, "Diarra": 0.6},
    "TOM": {"Maïga": 4, "Touré": 4, "Cissé": 3, "Haïdara": 6, "Dicko": 2, "Yattara": 4, "Thiam": 2,
            "Traoré": 0.5, "Coulibaly": 0.3, "Diarra": 0.3, "Ag Mohamed": 6, "Ag Alhousseini": 6},
    "GAO": {"Maïga": 8, "Touré": 3, "Cissé": 2, "Haïdara": 3, "Dicko": 2, "Traoré": 0.3,
            "Coulibaly": 0.2, "Diarra": 0.2, "Ag Mohamed": 6, "Ag Alhousseini": 6},
    "MEN": {"Maïga": 6, "Ag Mohamed": 40, "Ag Alhousseini": 40, "Touré": 2, "Traoré": 0.2,
            "Coulibaly": 0.2},
    "KID": {"Ag Mohamed": 80, "Ag Alhousseini": 80, "Maïga": 4, "Haïdara": 3, "Traoré": 0.1,
            "Coulibaly": 0.1, "Diarra": 0.1},
    "BKO": {},
}

# Foreign migrants registered in transit: nationality weight, family names, phone (code, length).
FOREIGN = {
    "GN": (30, ["Diallo", "Barry", "Bah", "Sow", "Camara", "Condé", "Soumah", "Bangoura", "Sylla", "Kourouma"],
           ("224", 9, "6")),
    "SN": (15, ["Diop", "Ndiaye", "Fall", "Sow", "Ba", "Faye", "Diouf", "Gueye", "Sarr"], ("221", 9, "7")),
    "CI": (15, ["Kouassi", "Konan", "Koffi", "Yao", "Koné", "Ouattara", "Traoré", "Bamba", "Coulibaly"],
           ("225", 10, "07")),
    "BF": (15, ["Ouédraogo", "Sawadogo", "Kaboré", "Compaoré", "Zongo", "Traoré", "Sanou", "Ouattara"],
           ("226", 8, "7")),
    "NG": (10, ["Okafor", "Adeyemi", "Okonkwo", "Bello", "Eze", "Abubakar"], ("234", 10, "80")),
    "GM": (8, ["Jallow", "Ceesay", "Sanneh", "Touray", "Jammeh", "Bah"], ("220", 7, "7")),
    "SL": (7, ["Kamara", "Sesay", "Bangura", "Conteh", "Koroma"], ("232", 8, "7")),
}

# --------------------------------------------------------------------------------------------------
# Places: region code, the region's name, its cercles with a weight (migrants come overwhelmingly from
# the Kayes region, Bamako and Koulikoro) and a few communes each. Bamako has communes, no cercle.

REGIONS = {
    "KAY": ("Kayes", 32, {
        "Yélimané": (6, ["Yélimané", "Kirané Kaniaga", "Diafounou Gory", "Kremis", "Tringa"]),
        "Nioro du Sahel": (5, ["Nioro", "Gavinané", "Troungoumbé", "Sandaré", "Diabigué"]),
        "Kayes": (6, ["Kayes", "Khouloum", "Ségala", "Diamou", "Sadiola", "Samé Diomgoma"]),
        "Diéma": (4, ["Diéma", "Béma", "Dianguirdé", "Lakamané"]),
        "Bafoulabé": (2, ["Bafoulabé", "Mahina", "Oualia"]),
        "Kita": (3, ["Kita", "Sébékoro", "Toukoto", "Sirakoro"]),
        "Kéniéba": (1.5, ["Kéniéba", "Faléa", "Sitakily"]),
    }),
    "BKO": ("District de Bamako", 18, {
        "": (1, ["Commune I", "Commune II", "Commune III", "Commune IV", "Commune V", "Commune VI"]),
    }),
    "KOU": ("Koulikoro", 14, {
        "Kati": (5, ["Kati", "Kalabancoro", "Ouéléssébougou", "Siby", "Sanankoroba"]),
        "Koulikoro": (2, ["Koulikoro", "Tienfala"]),
        "Banamba": (2, ["Banamba", "Toubacoro", "Madina Sacko"]),
        "Dioïla": (1.5, ["Dioïla", "Massigui"]),
        "Kangaba": (1, ["Kangaba", "Naréna"]),
        "Kolokani": (1.5, ["Kolokani", "Massantola", "Didiéni"]),
        "Nara": (1.5, ["Nara", "Ballé", "Dilly"]),
    }),
    "SIK": ("Sikasso", 10, {
        "Sikasso": (4, ["Sikasso", "Kléla", "Finkolo"]),
        "Bougouni": (2, ["Bougouni", "Garalo"]),
        "Kadiolo": (1, ["Kadiolo", "Loulouni"]),
        "Kolondiéba": (1, ["Kolondiéba", "Fakola"]),
        "Koutiala": (3, ["Koutiala", "M'Pessoba"]),
        "Yanfolila": (1, ["Yanfolila", "Kalana"]),
        "Yorosso": (1, ["Yorosso", "Koury"]),
    }),
    "SEG": ("Ségou", 10, {
        "Ségou": (4, ["Ségou", "Pélengana", "Markala", "Dioro"]),
        "Barouéli": (1, ["Barouéli", "Konobougou"]),
        "Bla": (1.5, ["Bla", "Yangasso"]),
        "Macina": (1, ["Macina", "Kolongo"]),
        "Niono": (2, ["Niono", "Diabaly", "Siribala"]),
        "San": (2, ["San", "Sy"]),
        "Tominian": (1, ["Tominian", "Mandiakuy"]),
    }),
    "MOP": ("Mopti", 7, {
        "Mopti": (3, ["Mopti", "Sio", "Socoura", "Konna"]),
        "Bandiagara": (2, ["Bandiagara", "Sangha", "Dourou"]),
        "Bankass": (1.5, ["Bankass", "Baye", "Diallassagou"]),
        "Djenné": (1.5, ["Djenné", "Derary"]),
        "Douentza": (1, ["Douentza", "Boni", "Hombori"]),
        "Koro": (1.5, ["Koro", "Dinangourou", "Madougou"]),
        "Ténenkou": (1, ["Ténenkou", "Diafarabé"]),
        "Youwarou": (0.5, ["Youwarou"]),
    }),
    "TOM": ("Tombouctou", 4, {
        "Tombouctou": (3, ["Tombouctou", "Ber", "Bourem Inaly"]),
        "Diré": (1, ["Diré", "Tienkour"]),
        "Goundam": (1.5, ["Goundam", "Tonka"]),
        "Gourma-Rharous": (1, ["Gourma-Rharous", "Bambara Maoudé"]),
        "Niafunké": (1.5, ["Niafunké", "Léré", "Soumpi"]),
    }),
    "GAO": ("Gao", 3, {
        "Gao": (3, ["Gao", "Sony Aliber"]),
        "Ansongo": (1, ["Ansongo", "Ouattagouna"]),
        "Bourem": (1, ["Bourem", "Bamba", "Témera"]),
    }),
    "MEN": ("Ménaka", 0.6, {
        "Ménaka": (1, ["Ménaka"]),
        "Andéramboukane": (0.4, ["Andéramboukane"]),
    }),
    "KID": ("Kidal", 0.4, {
        "Kidal": (2, ["Kidal", "Anéfif"]),
        "Tessalit": (1, ["Tessalit", "Aguelhok"]),
    }),
}

# How the same place gets written otherwise.
PLACE_ALTERNATES = {
    "District de Bamako": ["Bamako", "BKO"], "Nioro du Sahel": ["Nioro", "Nioro-du-Sahel"],
    "Tombouctou": ["Timbuktu", "Tombouktou"], "Gourma-Rharous": ["Rharous", "Gourma Rharous"],
    "Commune I": ["Commune 1"], "Commune II": ["Commune 2"], "Commune III": ["Commune 3"],
    "Commune IV": ["Commune 4"], "Commune V": ["Commune 5"], "Commune VI": ["Commune 6"],
    "Kirané Kaniaga": ["Kirané"], "Sony Aliber": ["Sonni Ali Ber"], "M'Pessoba": ["Mpessoba"],
}

RETURNED_FROM = [("DZ", 34), ("LY", 14), ("NE", 14), ("MR", 8), ("MA", 5), ("CI", 4), ("SN", 2), ("GN", 2),
                 ("GA", 2), ("CG", 1.5), ("AO", 1.5), ("GQ", 1), ("TN", 2), ("ES", 2.5), ("FR", 3),
                 ("IT", 1.5), ("DE", 0.5), ("SA", 0.5)]

# Mobile prefixes (first two digits of the eight) and landlines (20 Bamako, 21 the regions).
MALI_PREFIXES = [("7", 50), ("6", 30), ("9", 10), ("8", 3), ("5", 3), ("20", 2), ("21", 2)]

# The agencies registering: (weight, upper-case, family name only in capitals, accents dropped,
# DD/MM/YYYY dates, phone formats with weights, place alternates).
SOURCES = {
    "arrival_desk": (30, 0.70, 0.15, 0.90, 0.80, {"spaced": 5, "plain": 3, "intl_spaced": 1, "dashed": 1}, 0.4),
    "iom_export": (35, 0.05, 0.05, 0.25, 0.05, {"intl": 5, "intl_spaced": 3, "plain": 2}, 0.1),
    "ngo_sheet": (20, 0.30, 0.20, 0.60, 0.50, {"plain": 4, "spaced": 2, "zero_zero": 2, "dotted": 1,
                                                "cc_plain": 1}, 0.3),
    "field_survey": (15, 0.10, 0.05, 0.40, 0.0, {"plain": 6, "intl": 2, "spaced": 1}, 0.2),
}

# The precedence that picks one primary phenomenon per true pair (the hardest first).
PRECEDENCE = (
    "name_swap", "sex_error", "married_name", "typo_both_names", "swapped_dm", "year_off", "date_typo",
    "variant", "typo", "compound_name", "phone_changed", "default_date", "year_only", "no_birth",
    "place_changed", "phone_missing", "phone_typo", "phone_short", "sex_missing", "place_missing",
    "upper", "no_accents", "phone_format", "date_format", "place_spelling", "other_return",
)
NAME_TAGS = ("name_swap", "married_name", "typo_both_names", "variant", "typo", "compound_name")
TRUE_PAIR_TAGS = PRECEDENCE + ("same_document", "no_phone", "exact")
HARD_RELATIONS = ("sibling", "twin", "father_son", "parent_child", "spouse", "namesake", "shared_phone")


def _check_forms_are_unique() -> None:
    """A form belongs to one name only, or the `variant` tag would be ambiguous."""
    seen: dict[str, str] = {}
    for table in (MALE_GIVEN, FEMALE_GIVEN):
        for _w, forms in table:
            for form in forms:
                assert form not in seen, form
                seen[form] = forms[0]
    fam: dict[str, str] = {}
    for key, (_w, forms) in FAMILY.items():
        for form in forms:
            assert form not in fam, form
            fam[form] = key


_check_forms_are_unique()


# --------------------------------------------------------------------------------------------------
# Small helpers


@functools.lru_cache(maxsize=65536)
def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _norm(text: str) -> str:
    return " ".join(strip_accents(text).lower().replace("-", " ").split())


class Rng(random.Random):
    def pick(self, weighted):
        """One item of [(item, weight), …]."""
        r = self.random() * sum(w for _i, w in weighted)
        for item, w in weighted:
            r -= w
            if r < 0:
                return item
        return weighted[-1][0]

    def chance(self, p: float) -> bool:
        return self.random() < p

    def pick_from(self, table: tuple[list, list]):
        """One item of a (items, cumulative weights) table built once."""
        items, cumulative = table
        return items[min(bisect.bisect(cumulative, self.random() * cumulative[-1]), len(items) - 1)]


def cumulative(weighted) -> tuple[list, list]:
    items, cum, total = [], [], 0.0
    for item, w in weighted:
        total += w
        items.append(item)
        cum.append(total)
    return items, cum


FAMILY_TABLES = {region: cumulative((k, w * skew.get(k, 1.0)) for k, (w, _f) in FAMILY.items())
                 for region, skew in [*REGION_FAMILY_SKEW.items(), ("", {})]}
GIVEN_TABLES = {sex: cumulative((tuple(f), w) for w, f in table) for sex, table in (("M", MALE_GIVEN),
                                                                                     ("F", FEMALE_GIVEN))}



AZERTY_NEIGHBOURS = {}
_rows = ["azertyuiop", "qsdfghjklm", "wxcvbn"]
for _r, _row in enumerate(_rows):
    for _c, _ch in enumerate(_row):
        _n = [_row[_c + d] for d in (-1, 1) if 0 <= _c + d < len(_row)]
        for _rr in (_r - 1, _r + 1):
            if 0 <= _rr < len(_rows):
                _n += [_rows[_rr][_cc] for _cc in (_c, _c + 1) if 0 <= _cc < len(_rows[_rr])]
        AZERTY_NEIGHBOURS[_ch] = "".join(_n)
# Confusions of the ear rather than of the finger.
SOUND_ALIKE = {"c": "ks", "k": "cg", "s": "cz", "i": "ye", "y": "i", "o": "u", "u": "o", "e": "éa", "é": "ei",
               "è": "e", "n": "m", "m": "n", "d": "t", "t": "d", "b": "p", "p": "b", "g": "k", "a": "e",
               "f": "v", "v": "f", "j": "g", "l": "r", "r": "l"}


def typo(rng: Rng, name: str) -> str:
    """One slip of the keyboard or the ear: a letter dropped, swapped with its neighbour, replaced,
    inserted or doubled. The first letter is touched rarely, as in real data."""
    for _attempt in range(10):
        letters = list(name)
        positions = [i for i, ch in enumerate(letters) if ch.isalpha()]
        if len(positions) < 3:
            return name + name[-1]
        inner = [i for i in positions if i > 0 and letters[i - 1] != " "]
        i = rng.choice(positions) if rng.chance(0.08) or not inner else rng.choice(inner)
        op = rng.pick([("drop", 30), ("swap", 20), ("replace", 35), ("insert", 15)])
        ch = letters[i]
        low = ch.lower()
        if op == "drop":
            del letters[i]
        elif op == "swap" and i + 1 < len(letters) and letters[i + 1].isalpha():
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
            if i == 0:
                letters[0], letters[1] = letters[0].upper(), letters[1].lower()
        elif op in ("replace", "swap"):
            pool = SOUND_ALIKE.get(low, "") if rng.chance(0.5) else AZERTY_NEIGHBOURS.get(strip_accents(low), "")
            pool = pool or AZERTY_NEIGHBOURS.get(strip_accents(low), "") or "e"
            new = rng.choice(pool)
            letters[i] = new.upper() if ch.isupper() else new
        else:
            new = low if rng.chance(0.5) else rng.choice(AZERTY_NEIGHBOURS.get(strip_accents(low), "e") or "e")
            letters.insert(i + 1, new)
        out = "".join(letters)
        if out != name and _norm(out) != _norm(name) and len(out.replace(" ", "")) >= 2:
            return out
    return name + "h"


# --------------------------------------------------------------------------------------------------
# People as they are (the truth) and records as they were written


@dataclass(frozen=True)
class Phone:
    cc: str
    national: str

    def digits(self) -> str:
        return self.cc + self.national


@dataclass
class Return:
    date: dt.date
    country: str
    laissez_passer: str


@dataclass
class Person:
    pid: int
    hid: int
    sex: str
    given: tuple[str, ...]  # forms of the given name; usual spelling chosen below
    given_usual: str
    second: str  # second given name of a compound ("Lamine" in Mamadou Lamine), or ""
    compound_style: str  # usual way the compound is written
    family: tuple[str, ...]
    family_usual: str
    married: tuple[tuple[str, ...], str] | None  # husband's family forms and usual spelling
    dob: dt.date
    knows: str  # "full", "year" or "none"
    year_estimate: int
    phone: Phone | None
    own_phone: Phone | None
    nationality: str
    region: str  # code
    cercle: str
    commune: str
    document: tuple[str, str] | None
    returns: list[Return] = field(default_factory=list)


@dataclass
class Content:
    """What one registration says about the person, before the agency's way of writing it."""
    given: str
    given_form: str
    given_typo: bool
    family: str
    family_form: str
    family_typo: bool
    other: str
    compound_style: str
    swapped: bool
    married: bool
    sex: str
    sex_state: str  # "ok", "missing", "error"
    birth_mode: str  # "full", "year", "default", "none"
    year: int | None
    month: int | None
    day: int | None
    year_delta: int
    dm_swapped: bool
    date_typo: bool
    phone: Phone | None
    phone_kind: str  # "usual", "changed", "none"
    phone_typo: str  # "", "typo", "short"
    phone_written: str  # digits as typed (national part), after any typo
    place: tuple[str, str, str]  # region code, cercle, commune as known
    place_level: int  # 3 all, 2 region+cercle, 1 region, 0 nothing
    place_changed: bool
    document: tuple[str, str] | None
    return_index: int


@dataclass
class Record:
    rid: str
    pid: int
    source: str
    content: Content
    case: str  # "title", "upper", "family_upper"
    no_accents: bool
    date_format: str  # "iso", "dmy"
    phone_format: str
    place_alternate: bool
    row: dict


# --------------------------------------------------------------------------------------------------


class Generator:
    def __init__(self, seed: int):
        self.rng = Rng(seed)
        self.persons: list[Person] = []
        self.relations: list[tuple[int, int, str]] = []
        self.hub_phones: list[Phone] = []
        self.used_numbers: dict[str, None] = {}
        self.by_cercle: dict[str, list[int]] = {}
        self.namesakes_injected = 0

    # -- the truth ----------------------------------------------------------------------------------

    def new_phone(self, nationality: str = "ML") -> Phone:
        rng = self.rng
        while True:
            if nationality == "ML" or rng.chance(0.6):
                prefix = rng.pick(MALI_PREFIXES)
                cc, national = "223", prefix + str(rng.randrange(10 ** (8 - len(prefix)))).zfill(8 - len(prefix))
            else:
                cc, length, prefix = FOREIGN[nationality][2]
                national = prefix + str(rng.randrange(10 ** (length - len(prefix)))).zfill(length - len(prefix))
            if cc + national not in self.used_numbers:
                self.used_numbers[cc + national] = None
                return Phone(cc, national)

    def pick_place(self) -> tuple[str, str, str]:
        rng = self.rng
        region = rng.pick([(code, w) for code, (_n, w, _c) in REGIONS.items()])
        cercles = REGIONS[region][2]
        cercle = rng.pick([(c, w) for c, (w, _communes) in cercles.items()])
        communes = cercles[cercle][1]
        # The chef-lieu is the commune most people name.
        commune = communes[0] if rng.chance(0.45) else rng.choice(communes)
        return region, cercle, commune

    def pick_family(self, region: str, nationality: str) -> tuple[str, ...]:
        rng = self.rng
        if nationality != "ML":
            name = rng.choice(FOREIGN[nationality][1])
            for key, (_w, forms) in FAMILY.items():
                if name in forms or name == key:
                    return tuple(FAMILY[key][1])
            return (name,)
        key = rng.pick_from(FAMILY_TABLES.get(region, FAMILY_TABLES[""]))
        return tuple(FAMILY[key][1])

    def pick_given(self, sex: str, avoid: tuple = ()) -> tuple[str, ...]:
        while True:
            forms = self.rng.pick_from(GIVEN_TABLES[sex])
            if forms not in avoid:
                return forms

    def usual(self, forms: tuple[str, ...], p_first: float) -> str:
        if len(forms) == 1 or self.rng.chance(p_first):
            return forms[0]
        return self.rng.choice(forms[1:])

    def new_person(self, *, hid, sex, age, ret: Return, family, place, nationality, hh_phone,
                   given=None, dob=None, knows=None) -> Person:
        rng = self.rng
        if dob is None:
            year = ret.date.year - age
            dob = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        given = given or self.pick_given(sex)
        second, style = "", "joined"
        compounds = MALE_COMPOUNDS if sex == "M" else FEMALE_COMPOUNDS
        candidates = [(s, w) for first, s, w in compounds if first == given[0]]
        if candidates and rng.chance(0.35):
            second = rng.pick(candidates)
            style = rng.pick([("joined", 5), ("other", 3), ("first", 2)])
        document = None
        roll = rng.random()
        if roll < 0.12:
            document = ("nina", "".join(rng.choice("0123456789") for _ in range(14)) + rng.choice("ABCDEFGHJK"))
        elif roll < 0.18:
            document = ("passport", rng.choice(["AA", "AB", "B"]) + "".join(rng.choice("0123456789") for _ in range(7)))
        elif roll < 0.22:
            document = ("consular_card", "".join(rng.choice("0123456789") for _ in range(9)))
        elif roll < 0.24:
            document = ("birth_certificate", f"{rng.randrange(1, 999)}/{dob.year}")
        if knows is None:
            p_full = 0.85 if document and document[0] in ("nina", "passport") else 0.28
            knows = "full" if rng.chance(p_full) else ("none" if rng.chance(0.05) else "year")
        year_estimate = dob.year
        if knows != "full":
            year_estimate += rng.pick([(0, 70), (-1, 10), (1, 10), (-2, 4), (2, 4), (-3, 1), (3, 1)])
        # The phone they give: the family's, their own, a helper's, or none.
        own = self.new_phone(nationality)
        if hh_phone is not None and rng.chance(0.65):
            phone = hh_phone
        elif rng.chance(0.04) and self.hub_phones:
            phone = rng.choice(self.hub_phones)
        elif rng.chance(0.85):
            phone = own
        else:
            phone = None
        married = None
        if sex == "F" and age >= 18 and rng.chance(0.6):
            forms = self.pick_family(place[0], nationality)
            married = (forms, self.usual(forms, 0.9))
        family_forms = family
        person = Person(
            pid=len(self.persons), hid=hid, sex=sex, given=given, given_usual=self.usual(given, 0.8),
            second=second, compound_style=style, family=family_forms, family_usual=self.usual(family_forms, 0.9),
            married=married, dob=dob, knows=knows, year_estimate=year_estimate, phone=phone, own_phone=own,
            nationality=nationality, region=place[0], cercle=place[1], commune=place[2], document=document,
            returns=[ret],
        )
        self.persons.append(person)
        if nationality == "ML":
            self.by_cercle.setdefault(place[1] or place[2], []).append(person.pid)
        return person

    def new_return(self, after: dt.date | None = None) -> Return:
        rng = self.rng
        start = dt.date(2017, 1, 1) if after is None else after + dt.timedelta(days=180)
        end = dt.date(2026, 10, 31)
        if start >= end:
            start = end - dt.timedelta(days=30)
        date = start + dt.timedelta(days=rng.randrange((end - start).days))
        lp = "LP" + "".join(rng.choice("0123456789") for _ in range(7)) if rng.chance(0.3) else ""
        return Return(date, rng.pick(RETURNED_FROM), lp)

    def adult_age(self) -> int:
        return int(self.rng.triangular(16, 48, 24))

    def household(self, hid: int) -> list[Person]:
        """One household: its village, family name and phone, and the members who got registered."""
        rng = self.rng
        nationality = "ML"
        if rng.chance(0.04):
            nationality = rng.pick([(c, w) for c, (w, _f, _p) in FOREIGN.items()])
            place = ("", "", "")
        else:
            place = self.pick_place()
        family = self.pick_family(place[0], nationality)
        hh_phone = self.new_phone(nationality) if rng.chance(0.85) else None
        ret = self.new_return()
        size = rng.pick([(1, 80), (2, 13), (3, 5), (4, 2)])

        def same_or_new_return():
            return ret if rng.chance(0.5) else self.new_return()

        def member(**kw):
            return self.new_person(hid=hid, family=kw.pop("family", family), place=place,
                                   nationality=nationality, hh_phone=hh_phone, **kw)

        if size == 1:
            sex = "M" if rng.chance(0.88) else "F"
            age = self.adult_age()
            given = None
            # Namesake: the same full name as someone already registered from this cercle.
            if nationality == "ML" and rng.chance(0.02):
                earlier = self.by_cercle.get(place[1] or place[2], [])
                earlier = [p for p in earlier if self.persons[p].family == family and self.persons[p].sex == sex]
                if earlier:
                    given = self.persons[rng.choice(earlier)].given
                    self.namesakes_injected += 1
            # A single person registered without the family: the phone is often a relative's anyway.
            return [member(sex=sex, age=age, ret=ret, given=given)]

        kind = rng.pick([("siblings", 50), ("father_children", 17), ("mother_children", 10), ("couple", 15),
                         ("twins", 8)])
        people: list[Person] = []

        def relate(a: Person, b: Person, relation: str):
            self.relations.append((a.pid, b.pid, relation))

        def children(n: int, first_age: int, father: Person | None, male_share: float):
            kids: list[Person] = []
            age = first_age
            for k in range(n):
                sex = "M" if rng.chance(male_share) else "F"
                given = None
                if father is not None and sex == "M" and k == 0 and rng.chance(0.35):
                    given = father.given  # named after his father
                avoid = tuple(kid.given for kid in kids)
                if given is None:
                    given = self.pick_given(sex, avoid)
                kid = member(sex=sex, age=max(age, 0), ret=same_or_new_return(), given=given)
                for other in kids:
                    relate(other, kid, "sibling")
                kids.append(kid)
                # Half-brothers of one father and two mothers can be born the same year.
                age -= rng.pick([(0, 5), (1, 10), (2, 25), (3, 25), (4, 15), (5, 10), (7, 6), (10, 4)])
            return kids

        if kind in ("siblings", "twins"):
            if kind == "twins":
                a_age = int(rng.triangular(8, 40, 22))
                first = member(sex="M" if rng.chance(0.7) else "F", age=a_age, ret=ret)
                sex_b = "M" if rng.chance(0.6) else "F"
                pairs = {("M", "M"): [(("Lassana", "Lasana"), ("Lassine", "Lassina", "Lacine")),
                                      (("Alassane", "Alhassane"), ("Alhousseini", "Alousseni", "Housseini"))],
                         ("M", "F"): [(("Adama",), ("Awa", "Hawa", "Hawaou"))],
                         ("F", "M"): [(("Awa", "Hawa", "Hawaou"), ("Adama",))]}
                key = (first.sex, sex_b)
                if key in pairs and rng.chance(0.7):
                    names = rng.choice(pairs[key])
                    first.given, first.given_usual = names[0], self.usual(names[0], 0.8)
                    first.second, first.compound_style = "", "joined"
                    second_given = names[1]
                else:
                    second_given = self.pick_given(sex_b, (first.given,))
                twin = member(sex=sex_b, age=0, ret=first.returns[0] if rng.chance(0.7) else self.new_return(),
                              given=second_given, dob=first.dob, knows=first.knows)
                twin.year_estimate = first.year_estimate if rng.chance(0.8) else twin.year_estimate
                relate(first, twin, "twin")
                people = [first, twin]
                if size > 2:
                    more = children(size - 2, a_age + rng.randrange(2, 6), None, 0.8)
                    for kid in more:
                        relate(first, kid, "sibling")
                        relate(twin, kid, "sibling")
                    people += more
            else:
                people = children(size, self.adult_age() + rng.randrange(0, 8), None, 0.88)
        elif kind == "father_children":
            f_age = rng.randrange(38, 66)
            father = member(sex="M", age=f_age, ret=ret)
            kids = children(size - 1, f_age - rng.randrange(18, 36), father, 0.8)
            for kid in kids:
                relation = "father_son" if kid.given == father.given else "parent_child"
                relate(father, kid, relation)
            people = [father, *kids]
        elif kind == "mother_children":
            m_age = rng.randrange(28, 55)
            mother = member(sex="F", age=m_age, ret=ret, family=self.pick_family(place[0], nationality))
            mother.married = (family, self.usual(family, 0.9))
            kids = children(size - 1, m_age - rng.randrange(16, 30), None, 0.55)
            for kid in kids:
                relate(mother, kid, "parent_child")
            people = [mother, *kids]
        else:  # couple, with children when the household is larger
            h_age = rng.randrange(24, 60)
            husband = member(sex="M", age=h_age, ret=ret)
            wife = member(sex="F", age=max(18, h_age - rng.randrange(2, 15)), ret=ret if rng.chance(0.8) else
                          self.new_return(), family=self.pick_family(place[0], nationality))
            wife.married = (family, self.usual(family, 0.9))
            relate(husband, wife, "spouse")
            people = [husband, wife]
            if size > 2:
                kids = children(size - 2, rng.randrange(1, max(2, h_age - 20)), husband, 0.55)
                for kid in kids:
                    relate(husband, kid, "father_son" if kid.given == husband.given else "parent_child")
                    relate(wife, kid, "parent_child")
                people += kids
        return people

    # -- the registrations --------------------------------------------------------------------------

    def content(self, p: Person, return_index: int) -> Content:
        rng = self.rng
        # Names
        given_form = p.given_usual
        if len(p.given) > 1 and rng.chance(0.12):
            given_form = rng.choice([f for f in p.given if f != p.given_usual])
        family_forms, family_usual, married = p.family, p.family_usual, False
        if p.married and rng.chance(0.12):
            family_forms, family_usual, married = p.married[0], p.married[1], True
        family_form = family_usual
        if len(family_forms) > 1 and rng.chance(0.08):
            family_form = rng.choice([f for f in family_forms if f != family_usual])
        style = p.compound_style
        if p.second and rng.chance(0.3):
            style = rng.pick([("joined", 3), ("other", 3), ("first", 3), ("second", 1)])
        if not p.second:
            style = "joined"
        first = given_form
        given_typo = rng.chance(0.08)
        family_typo = rng.chance(0.07) or (given_typo and rng.chance(0.25))
        if given_typo:
            first = typo(rng, first)
        family = typo(rng, family_form) if family_typo else family_form
        other = ""
        if style == "joined" and p.second:
            given = f"{first} {p.second}"
        elif style == "other":
            given, other = first, p.second
        elif style == "second":
            given = p.second
        else:
            given = first
        swapped = rng.chance(0.04)
        # Sex
        sex, sex_state = p.sex, "ok"
        roll = rng.random()
        if roll < 0.02:
            sex, sex_state = "", "missing"
        elif roll < 0.025:
            sex, sex_state = ("F" if p.sex == "M" else "M"), "error"
        # Birth
        year = month = day = None
        year_delta, dm_swapped, date_typo = 0, False, False
        if p.knows == "full":
            mode = rng.pick([("full", 88), ("year", 9), ("none", 3)])
        elif p.knows == "year":
            mode = rng.pick([("year", 84), ("default", 10), ("none", 6)])
        else:
            mode = rng.pick([("none", 70), ("year", 30)])
        if mode != "none":
            year = p.dob.year if p.knows == "full" else p.year_estimate
            if p.knows == "none":
                year += rng.randrange(-2, 3)
            if rng.chance(0.08):
                year_delta = rng.choice([-1, 1])
            elif p.knows != "full" and rng.chance(0.04):
                year_delta = rng.choice([-2, 2])
            year += year_delta
        if mode == "full":
            month, day = p.dob.month, p.dob.day
            if day == 29 and month == 2 and year % 4:
                day = 28
            if day <= 12 and day != month and rng.chance(0.2):
                month, day, dm_swapped = day, month, True
            elif rng.chance(0.02):
                date_typo = True
                if day >= 10 and day % 10 and int(str(day)[::-1]) <= 28 and rng.chance(0.5):
                    day = int(str(day)[::-1])
                else:
                    day = max(1, min(28, day + rng.choice([-2, -1, 1, 2])))
        elif mode == "default":
            month, day = (1, 1) if rng.chance(0.75) else (12, 31)
        # Phone
        roll = rng.random()
        if roll < 0.12:
            phone, phone_kind = None, "none"
        elif roll < 0.25:
            options = [ph for ph in (p.own_phone, p.phone) if ph is not None]
            changed = rng.choice(options) if options and rng.chance(0.4) else self.new_phone(p.nationality)
            phone, phone_kind = changed, "changed"
        else:
            phone, phone_kind = p.phone, "usual"
        if phone is None:
            phone_kind = "none"
        phone_typo, written = "", phone.national if phone else ""
        if phone is not None:
            roll = rng.random()
            if roll < 0.03:
                phone_typo = "typo"
                digits = list(written)
                i = rng.randrange(1, len(digits))
                op = rng.pick([("replace", 5), ("drop", 3), ("swap", 2)])
                if op == "replace":
                    digits[i] = rng.choice([d for d in "0123456789" if d != digits[i]])
                elif op == "drop":
                    del digits[i]
                elif digits[i] != digits[i - 1]:
                    digits[i], digits[i - 1] = digits[i - 1], digits[i]
                else:
                    digits[i] = "0" if digits[i] != "0" else "1"
                written = "".join(digits)
            elif roll < 0.05 and phone.cc == "223":
                # Written short: without the operator digit(s), six or seven digits left.
                phone_typo = "short"
                written = written[rng.choice([1, 2]):]
        # Place
        place = (p.region, p.cercle, p.commune)
        place_changed = False
        if p.nationality == "ML" and rng.chance(0.07):
            # Where they live now (often Bamako or Kati) instead of where they come from.
            place = (("BKO", "", rng.choice(REGIONS["BKO"][2][""][1])) if rng.chance(0.5)
                     else self.pick_place())
            place_changed = place != (p.region, p.cercle, p.commune)
        if p.nationality != "ML":
            level = 0
        else:
            level = rng.pick([(3, 60), (2, 25), (1, 8), (0, 7)])
        # Documents
        document = None
        ret = p.returns[return_index]
        if p.document and rng.chance(0.5):
            document = p.document
        elif ret.laissez_passer and rng.chance(0.6):
            document = ("laissez_passer", ret.laissez_passer)
        return Content(
            given=given, given_form=given_form, given_typo=given_typo, family=family, family_form=family_form,
            family_typo=family_typo, other=other, compound_style=style if p.second else "", swapped=swapped,
            married=married, sex=sex, sex_state=sex_state, birth_mode=mode, year=year, month=month, day=day,
            year_delta=year_delta, dm_swapped=dm_swapped, date_typo=date_typo, phone=phone,
            phone_kind=phone_kind, phone_typo=phone_typo, phone_written=written, place=place,
            place_level=level, place_changed=place_changed, document=document, return_index=return_index,
        )

    def write(self, p: Person, c: Content, source: str) -> Record:
        rng = self.rng
        _w, p_upper, p_fam_upper, p_noacc, p_dmy, phone_formats, p_alt = SOURCES[source]
        case = "upper" if rng.chance(p_upper) else ("family_upper" if rng.chance(p_fam_upper) else "title")
        no_accents = rng.chance(p_noacc)
        date_format = "dmy" if rng.chance(p_dmy) else "iso"
        phone_format = rng.pick(list(phone_formats.items()))
        place_alternate = rng.chance(p_alt)

        def name(text: str, upper: bool) -> str:
            text = strip_accents(text) if no_accents else text
            return text.upper() if upper else text

        given, family = (c.family, c.given) if c.swapped else (c.given, c.family)
        row = {"record_id": ""}
        row["given_name"] = name(given, case == "upper")
        row["family_name"] = name(family, case in ("upper", "family_upper"))
        row["other_names"] = name(c.other, case == "upper")
        row["sex"] = c.sex
        row["birth_date"], row["birth_year"] = "", ""
        if c.birth_mode in ("full", "default"):
            try:
                d = dt.date(c.year, c.month, c.day)
            except ValueError:
                d = dt.date(c.year, c.month, 28)
            row["birth_date"] = d.strftime("%d/%m/%Y") if date_format == "dmy" else d.isoformat()
            if rng.chance(0.5):
                row["birth_year"] = str(c.year)
        elif c.birth_mode == "year":
            row["birth_year"] = str(c.year)
        row["phone"] = format_phone(c.phone.cc, c.phone_written, phone_format) if c.phone else ""
        row["nationality"] = p.nationality if rng.chance(0.88) else ""
        region, cercle, commune = c.place
        if c.place_level == 0 or not region:
            region_name = cercle_name = commune_name = ""
        else:
            region_name = REGIONS[region][0]
            cercle_name = cercle if c.place_level >= 2 else ""
            commune_name = commune if c.place_level >= 3 or (region == "BKO" and c.place_level >= 2) else ""

        def place(text: str) -> str:
            if place_alternate and text in PLACE_ALTERNATES:
                text = rng.choice(PLACE_ALTERNATES[text])
            return name(text, case == "upper")

        row["origin_region"], row["origin_cercle"], row["origin_commune"] = (
            place(region_name), place(cercle_name), place(commune_name))
        row["id_document_type"], row["id_document_number"] = c.document or ("", "")
        ret = p.returns[c.return_index]
        row["return_date"] = ret.date.isoformat() if rng.chance(0.96) else ""
        row["returned_from"] = ret.country if rng.chance(0.95) else ""
        return Record("", p.pid, source, c, case, no_accents, date_format, phone_format, place_alternate, row)

    def records_of(self, p: Person, n: int) -> list[Record]:
        rng = self.rng
        sources = [(s, v[0]) for s, v in SOURCES.items()]
        first_source = rng.pick(sources)
        out = [self.write(p, self.content(p, 0), first_source)]
        for _k in range(n - 1):
            if rng.chance(0.7):
                return_index = rng.randrange(len(p.returns))  # off the same flight
            else:
                p.returns.append(self.new_return(after=p.returns[-1].date))  # migrated and came back again
                return_index = len(p.returns) - 1
            if rng.chance(0.15):
                # Registered again from the same form: the same content, maybe typed by another agency.
                base = rng.choice(out)
                content = base.content
                if content.return_index != return_index:
                    content = Content(**{**content.__dict__, "return_index": return_index})
                if rng.chance(0.6):  # by the same desk: the same row, only the return may differ
                    ret = p.returns[return_index]
                    row = dict(base.row)
                    if return_index != base.content.return_index:
                        row["return_date"], row["returned_from"] = ret.date.isoformat(), ret.country
                    out.append(Record("", p.pid, base.source, content, base.case, base.no_accents,
                                      base.date_format, base.phone_format, base.place_alternate, row))
                else:
                    out.append(self.write(p, content, rng.pick(sources)))
            else:
                source = rng.pick(sources) if rng.chance(0.7) else out[0].source
                out.append(self.write(p, self.content(p, return_index), source))
        return out


def format_phone(cc: str, national: str, style: str) -> str:
    pairs = " ".join(national[i:i + 2] for i in range(0, len(national), 2))
    if style == "plain":
        return national
    if style == "spaced":
        return pairs
    if style == "dashed":
        return pairs.replace(" ", "-")
    if style == "dotted":
        return pairs.replace(" ", ".")
    if style == "intl":
        return f"+{cc}{national}"
    if style == "intl_spaced":
        return f"+{cc} {pairs}"
    if style == "zero_zero":
        return f"00{cc}{national}"
    if style == "cc_plain":
        return f"{cc} {national}"
    raise ValueError(style)


# --------------------------------------------------------------------------------------------------
# Labels


def pair_tags(a: Record, b: Record) -> list[str]:
    ca, cb = a.content, b.content
    tags: list[str] = []
    if ca.married != cb.married:
        tags.append("married_name")
    elif ca.family_form != cb.family_form:
        tags.append("variant")
    if ca.given_form != cb.given_form and "variant" not in tags:
        tags.append("variant")
    typo_given = (ca.given_typo or cb.given_typo) and ca.given != cb.given
    typo_family = (ca.family_typo or cb.family_typo) and ca.family != cb.family
    if typo_given or typo_family:
        tags.append("typo")
    if typo_given and typo_family:
        tags.append("typo_both_names")
    if ca.swapped != cb.swapped:
        tags.append("name_swap")
    if ca.compound_style != cb.compound_style:
        tags.append("compound_name")
    if "missing" in (ca.sex_state, cb.sex_state) and ca.sex != cb.sex:
        tags.append("sex_missing")
    elif ca.sex and cb.sex and ca.sex != cb.sex:
        tags.append("sex_error")
    modes = (ca.birth_mode, cb.birth_mode)
    if "none" in modes:
        tags.append("no_birth")
    if "year" in modes:
        tags.append("year_only")
    if "default" in modes and (ca.month, ca.day) != (cb.month, cb.day):
        tags.append("default_date")
    if ca.year is not None and cb.year is not None and ca.year != cb.year:
        tags.append("year_off")
    if modes == ("full", "full"):
        if ca.dm_swapped != cb.dm_swapped:
            tags.append("swapped_dm")
        if (ca.date_typo or cb.date_typo) and (ca.day, ca.month) != (cb.day, cb.month):
            tags.append("date_typo")
    if ca.birth_mode in ("full", "default") and cb.birth_mode in ("full", "default") and a.date_format != b.date_format:
        tags.append("date_format")
    if ca.phone is None and cb.phone is None:
        tags.append("no_phone")
    elif ca.phone is None or cb.phone is None:
        tags.append("phone_missing")
    elif ca.phone != cb.phone:
        tags.append("phone_changed")
    else:
        if ca.phone_written != cb.phone_written:
            kinds = {ca.phone_typo, cb.phone_typo} - {""}
            tags += sorted("phone_typo" if k == "typo" else "phone_short" for k in kinds)
        if a.row["phone"] != b.row["phone"] and a.phone_format != b.phone_format:
            tags.append("phone_format")
    la, lb = ca.place_level, cb.place_level
    (region_a, cercle_a, commune_a), (region_b, cercle_b, commune_b) = ca.place, cb.place
    if (la and lb and region_a != region_b) or (min(la, lb) >= 2 and cercle_a != cercle_b) or (
            min(la, lb) >= 3 and commune_a != commune_b):
        tags.append("place_changed")
    elif la != lb:
        tags.append("place_missing")
    elif a.place_alternate != b.place_alternate and any(
            a.row[k] and b.row[k] and _norm(a.row[k]) != _norm(b.row[k])
            for k in ("origin_region", "origin_cercle", "origin_commune")):
        tags.append("place_spelling")
    if a.case != b.case:
        tags.append("upper")
    names_a = a.row["given_name"] + a.row["family_name"] + a.row["other_names"]
    names_b = b.row["given_name"] + b.row["family_name"] + b.row["other_names"]
    if a.no_accents != b.no_accents and strip_accents(names_a + names_b) != names_a + names_b:
        tags.append("no_accents")
    if all(_norm(a.row[k]) == _norm(b.row[k]) for k in ("given_name", "family_name", "other_names")):
        # A typo that happened to land on the other record's spelling, a husband of the same name…
        tags = [t for t in tags if t not in NAME_TAGS]
    if ca.return_index != cb.return_index:
        tags.append("other_return")
    if ca.document and ca.document == cb.document:
        tags.append("same_document")
    identity = ("given_name", "family_name", "other_names", "sex", "birth_date", "birth_year", "phone",
                "origin_region", "origin_cercle", "origin_commune")
    if all(a.row[k] == b.row[k] for k in identity):
        tags = ["exact"] + [t for t in tags if t in ("other_return", "same_document", "no_phone", "no_birth",
                                                    "year_only")]
    return tags


def primary_tag(tags: list[str]) -> str:
    if "exact" in tags:
        return "exact"
    for tag in PRECEDENCE:
        if tag in tags:
            return tag
    # Identical but for a column that says nothing new (birth_year beside a full date, nationality).
    return "exact" if "exact" in tags else "near_exact"


def shares(a: Record, b: Record) -> list[str]:
    """What two records visibly have in common (what makes a different-person pair look alike)."""
    out = []
    ra, rb = a.row, b.row
    if _norm(ra["given_name"]) and _norm(ra["given_name"]) == _norm(rb["given_name"]):
        out.append("given_name")
    if _norm(ra["family_name"]) and _norm(ra["family_name"]) == _norm(rb["family_name"]):
        out.append("family_name")
    ya, yb = a.content.year, b.content.year
    if ya is not None and ya == yb:
        out.append("birth_year")
    if a.content.phone is not None and a.content.phone == b.content.phone:
        out.append("phone")
    if a.content.place_level >= 2 and b.content.place_level >= 2 and a.content.place[:2] == b.content.place[:2]:
        out.append("cercle")
    if ra["sex"] and ra["sex"] != rb["sex"] and rb["sex"]:
        out.append("other_sex")
    return out


# --------------------------------------------------------------------------------------------------


@dataclass
class Registry:
    people: list[dict]
    true_pairs: list[tuple[str, str, str, str]]  # a, b, tags, primary
    hard_nonpairs: list[tuple[str, str, str, str]]  # a, b, relation, shares
    persons: list[tuple[str, int, int]]  # record_id, person_id, household_id
    summary: dict


def extra_records(rng: Rng) -> int:
    """How many more times than once a person is registered."""
    if not rng.chance(0.228):
        return 0
    return rng.pick([(1, 80), (2, 15), (3, 4), (4, 1)])


def generate(records: int = 25000, seed: int = 7) -> Registry:
    g = Generator(seed)
    rng = g.rng
    g.hub_phones = [g.new_phone() for _ in range(max(3, records // 1000))]
    per_person: list[tuple[Person, list[Record]]] = []
    total, hid = 0, 0
    while total < records:
        for person in g.household(hid):
            n = min(1 + extra_records(rng), records - total)
            if n <= 0:
                break
            per_person.append((person, g.records_of(person, n)))
            total += n
        hid += 1
    # Pretend the registry's order: shuffled, numbered.
    all_records = [r for _p, recs in per_person for r in recs]
    order = list(range(len(all_records)))
    rng.shuffle(order)
    width = max(6, len(str(len(all_records))))
    for number, index in enumerate(order, start=1):
        rec = all_records[index]
        rec.rid = f"R{number:0{width}d}"
        rec.row["record_id"] = rec.rid
    people = [all_records[i].row for i in order]

    true_pairs = []
    tag_counts: Counter = Counter()
    primary_counts: Counter = Counter()
    cluster_sizes: Counter = Counter()
    records_by_pid: dict[int, list[Record]] = {}
    for person, recs in per_person:
        recs = sorted(recs, key=lambda r: r.rid)
        records_by_pid[person.pid] = recs
        cluster_sizes[len(recs)] += 1
        for i in range(len(recs)):
            for j in range(i + 1, len(recs)):
                tags = pair_tags(recs[i], recs[j])
                primary = primary_tag(tags)
                true_pairs.append((recs[i].rid, recs[j].rid, ";".join(tags), primary))
                tag_counts.update(tags)
                primary_counts[primary] += 1
    true_pairs.sort()

    # Different people who look alike: relatives, then namesakes and strangers sharing a helper's phone.
    related: dict[tuple[int, int], str] = {}
    for a, b, relation in g.relations:
        if a in records_by_pid and b in records_by_pid:
            related[(min(a, b), max(a, b))] = relation
    groups: dict[tuple, list[int]] = {}
    for person, _recs in per_person:
        if person.nationality == "ML" and person.cercle + person.commune:
            key = (person.given, person.family, person.region, person.cercle or person.commune)
            groups.setdefault(key, []).append(person.pid)
    persons = g.persons
    for _key, pids in groups.items():
        for i in range(len(pids)):
            for j in range(i + 1, len(pids)):
                a, b = pids[i], pids[j]
                if (a, b) not in related and abs(persons[a].dob.year - persons[b].dob.year) <= 5:
                    related[(a, b)] = "namesake"
    hub = dict.fromkeys(g.hub_phones)
    by_hub: dict[tuple[Phone, tuple], list[int]] = {}
    for person, _recs in per_person:
        if person.phone in hub:
            by_hub.setdefault((person.phone, person.family), []).append(person.pid)
    for _key, pids in by_hub.items():
        for i in range(len(pids)):
            for j in range(i + 1, len(pids)):
                related.setdefault((pids[i], pids[j]), "shared_phone")
    hard = []
    relation_counts: Counter = Counter()
    relation_people: Counter = Counter()
    for (a, b), relation in sorted(related.items()):
        relation_people[relation] += 1
        for ra in records_by_pid[a]:
            for rb in records_by_pid[b]:
                x, y = sorted((ra, rb), key=lambda r: r.rid)
                hard.append((x.rid, y.rid, relation, ";".join(shares(x, y))))
                relation_counts[relation] += 1
    hard.sort()
    shared_phone_hard = sum(1 for _a, _b, _r, s in hard if "phone" in s.split(";"))
    shared_phone_true = 0
    for _person, recs in per_person:
        for i in range(len(recs)):
            for j in range(i + 1, len(recs)):
                if recs[i].content.phone is not None and recs[i].content.phone == recs[j].content.phone:
                    shared_phone_true += 1

    ids = [(r.rid, r.pid, persons[r.pid].hid) for r in sorted(all_records, key=lambda r: r.rid)]
    summary = {
        "generator": "bench/data/mali_registry.py",
        "seed": seed,
        "records": len(people),
        "persons": len(per_person),
        "households": hid,
        "records_per_person": {str(k): v for k, v in sorted(cluster_sizes.items())},
        "true_pairs": len(true_pairs),
        "true_pairs_by_tag": {t: tag_counts[t] for t in TRUE_PAIR_TAGS if tag_counts[t]},
        "true_pairs_by_primary_tag": {t: primary_counts[t] for t in (*PRECEDENCE, "near_exact", "exact")
                                      if primary_counts[t]},
        "true_pairs_sharing_phone": shared_phone_true,
        "hard_nonpairs": len(hard),
        "hard_nonpairs_by_relation": {r: relation_counts[r] for r in HARD_RELATIONS if relation_counts[r]},
        "hard_nonpair_people_by_relation": {r: relation_people[r] for r in HARD_RELATIONS if relation_people[r]},
        "hard_nonpairs_sharing_phone": shared_phone_hard,
        "namesakes_injected": g.namesakes_injected,
        "records_with": {
            "full_birth_date": sum(1 for r in people if r["birth_date"]),
            "birth_year_only": sum(1 for r in people if r["birth_year"] and not r["birth_date"]),
            "no_birth_information": sum(1 for r in people if not r["birth_year"] and not r["birth_date"]),
            "phone": sum(1 for r in people if r["phone"]),
            "id_document": sum(1 for r in people if r["id_document_number"]),
        },
        "top_family_names": dict(Counter(persons[pid].family[0] for pid in records_by_pid).most_common(10)),
    }
    return Registry(people, true_pairs, hard, ids, summary)


def write(registry: Registry, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)

    def table(name: str, header, rows):
        with open(out / name, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)

    with open(out / "people.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=PEOPLE_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(registry.people)
    table("true_pairs.csv", ("record_id_a", "record_id_b", "tags", "primary"), registry.true_pairs)
    table("hard_nonpairs.csv", ("record_id_a", "record_id_b", "relation", "shares"), registry.hard_nonpairs)
    table("persons.csv", ("record_id", "person_id", "household_id"), registry.persons)
    (out / "summary.json").write_text(json.dumps(registry.summary, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")


# --------------------------------------------------------------------------------------------------
# The hand-written tricky pairs (bench/data/tricky_pairs.csv): two rows per pair, in the people-file
# format with three more columns in front: pair, same_person (1/0), reason (on the pair's first row).

TRICKY_PATH = Path(__file__).resolve().parent / "tricky_pairs.csv"


def load_tricky(path: Path = TRICKY_PATH) -> tuple[list[dict], list[tuple[str, str, bool, str]]]:
    """The tricky pairs as people rows (the contract's columns) and labels (a, b, same person, reason)."""
    people: list[dict] = []
    pairs: dict[str, list[dict]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            people.append({col: row.get(col) or "" for col in PEOPLE_COLUMNS})
            pairs.setdefault(row["pair"], []).append(row)
    labels = []
    for rows in pairs.values():
        a, b = rows
        labels.append((a["record_id"], b["record_id"], a["same_person"] == "1", a["reason"] or b["reason"]))
    return people, labels


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=25000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    registry = generate(args.records, args.seed)
    write(registry, args.out)
    s = registry.summary
    print(f"{s['records']} records of {s['persons']} people, {s['true_pairs']} true pairs, "
          f"{s['hard_nonpairs']} hard non-pairs → {args.out}")


if __name__ == "__main__":
    main()
