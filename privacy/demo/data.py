"""Word lists for the demo data: Latvian, Russian-speaking and foreign names, Riga streets, services.

Surnames come in (male, female) pairs: Latvian surnames change their ending with gender (Bērziņš /
Bērziņa, Jēkabsons / Jēkabsone, Balodis / Balode).
"""

import unicodedata

LATVIAN_MALE = [
    "Jānis", "Andris", "Mārtiņš", "Kārlis", "Edgars", "Pēteris", "Juris", "Aivars", "Māris", "Artūrs",
    "Raivis", "Roberts", "Gints", "Uldis", "Valdis", "Normunds", "Ivars", "Kristaps", "Dāvis", "Emīls",
    "Rihards", "Toms", "Gustavs", "Ēriks", "Oskars", "Armands", "Krišjānis", "Aigars", "Ainārs", "Guntis",
]  # fmt: skip
LATVIAN_FEMALE = [
    "Anna", "Līga", "Inese", "Ilze", "Kristīne", "Laura", "Dace", "Sandra", "Zane", "Ieva",
    "Agnese", "Evija", "Marta", "Elīna", "Baiba", "Gunta", "Māra", "Aija", "Madara", "Sanita",
    "Līva", "Katrīna", "Ērika", "Inga", "Rūta", "Dzintra", "Vija", "Ināra", "Santa", "Alise",
]  # fmt: skip
LATVIAN_SURNAMES = [
    ("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"), ("Liepiņš", "Liepiņa"),
    ("Jēkabsons", "Jēkabsone"), ("Šmits", "Šmite"), ("Krūmiņš", "Krūmiņa"), ("Ozols", "Ozola"),
    ("Kļaviņš", "Kļaviņa"), ("Zariņš", "Zariņa"), ("Pētersons", "Pētersone"), ("Vītols", "Vītola"),
    ("Balodis", "Balode"), ("Eglītis", "Eglīte"), ("Jansons", "Jansone"), ("Kārkliņš", "Kārkliņa"),
    ("Lapiņš", "Lapiņa"), ("Siliņš", "Siliņa"), ("Vanags", "Vanaga"), ("Grīnbergs", "Grīnberga"),
    ("Zvirbulis", "Zvirbule"), ("Ābols", "Ābola"), ("Dreimanis", "Dreimane"), ("Lūsis", "Lūse"),
    ("Freimanis", "Freimane"), ("Rozenbergs", "Rozenberga"), ("Sproģis", "Sproģe"), ("Auziņš", "Auziņa"),
    ("Kalējs", "Kalēja"), ("Jurjāns", "Jurjāne"), ("Āboliņš", "Āboliņa"), ("Cīrulis", "Cīrule"),
    ("Strazdiņš", "Strazdiņa"), ("Priedītis", "Priedīte"), ("Žagars", "Žagare"), ("Mednis", "Medne"),
    ("Celmiņš", "Celmiņa"), ("Skujiņš", "Skujiņa"), ("Gailis", "Gaile"), ("Ziediņš", "Ziediņa"),
]  # fmt: skip
RUSSIAN_MALE = [
    "Aleksandrs", "Sergejs", "Dmitrijs", "Andrejs", "Vladimirs", "Igors", "Jevgēņijs", "Nikolajs",
    "Mihails", "Oļegs", "Aleksejs", "Maksims", "Viktors", "Deniss", "Artjoms", "Jurijs", "Konstantīns",
]  # fmt: skip
RUSSIAN_FEMALE = [
    "Jeļena", "Natālija", "Olga", "Tatjana", "Irina", "Svetlana", "Jūlija", "Marina", "Anastasija",
    "Ludmila", "Jekaterina", "Oksana", "Valentīna", "Gaļina", "Darja", "Viktorija", "Nadežda",
]  # fmt: skip
RUSSIAN_SURNAMES = [
    ("Ivanovs", "Ivanova"), ("Petrovs", "Petrova"), ("Smirnovs", "Smirnova"), ("Kuzņecovs", "Kuzņecova"),
    ("Popovs", "Popova"), ("Vasiļjevs", "Vasiļjeva"), ("Sokolovs", "Sokolova"), ("Mihailovs", "Mihailova"),
    ("Novikovs", "Novikova"), ("Fjodorovs", "Fjodorova"), ("Morozovs", "Morozova"), ("Volkovs", "Volkova"),
    ("Aleksejevs", "Aleksejeva"), ("Lebedevs", "Lebedeva"), ("Semjonovs", "Semjonova"),
    ("Jegorovs", "Jegorova"), ("Pavlovs", "Pavlova"), ("Kozlovs", "Kozlova"), ("Stepanovs", "Stepanova"),
    ("Nikolajevs", "Nikolajeva"), ("Orlovs", "Orlova"), ("Andrejevs", "Andrejeva"),
    ("Makarovs", "Makarova"), ("Zaharovs", "Zaharova"), ("Belovs", "Belova"), ("Sergejevs", "Sergejeva"),
]  # fmt: skip
FOREIGN_MALE = ["Michael", "David", "James", "Thomas", "Lukas", "Jonas", "Mikko", "Piotr", "Erik"]
FOREIGN_FEMALE = ["Emma", "Sarah", "Hanna", "Sophie", "Julia", "Laura", "Anu", "Agnieszka", "Sofia"]
FOREIGN_SURNAMES = [
    ("Smith", "Smith"), ("Müller", "Müller"), ("Nowak", "Nowak"), ("Johansson", "Johansson"),
    ("Virtanen", "Virtanen"), ("Kowalski", "Kowalska"), ("Schmidt", "Schmidt"), ("Andersson", "Andersson"),
    ("Kazlauskas", "Kazlauskienė"), ("Tamm", "Tamm"), ("Brown", "Brown"), ("Jensen", "Jensen"),
]  # fmt: skip

# Riga streets and a postcode of each (LV-10xx).
RIGA_STREETS = [
    ("Brīvības iela", "LV-1010"), ("Krišjāņa Barona iela", "LV-1011"), ("Dzirnavu iela", "LV-1010"),
    ("Elizabetes iela", "LV-1010"), ("Tērbatas iela", "LV-1011"), ("Ģertrūdes iela", "LV-1011"),
    ("Stabu iela", "LV-1011"), ("Matīsa iela", "LV-1001"), ("Avotu iela", "LV-1009"),
    ("Lāčplēša iela", "LV-1011"), ("Krišjāņa Valdemāra iela", "LV-1010"), ("Aleksandra Čaka iela", "LV-1011"),
    ("Marijas iela", "LV-1050"), ("Blaumaņa iela", "LV-1011"), ("Skolas iela", "LV-1010"),
    ("Gogoļa iela", "LV-1050"), ("Maskavas iela", "LV-1003"), ("Lomonosova iela", "LV-1019"),
    ("Ganību dambis", "LV-1005"), ("Vienības gatve", "LV-1004"), ("Kalnciema iela", "LV-1048"),
    ("Slokas iela", "LV-1007"), ("Daugavgrīvas iela", "LV-1007"), ("Kārļa Ulmaņa gatve", "LV-1004"),
    ("Zolitūdes iela", "LV-1029"), ("Anniņmuižas bulvāris", "LV-1029"), ("Augusta Deglava iela", "LV-1009"),
    ("Ropažu iela", "LV-1039"), ("Juglas iela", "LV-1064"), ("Brīvības gatve", "LV-1039"),
    ("Lielvārdes iela", "LV-1006"), ("Dzelzavas iela", "LV-1084"), ("Purvciema iela", "LV-1035"),
    ("Ieriķu iela", "LV-1084"), ("Nīcgales iela", "LV-1035"), ("Kurzemes prospekts", "LV-1067"),
    ("Ziepniekkalna iela", "LV-1004"), ("Valdeķu iela", "LV-1058"), ("Mūkusalas iela", "LV-1004"),
    ("Krasta iela", "LV-1003"), ("Gaujas iela", "LV-1026"), ("Tallinas iela", "LV-1012"),
]  # fmt: skip

EMAIL_DOMAINS_LV = ["inbox.lv", "gmail.com", "apollo.lv", "tvnet.lv", "outlook.com", "balticom.lv"]
EMAIL_DOMAINS_RU = ["inbox.lv", "gmail.com", "mail.ru", "yandex.ru", "outlook.com"]
EMAIL_DOMAINS_FOREIGN = ["gmail.com", "outlook.com", "icloud.com", "web.de", "proton.me"]

# (service name, monthly price in euro cents) — Annex 1 cat. 8.
POSTPAID_SERVICES = [
    ("Internets 100 Mbit/s", 1499), ("Internets 300 Mbit/s", 1999), ("Internets 1 Gbit/s", 2999),
    ("Televīzija Pamata", 999), ("Televīzija Optimālā", 1599), ("Televīzija Maksimālā", 2499),
    ("Internets + Televīzija", 2799), ("Mobilais Neierobežots", 1999), ("Mobilais 20 GB", 999),
    ("Fiksētais tālrunis", 499), ("Viedā māja", 799), ("Elektroenerģija", 4500),
]  # fmt: skip
PREPAID_SERVICES = [
    "Priekšapmaksas mobilais", "Priekšapmaksas virszemes TV", "Mobilais internets (priekšapmaksa)",
    "Video pēc pieprasījuma", "Priekšapmaksas internets 30 dienām",
]  # fmt: skip

BANKS = ["HABA", "UNLA", "PARX", "RIKO", "NDEA", "CBBR"]  # Swedbank, SEB, Citadele, Luminor, ...

#: §26: what each ground's disclosure rests on (demo wording).
DISCLOSURE_LEGAL_REFERENCES = {
    "26.1": "Pakalpojuma līguma noteikumi: datu nodošana norēķinu veikšanai",
    "26.2": "Klienta piekrišana datu nodošanai",
    "26.3": "Operatīvās darbības likums, 6. pants",
    "26.4": "Civilprocesa likums: prasība tiesā",
}
DISCLOSURE_REFERENCES = {
    "26.1": "Līgums Nr. {n}",
    "26.2": "Piekrišana {n}",
    "26.3": "VP pieprasījums Nr. 2-{n}",
    "26.4": "Tiesas lieta Nr. C{n}",
}


def ascii_fold(text: str) -> str:
    """Jēkabsone → jekabsone: for e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())
