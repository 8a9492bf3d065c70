#!/usr/bin/env python3
"""Writes border_people.csv and visas.csv: the synthetic people the local stand-ins of
the border service and the visa registry hold. Deterministic (seeded); run it again
after changing it. Dates are days relative to the day the tables are seeded, so each
person stays in the same situation however old the checkout is.

The first rows are the demo people the README lists, one per situation; the rest are
drawn at random across citizenships and situations."""

import csv
import random
from pathlib import Path

HERE = Path(__file__).parent
PEOPLE = [
    "document_country", "document_number", "nationality", "surname", "given_names",
    "patronymic", "birth_date", "sex", "document_type", "valid_days",
    "entered_days_ago", "left_days_ago",
]
VISAS = [
    "document_country", "document_number", "visa_number", "visa_type", "multiple",
    "from_days_ago", "to_days_ahead",
]

# (zone country, citizenship, surnames, given names, patronymic-bearing)
NATIONS = [
    ("CHN", "CHN", ["WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO"],
     ["LEI", "WEI", "FANG", "JING", "MIN", "TAO", "YAN", "HUI"], False),
    ("IND", "IND", ["SHARMA", "PATEL", "SINGH", "KUMAR", "GUPTA", "REDDY"],
     ["RAHUL", "PRIYA", "AMIT", "NEHA", "VIKRAM", "ANJALI"], False),
    ("PAK", "PAK", ["KHAN", "AHMED", "ALI", "HUSSAIN", "MALIK", "QURESHI"],
     ["IMRAN", "AYESHA", "BILAL", "SANA", "USMAN", "HINA"], False),
    ("AFG", "AFG", ["AHMADI", "RAHIMI", "KARIMI", "NOORI", "SAFI"],
     ["AHMAD", "MARYAM", "FARID", "ZAHRA", "NASIR"], False),
    ("BGD", "BGD", ["RAHMAN", "HOSSAIN", "ISLAM", "UDDIN", "AKTER"],
     ["KARIM", "NASRIN", "RAFIQ", "SHIRIN", "JAMAL"], False),
    ("TUR", "TUR", ["YILMAZ", "KAYA", "DEMIR", "SAHIN", "CELIK", "OZTURK"],
     ["MEHMET", "AYSE", "MUSTAFA", "FATMA", "EMRE", "ZEYNEP"], False),
    ("UZB", "UZB", ["KARIMOV", "RASHIDOV", "YUSUPOV", "TURSUNOV", "ALIEVA"],
     ["BAKHTIYOR", "DILNOZA", "SHERZOD", "MALIKA", "JASUR"], True),
    ("TJK", "TJK", ["RAHMONOV", "SAIDOV", "NAZAROV", "SHARIPOVA"],
     ["FIRDAVS", "MADINA", "RUSTAM", "ZARINA"], True),
    ("KAZ", "KAZ", ["NURLANOV", "SEITKALI", "ABENOV", "ZHUMABAEVA"],
     ["ASKAR", "AIGERIM", "DAUREN", "ZHANAR"], True),
    ("RUS", "RUS", ["IVANOV", "SMIRNOVA", "KUZNETSOV", "POPOVA", "SOKOLOV"],
     ["IVAN", "ANNA", "SERGEI", "OLGA", "DMITRII"], True),
    ("KOR", "KOR", ["KIM", "LEE", "PARK", "CHOI", "JUNG"],
     ["MINJUN", "SEOYEON", "JIHO", "HAEUN", "DOYUN"], False),
    ("USA", "USA", ["SMITH", "JOHNSON", "BROWN", "DAVIS", "MILLER"],
     ["JOHN", "MARY", "ROBERT", "LINDA", "JAMES"], False),
    ("D", "DEU", ["MUELLER", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER"],
     ["LUKAS", "ANNA", "FELIX", "LEONIE", "JONAS"], False),
    ("NPL", "NPL", ["SHRESTHA", "GURUNG", "TAMANG", "RAI", "MAGAR"],
     ["RAM", "SITA", "HARI", "GITA", "BIKASH"], False),
    ("VNM", "VNM", ["NGUYEN", "TRAN", "LE", "PHAM", "HOANG"],
     ["VAN AN", "THI MAI", "MINH", "THI LAN", "DUC"], False),
    ("IRN", "IRN", ["HOSSEINI", "MOHAMMADI", "REZAEI", "MORADI"],
     ["ALI", "FATEMEH", "REZA", "MARYAM"], False),
]
PATRONYMICS = ["ALIEVICH", "KARIMOVNA", "SERGEEVICH", "IVANOVNA", "RUSTAMOVICH"]

# The demo people: (country, number, citizenship, surname, given, sex, valid_days,
# entered, left, visas [(type, multiple, from_days_ago, to_days_ahead)])
DEMO = [
    ("CHN", "EA0000001", "CHN", "WANG", "LEI", "M", 2400, 20, None, [("W1", 1, 30, 330)]),
    ("CHN", "EA0000002", "CHN", "LI", "FANG", "F", 2400, None, None, [("W1", 1, 10, 350)]),
    ("CHN", "EA0000003", "CHN", "ZHANG", "WEI", "M", 2400, 100, 10, [("W1", 1, 120, 240)]),
    ("IND", "Z0000004", "IND", "SHARMA", "RAHUL", "M", 2000, 15, None, [("T1", 0, 20, 40)]),
    ("IND", "Z0000005", "IND", "PATEL", "PRIYA", "F", 2000, 200, None, [("W1", 1, 370, -5)]),
    ("PAK", "AB0000006", "PAK", "KHAN", "IMRAN", "M", 90, 30, None, [("W1", 1, 40, 320)]),
    ("KAZ", "N0000007", "KAZ", "NURLANOV", "ASKAR", "M", 3000, 12, None, []),
    ("TUR", "U0000008", "TUR", "YILMAZ", "MEHMET", "M", 1800, 25, None, []),
    ("D", "C0000009", "DEU", "MUELLER", "LUKAS", "M", 2500, 8, None, []),
]


def main() -> None:
    rng = random.Random(20261207)
    people, visas = [], []

    def add(country, number, nation, surname, given, patronymic, birth, sex, valid,
            entered, left, held):
        people.append([country, number, nation, surname, given, patronymic or "", birth, sex,
                       "ORDINARY PASSPORT", valid,
                       "" if entered is None else entered, "" if left is None else left])
        for i, (kind, multiple, since, until) in enumerate(held):
            visas.append([country, number, f"{kind[0]}{number[-6:]}{i}", kind,
                          "true" if multiple else "false", since, until])

    for (country, number, nation, surname, given, sex, valid, entered, left, held) in DEMO:
        birth = f"19{rng.randint(70, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        add(country, number, nation, surname, given, None, birth, sex, valid, entered, left,
            held)

    used = {row[1] for row in people}
    while len(people) < 330:
        country, nation, surnames, givens, patronymic = rng.choice(NATIONS)
        number = f"{rng.choice('ABCEFGHKLMNPRSTUXZ')}{rng.randint(10_000_000, 99_999_999)}"
        if number in used:
            continue
        used.add(number)
        situation = rng.choices(
            ["working", "arrived", "never", "left", "tourist", "lapsed", "expiring", "expired"],
            [40, 15, 8, 10, 8, 7, 6, 6])[0]
        entered, left, held = rng.randint(5, 300), None, []
        valid = rng.randint(400, 3500)
        if situation == "working":
            held = [("W1", 1, entered + 10, rng.randint(30, 360))]
        elif situation == "arrived":
            held = [("W1", rng.randint(0, 1), entered + 3, rng.randint(200, 365))]
        elif situation == "never":
            entered = None
            held = [("W1", 1, 5, 300)]
        elif situation == "left":
            left = rng.randint(1, entered - 1) if entered > 1 else None
            held = [("W1", 1, entered + 10, rng.randint(30, 200))]
        elif situation == "tourist":
            held = [(rng.choice(["T1", "B1", "P1"]), 0, entered + 2, rng.randint(5, 60))]
        elif situation == "lapsed":
            held = [("W1", 1, 400, -rng.randint(1, 30))]
        elif situation == "expiring":
            valid = rng.randint(10, 170)
            held = [("W1", 1, entered + 10, rng.randint(30, 300))]
        else:
            valid = -rng.randint(1, 400)
            held = [("W1", 1, entered + 10, rng.randint(30, 300))]
        birth = f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        add(country, number, nation, rng.choice(surnames), rng.choice(givens),
            rng.choice(PATRONYMICS) if patronymic and rng.random() < 0.8 else None,
            birth, rng.choice("MF"), valid, entered, left, held)

    with open(HERE / "border_people.csv", "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(PEOPLE)
        writer.writerows(people)
    with open(HERE / "visas.csv", "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(VISAS)
        writer.writerows(visas)


if __name__ == "__main__":
    main()
