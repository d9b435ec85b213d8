"""Generate data/countries.yaml: every country where the UK could have defence representation.

Deterministic and offline: the inputs are the public lists below and pycountry.
Run from the repository root:  python tools/make_countries.py [--check]
With --check it exits 1 (and writes nothing) when data/countries.yaml is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pycountry
import yaml

OUTPUT = Path(__file__).resolve().parent.parent / "data" / "countries.yaml"

# The 193 UN member states (ISO 3166 alpha-3), public list.
UN_MEMBERS = frozenset("""
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK
DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA
KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB
ZWE
""".split())

# Taiwan is not a UN member but is a defence-relevant partner. Kosovo would be added here,
# but pycountry (ISO 3166) has no code for it, so it cannot be stored.
EXTRA = frozenset({"TWN"})

# Regions, in the strategy's order. See the header written into countries.yaml for the rule.
REGION_MEMBERS = {
    "Euro-Atlantic": """
        ALB AND AUT BLR BEL BIH BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN ISL IRL ITA LVA LIE
        LTU LUX MLT MDA MCO MNE NLD MKD NOR POL PRT ROU RUS SMR SRB SVK SVN ESP SWE CHE TUR UKR
        USA CAN
        ARM AZE GEO""",
    "Middle East": """
        DZA EGY LBY MAR TUN
        BHR KWT OMN QAT SAU ARE YEM
        ISR JOR LBN SYR IRN IRQ""",
    "Indo-Pacific": """
        KAZ KGZ TJK TKM UZB
        AFG BGD BTN IND MDV NPL PAK LKA
        BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM
        CHN JPN MNG PRK KOR TWN
        AUS FJI KIR MHL FSM NRU NZL PLW PNG WSM SLB TON TUV VUT""",
    "Africa": """
        AGO BEN BWA BFA BDI CPV CMR CAF TCD COM COG COD CIV DJI GNQ ERI SWZ ETH GAB GMB GHA GIN
        GNB KEN LSO LBR MDG MWI MLI MRT MUS MOZ NAM NER NGA RWA STP SEN SYC SLE SOM ZAF SSD SDN
        TZA TGO UGA ZMB ZWE""",
    "Latin America and Caribbean": """
        MEX BLZ CRI SLV GTM HND NIC PAN
        ARG BOL BRA CHL COL ECU GUY PRY PER SUR URY VEN
        ATG BHS BRB CUB DMA DOM GRD HTI JAM KNA LCA VCT TTO""",
}

# Memberships: public membership lists (UK itself left out), except the two
# Ukraine formats, which list only the countries the strategy names in that role.
MEMBERSHIPS = {
    "NATO": """
        ALB BEL BGR CAN HRV CZE DNK EST FIN FRA DEU GRC HUN ISL ITA LVA LTU LUX MNE NLD MKD NOR
        POL PRT ROU SVK SVN ESP SWE TUR USA""",
    "EU": """
        AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT
        ROU SVK SVN ESP SWE""",
    "JEF": "DNK EST FIN ISL LVA LTU NLD NOR SWE",
    "E3": "FRA DEU",
    "E5": "FRA DEU ITA POL",
    "FPDA": "AUS MYS NZL SGP",
    "Five Eyes": "USA CAN AUS NZL",
    "AUKUS": "USA AUS",
    "GCAP": "ITA JPN",
    # Strategy: France co-leads the Coalition with the UK; Canada is named as covered by it.
    "Coalition of the Willing": "FRA CAN",
    # Strategy: Germany co-chairs the Ukraine Defence Contact Group with the UK.
    "UDCG": "DEU",
    "Eurofighter": "DEU ITA ESP",
    "Commonwealth": """
        BWA CMR SWZ GAB GMB GHA KEN LSO MWI MUS MOZ NAM NGA RWA SYC SLE ZAF TGO UGA TZA ZMB
        BGD BRN IND MYS MDV PAK SGP LKA
        ATG BHS BRB BLZ CAN DMA GRD GUY JAM KNA LCA VCT TTO
        CYP MLT
        AUS FJI KIR NRU NZL PNG WSM SLB TON TUV VUT""",
}

# English names the strategy (or common UK usage) prefers over pycountry's.
NAME_OVERRIDES = {
    "TUR": "Turkey",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "CZE": "Czech Republic",
    "IRN": "Iran",
    "RUS": "Russia",
    "USA": "United States",
    "VNM": "Vietnam",
    "SYR": "Syria",
    "TZA": "Tanzania",
    "BOL": "Bolivia",
    "VEN": "Venezuela",
    "MDA": "Moldova",
    "LAO": "Laos",
    "BRN": "Brunei",
    "TWN": "Taiwan",
    "FSM": "Micronesia",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "GMB": "The Gambia",
    "BHS": "The Bahamas",
}

# Known British Defence Staff / Defence Section facts stated in the strategy.
DEFENCE_SECTIONS = {"USA": "resident"}

TIER_1 = frozenset("USA DEU FRA NOR UKR".split())
NAMED_EURO_ATLANTIC_PARTNERS = frozenset({"CYP"})
NAMED_PARTNERS_BEYOND = frozenset("AUS JPN IND IDN MYS SGP NZL".split())
# Russia is named by the strategy as the threat, not as a partner.
NAMED_ADVERSARIES = frozenset({"RUS"})

HEADER = """\
# Countries where the UK could have defence representation.
# GENERATED by tools/make_countries.py (deterministic, offline): edit the generator, then rerun it.
#
# Rows: the 193 UN member states except the UK, plus Taiwan (192 + 1 = 193 rows).
# Kosovo is left out: pycountry (ISO 3166) has no code for it.
# UK Overseas Territories (Gibraltar, Falklands, Ascension, Diego Garcia) are UK, not partners.
#
# region (model.REGIONS, in the strategy's order):
#   Euro-Atlantic   Europe (incl. Turkey, Ukraine, Russia, Belarus, Cyprus), North America
#                   (United States, Canada) and the Caucasus (Armenia, Azerbaijan, Georgia).
#   Middle East     North Africa (Algeria, Egypt, Libya, Morocco, Tunisia: the strategy's
#                   "Middle East and North Africa" is recorded as Middle East), the Arabian
#                   Peninsula, the Levant, Iran and Iraq.
#   Indo-Pacific    South, South-East and East Asia, Central Asia, Afghanistan and Oceania.
#   Africa          sub-Saharan Africa, incl. Sudan and Mauritania.
#   Latin America and Caribbean   Mexico, Central and South America, the Caribbean.
#
# memberships (model.FORMATS): NATO, EU, JEF, FPDA, Five Eyes, E3, E5, AUKUS, GCAP,
#   Eurofighter and Commonwealth are public membership lists (source: "Public membership
#   lists"; the UK itself is in all of them but is not a row here: NATO 31 rows + UK = 32
#   allies, EU 27, JEF 9 + UK, Commonwealth 55 + UK = 56).
#   UDCG and Coalition of the Willing list only countries the strategy names in that role:
#   Germany (co-chairs the UDCG), France (co-leads the Coalition), Canada (named in it).
#
# defence_section: "unknown" unless the strategy states it; it states a British Defence
#   Staff in the United States (resident).
#
# priority_tier:
#   1  the closest partners the strategy names: the United States, the countries with new
#      strategic agreements or co-leadership (Germany, France, Norway) and Ukraine.
#   2  every other NATO ally, and the other Euro-Atlantic partners the strategy names (Cyprus).
#   3  partners the strategy names outside the Euro-Atlantic (Australia, Japan, India,
#      Indonesia, and the FPDA partners Malaysia, Singapore and New Zealand), and every
#      other Euro-Atlantic country except Russia.
#   4  everyone else, including Russia, which the strategy names as the threat.
#
# name is given only where pycountry's name is awkward or the strategy uses another one.
"""


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


def region_of(code: str) -> str:
    regions = [region for region, members in REGION_MEMBERS.items() if code in _codes(members)]
    if len(regions) != 1:
        raise ValueError(f"{code}: expected exactly one region, found {regions}")
    return regions[0]


def memberships_of(code: str) -> list[str]:
    return [fmt for fmt, members in MEMBERSHIPS.items() if code in _codes(members)]


def priority_tier(code: str, region: str, memberships: list[str]) -> int:
    if code in TIER_1:
        return 1
    if "NATO" in memberships or code in NAMED_EURO_ATLANTIC_PARTNERS:
        return 2
    if code in NAMED_PARTNERS_BEYOND:
        return 3
    if region == "Euro-Atlantic" and code not in NAMED_ADVERSARIES:
        return 3
    return 4


def display_name(code: str) -> str:
    if code in NAME_OVERRIDES:
        return NAME_OVERRIDES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise ValueError(f"{code}: not an ISO 3166 alpha-3 code known to pycountry")
    return getattr(country, "common_name", None) or country.name


def rows() -> list[dict]:
    """One dict per country, sorted by display name."""
    result = []
    for code in sorted((UN_MEMBERS - {"GBR"}) | EXTRA):
        region = region_of(code)
        memberships = memberships_of(code)
        row = {"code": code}
        if code in NAME_OVERRIDES:
            row["name"] = NAME_OVERRIDES[code]
        row["region"] = region
        row["memberships"] = memberships
        row["defence_section"] = DEFENCE_SECTIONS.get(code, "unknown")
        row["priority_tier"] = priority_tier(code, region, memberships)
        display_name(code)  # validates the code against pycountry
        result.append(row)
    return sorted(result, key=lambda r: display_name(r["code"]).casefold())


def _scalar(value) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=200)
    return text.removesuffix("\n...\n").strip()


def render() -> str:
    lines = [HEADER]
    for row in rows():
        lines.append(f"- code: {row['code']}          # {display_name(row['code'])}")
        if "name" in row:
            lines.append(f"  name: {_scalar(row['name'])}")
        lines.append(f"  region: {row['region']}")
        lines.append(f"  memberships: [{', '.join(row['memberships'])}]")
        lines.append(f"  defence_section: {row['defence_section']}")
        lines.append(f"  priority_tier: {row['priority_tier']}")
    return "\n".join(lines) + "\n"


def _check_partitions() -> None:
    every = (UN_MEMBERS - {"GBR"}) | EXTRA
    assigned = [c for members in REGION_MEMBERS.values() for c in _codes(members)]
    if sorted(assigned) != sorted(every):
        missing = every - set(assigned)
        extra = set(assigned) - every
        raise ValueError("region lists do not partition the countries: "
                         f"missing {sorted(missing)}, extra {sorted(extra)}")
    for fmt, members in MEMBERSHIPS.items():
        unknown = _codes(members) - every
        if unknown:
            raise ValueError(f"{fmt}: codes not in the country list: {sorted(unknown)}")


def main(argv: list[str]) -> int:
    if len(UN_MEMBERS) != 193:
        raise ValueError(f"UN_MEMBERS has {len(UN_MEMBERS)} codes, expected 193")
    _check_partitions()
    text = render()
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date; run python tools/make_countries.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({text.count('- code:')} countries)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
