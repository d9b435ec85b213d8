"""Realistic sample Briefs for renderer tests: pure Brief data, no rendering library.

``sample_brief()`` is one country brief of ten-plus A4 pages (long tables, contents,
callouts); ``sample_pack()`` is a two-country pack with a cover, dividers and PartStarts.
All names of people are invented.
"""

from __future__ import annotations

import datetime as dt

from briefpack.brief.document import (
    Brief, Bullets, Callout, Column, Contents, Divider, Heading, KeyValue, PageBreak,
    Paragraph, PartStart, Table,
)

MARKING = "OFFICIAL-SENSITIVE - RECIPIENTS ONLY - COMMERCIAL"
BRIEF_DATE = dt.date(2026, 5, 12)
#: names with Latin Extended letters that every renderer must print intact
LATIN_EXTENDED_NAMES = ("Côte d'Ivoire", "Türkiye", "São Tomé and Príncipe", "Curaçao")

_COURSES = (
    ("Advanced Command and Staff Course", "Defence Academy, Shrivenham"),
    ("Royal College of Defence Studies", "Seaford House, London"),
    ("Commissioning Course", "RMA Sandhurst"),
    ("Initial Officer Training", "RAF College Cranwell"),
    ("Initial Naval Training (Officers)", "BRNC Dartmouth"),
    ("MSc Global Security", "Cranfield University"),
)
_APPOINTMENTS = (
    "Chief of Defence Staff", "Director of Defence Policy", "Commander, Northern Command",
    "Defence Attaché in London", "Head of Capability Development", "Chief of the Navy",
    "Deputy Chief of the Air Force", "Director of Procurement", "Commander, Special Forces",
    "Military Adviser to the Prime Minister",
)
_SURNAMES = (
    "Andersen", "Berg", "Dahl", "Eriksen", "Fjeld", "Haugen", "Johansen", "Kristiansen",
    "Larsen", "Moe", "Nilsen", "Olsen", "Pedersen", "Solberg", "Strand", "Tangen", "Vik",
    "Øvergaard", "Ødegård", "Aasland", "Bjørnstad", "Sæther",
)
_GIVEN = ("Ingrid", "Lars", "Kari", "Henrik", "Marte", "Ole", "Sigrid", "Tor", "Nora", "Erik")
_AGREEMENT_TYPES = ("MoU", "Treaty", "Technical arrangement", "Letter of intent", "Framework")
_STATUSES = ("In force", "In force", "Under negotiation", "Awaiting ratification", "In force")
_PROGRAMMES = (
    ("Type 26 frigate support", "BAE Systems"), ("Wedgetail early warning", "Babcock"),
    ("Brimstone missile integration", "MBDA UK"), ("Watchkeeper follow-on", "Thales UK"),
    ("Sea Venom", "MBDA UK"), ("GCAP partner studies", "Leonardo UK"),
    ("Challenger 3 training", "RBSL"), ("Dreadnought supply chain", "Rolls-Royce"),
    ("Skynet 6 ground segment", "Airbus UK"), ("Puma replacement", "Leonardo UK"),
)
_STAGES = ("Early market engagement", "Requirement set", "Competition", "Bid submitted",
           "Preferred bidder", "Contract negotiation")


def _person(i: int) -> str:
    return f"{_GIVEN[i % len(_GIVEN)]} {_SURNAMES[(i * 7) % len(_SURNAMES)]}"


def _agreement_rows(country: str, count: int) -> tuple[tuple[str, ...], ...]:
    rows = []
    for i in range(count):
        kind = _AGREEMENT_TYPES[i % len(_AGREEMENT_TYPES)]
        value = f"£{(i * 37 % 900 + 15):,}m" if i % 3 else "Not stated"
        jobs = f"{(i * 113 % 2400 + 40):,}" if i % 4 else "Not stated"
        rows.append((
            f"UK-{country} {kind} on defence cooperation, annex {i + 1}",
            kind,
            f"{2008 + i % 17}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            _STATUSES[i % len(_STATUSES)],
            "Commits both parties to joint exercises, information exchange and a standing "
            f"working group that meets {('twice a year', 'quarterly', 'annually')[i % 3]}"
            + (", with a review of logistics support and host-nation arrangements"
               if i % 2 else ""),
            value,
            jobs,
        ))
    return tuple(rows)


def _alumni_rows(count: int) -> tuple[tuple[str, ...], ...]:
    rows = []
    for i in range(count):
        course, institution = _COURSES[i % len(_COURSES)]
        rows.append((_person(i), course, institution, str(1996 + (i * 5) % 29),
                     _APPOINTMENTS[i % len(_APPOINTMENTS)]))
    return tuple(rows)


def _export_rows(count: int) -> tuple[tuple[str, ...], ...]:
    rows = []
    for i in range(count):
        programme, company = _PROGRAMMES[i % len(_PROGRAMMES)]
        rows.append((f"{programme} (phase {i // len(_PROGRAMMES) + 1})", company,
                     f"£{(i * 53 % 1500 + 20):,}m", _STAGES[i % len(_STAGES)],
                     f"Decision expected Q{1 + i % 4} {2026 + i % 3}", _person(i + 3)))
    return tuple(rows)


def country_blocks(country: str, label: str, *, contents: bool = True,
                   rows: float = 1.0) -> tuple:
    """The blocks of one country brief, sections in the order of the brief standard.

    ``rows`` scales the length of the three long tables.
    """
    return (
        Divider(title=f"Visit of the Secretary of State for Defence to {country}",
                subtitle="Engagement brief",
                pairs=(("Dates", "2 to 4 June 2026"), ("Brief version", "v3, 12 May 2026"),
                       ("Owning team", "Defence Engagement (Europe)"),
                       ("Data as of", "10 May 2026"))),
        *((Contents(title="Contents", depth=2),) if contents else ()),
        PageBreak(),
        Heading("Steering summary", 1, f"{label}-steering"),
        Paragraph(f"The visit renews the defence relationship with {country} ahead of the "
                  "NATO summit and tests appetite for deeper industrial collaboration.",
                  "lead"),
        Heading("UK objectives", 2, f"{label}-objectives"),
        Bullets(items=(
            f"Secure {country}'s public support for the Joint Expeditionary Force exercise "
            "programme in 2027, with a named contribution of ships and aircraft.",
            "Agree terms of reference for a bilateral capability working group by September.",
            "Open a conversation on Type 26 through-life support without making an offer.",
            "Thank the Chief of Defence for hosting UK Royal Marines in winter training.",
        ), numbered=True),
        Callout(text="Red: the ratification of the logistics treaty has stalled in "
                     "parliament; do not raise a date.",
                title="Priority scorecard: Red, Amber, Green", kind="rag"),
        Heading("Points to make", 1, f"{label}-points"),
        *(Paragraph(f"Point {n}: the United Kingdom values its partnership with {country} "
                    "across the High North, and wants to turn shared analysis into shared "
                    "capability, through exercises, industrial cooperation and training "
                    "places at the Defence Academy and the Royal College of Defence Studies.")
          for n in range(1, 7)),
        Heading("If raised: export licensing", 2, f"{label}-if-raised"),
        Paragraph("Licensing decisions are taken case by case against the Strategic Export "
                  "Licensing Criteria. We do not comment on individual applications.",
                  "quote"),
        Callout(text="Three records above the release ceiling were left out of this brief. "
                     "Ask the owning team for the annex.",
                title="Items withheld", kind="warning"),
        Heading("Programme", 1, f"{label}-programme"),
        KeyValue(pairs=(("Arrival", "2 June, 18:40, military terminal"),
                        ("Principal", "Secretary of State for Defence"),
                        ("Accompanied by", "Private Secretary, Military Assistant, Press Officer"),
                        ("Press", "Open for the joint statement only"))),
        Heading("Regional partners", 2, f"{label}-partners"),
        Paragraph("Partners the host has raised in recent talks: "
                  + ", ".join(LATIN_EXTENDED_NAMES) + "."),
        Heading("Active agreements", 1, f"{label}-agreements"),
        Table(columns=(Column("Agreement", 3.0), Column("Type", 1.4), Column("Signed", 1.3),
                       Column("Status", 1.5), Column("What it commits", 4.0),
                       Column("Value", 1.2, "right"), Column("Jobs", 1.0, "right")),
              rows=_agreement_rows(label, round(46 * rows)),
              caption="Agreements in force or in negotiation"),
        Heading("Alumni of UK military education", 1, f"{label}-alumni"),
        Table(columns=(Column("Name", 2.0), Column("Course", 3.0), Column("Institution", 2.4),
                       Column("Year", 0.8, "right"), Column("Current appointment", 3.0)),
              rows=_alumni_rows(round(60 * rows)), caption="Alumni in senior posts"),
        Heading("Export and capability opportunities", 1, f"{label}-exports"),
        Table(columns=(Column("Programme", 3.0), Column("UK company", 1.8),
                       Column("Value", 1.2, "right"), Column("Stage", 2.0),
                       Column("Next milestone", 2.2), Column("Lead", 1.8)),
              rows=_export_rows(round(40 * rows)), caption="Opportunities by value"),
        Heading("Interlocutor changes", 2, f"{label}-changes"),
        Table(columns=(Column("Name"), Column("Change")), rows=(),
              caption="Changes since the last visit", empty_text="None recorded."),
        Heading("Annex: sources and data currency", 1, f"{label}-annex"),
        Paragraph("Agreements: treaty database, refreshed 10 May 2026 by the Defence "
                  "Section. Alumni: Defence Academy records, refreshed 2 May 2026. "
                  "Opportunities: UK Defence and Security Exports, refreshed 28 April 2026.",
                  "small"),
    )


def sample_brief(*, country: str = "Norway", label: str = "NOR", watermark: str = "",
                 base_font_size: float = 12.0, rows: float = 1.0) -> Brief:
    """One country brief: over twenty A4 pages; ``rows=0.3`` gives about ten."""
    return Brief(title=f"Visit of the Secretary of State for Defence to {country}",
                 marking=MARKING, blocks=country_blocks(country, label, rows=rows),
                 subject=f"Engagement brief: {country}", author="Defence Engagement (Europe)",
                 keywords=(country, "visit brief", "defence engagement"), date=BRIEF_DATE,
                 label=label, watermark=watermark, base_font_size=base_font_size)


def sample_pack(*, watermark: str = "") -> Brief:
    """A two-country pack: cover, steering brief, contents, then one part per country."""
    parts = (("Norway", "NOR"), ("Türkiye", "TUR"))
    blocks: list = [
        Divider(title="Secretary of State for Defence: visit to Norway and Türkiye",
                subtitle="Briefing pack", pairs=(("Dates", "2 to 6 June 2026"),
                                                 ("Pack version", "v1, 12 May 2026"))),
        PageBreak(parity="odd"),
        Contents(title="Contents", depth=1),
        PageBreak(parity="odd"),
        Heading("Steering brief for the whole visit", 1, "pack-steering"),
        Paragraph("Two allies on NATO's northern and southern flanks; one message on "
                  "burden sharing, two different industrial conversations."),
    ]
    for country, label in parts:
        blocks += [PageBreak(parity="odd"), PartStart(label=label, title=country)]
        blocks += country_blocks(country, label, contents=False)
    return Brief(title="Visit to Norway and Türkiye: briefing pack", marking=MARKING,
                 blocks=tuple(blocks), subject="Briefing pack", author="Private Office",
                 keywords=("pack", "Norway", "Türkiye"), date=BRIEF_DATE,
                 watermark=watermark)


def section_blocks(brief: Brief, heading: str) -> list:
    """The blocks under the level-1 heading ``heading``, up to the next level-1 heading."""
    blocks = list(brief.blocks)
    start = next(i for i, b in enumerate(blocks)
                 if isinstance(b, Heading) and b.level == 1 and b.text == heading)
    end = next((i for i, b in enumerate(blocks[start + 1:], start + 1)
                if isinstance(b, Heading) and b.level == 1), len(blocks))
    return blocks[start + 1:end]
