"""Writes countries.csv: every ISO 3166-1 country with its names in Kyrgyz, Russian and
English, from the Unicode CLDR (through Babel) and the ISO list (through pycountry).

    python3 -m venv /tmp/countries && /tmp/countries/bin/pip install babel==2.16.0 pycountry==24.6.1
    /tmp/countries/bin/python shared/domain/data/countries.py > shared/domain/data/countries.csv
"""

import csv
import sys

import pycountry
from babel import Locale

# Where the state's own usage differs from CLDR's short name.
OVERRIDES = {("KGZ", "ru"): "Кыргызстан"}

locales = {lang: Locale(lang) for lang in ("ky", "ru", "en")}
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["alpha3", "alpha2", "ky", "ru", "en"])
for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
    names = [
        OVERRIDES.get((country.alpha_3, lang), locales[lang].territories[country.alpha_2])
        for lang in ("ky", "ru", "en")
    ]
    out.writerow([country.alpha_3, country.alpha_2, *names])
