"""Word lists shared by the language tests: a nynorsk text must not read as bokmål, and an
English text must not read as Norwegian."""

from __future__ import annotations

import re

#: Bokmål forms that nynorsk writes differently (the nynorsk form in the comment). A nynorsk text
#: containing one was most likely copied from bokmål and not translated.
BOKMAL_ONLY = re.compile(
    r"\b(ikke|hvis|hver|hvert|noen|boutgift\w*|egenandel\w*|bolig\w*|søker|søkers|søkere\w*"
    r"|søkeren\w*|husholdning\w*|måned\w*|beregne[dt]\w*|beregning\w*|avrundet|rundet|omregnet"
    r"|høyst|høyere|enslig|veiledende|satser|livsopphold|frarådning\w*|valgt|være|utenfor|utenom"
    r"|løpende|strøm|flytende|et|ett|hele|helt|tallet|flere|finnes|mangler|opplysninger|verdier"
    r"|medlemmer|medlemmene|regler|reglene|krever|ennå|sifre|tillater|oppgis|bruker\w*)\b",
    re.IGNORECASE,
)
# ikkje, dersom, kvar, kvart, nokon, buutgift, eigendel, bustad, søkjar, søkjaren sin, søkjarar,
# søkjaren, hushald, månad, utrekna, utrekning, avrunda, runda, omrekna, høgst, høgare, einsleg,
# rettleiande, satsar, livsopphald, fråråding, vald, vere, utanfor, utanom, løpande, straum,
# flytande, eit, eitt, heile, heilt, talet, fleire, finst, manglar, opplysningar, verdiar,
# medlemer, medlemene, reglar, reglane, krev, enno, siffer, tillèt, oppgjevast, brukar.

#: Norwegian words an English text should not contain (beside :data:`BOKMAL_ONLY`).
NORWEGIAN_IN_ENGLISH = re.compile(r"\b(og|eller|av|til|med|ikkje)\b")
