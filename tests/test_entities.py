"""Entities: every gazetteer record's example, real sentences, place resolution."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.nlp.entities import (
    ENTITY_LABELS,
    add_gazetteer_ruler,
    extract_entities,
    load_actors,
    load_places,
    resolve_place,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
SIDES = {"government", "opposition", "mediator", "third_party", ""}


def entities(nlp, text: str):
    return extract_entities(nlp(text), "test")


def find(ents, text: str):
    """Return the one entity whose text is `text`."""
    found = [e for e in ents if e.text == text]
    assert len(found) == 1, (text, [(e.text, e.label) for e in ents])
    return found[0]


# --- the gazetteer files -------------------------------------------------------


def test_actor_records_are_well_formed():
    actors = load_actors()
    assert len({a.id for a in actors}) == len(actors)
    for actor in actors:
        assert actor.label in {"PERSON", "ORG", "GPE", "NORP"}, actor.id
        assert actor.side in SIDES, actor.id
        assert actor.aliases and actor.canonical and actor.role, actor.id
    aliases = [alias for actor in actors for alias in set(actor.aliases)]
    assert len(aliases) == len(set(aliases)), "an alias belongs to one record only"


def test_place_records_are_well_formed():
    for row in load_places():
        assert row.label in {"GPE", "LOC", "FAC"}, row.name
        assert row.is_template or row.name in row.example, row.name


@pytest.mark.parametrize("actor", load_actors(), ids=lambda a: a.id)
def test_actor_example_yields_its_canonical_name(nlp, actor):
    assert any(alias in actor.example for alias in actor.aliases)
    found = [
        (e.canonical, e.label, e.side, e.source)
        for e in entities(nlp, actor.example)
        if e.canonical == actor.canonical
    ]
    assert (actor.canonical, actor.label, actor.side, "gazetteer") in found


@pytest.mark.parametrize("row", load_places(), ids=lambda r: r.name)
def test_place_example_yields_its_canonical_name(nlp, row):
    ents = entities(nlp, row.example)
    if row.is_template:
        prefix = row.name.split("{")[0].lower()
        hits = [e for e in ents if e.text.lower().startswith(prefix) and resolve_place(e.text)]
        assert hits and all(e.canonical == resolve_place(e.text)[0] for e in hits)
    else:
        assert (row.canonical, row.label) in {(e.canonical, e.label) for e in ents}


# --- real sentences ------------------------------------------------------------

ARTICLE = [
    (
        "There, Primakov reassured Nuri that the Islamic opposition would be a legitimate "
        "party to the negotiations, in exchange for the latter’s acknowledgement of Russian "
        "interests and continued military presence in Tajikistan (Dubnov 1996: 50; Lynch "
        "2001: 58-59).",
        {
            "Primakov": ("PERSON", "Yevgeny Primakov", "mediator"),
            "Nuri": ("PERSON", "Said Abdullo Nuri", "opposition"),
            "the Islamic opposition": ("ORG", "United Tajik Opposition", "opposition"),
            "Tajikistan": ("GPE", "Tajikistan", ""),
        },
    ),
    (
        "In the allegedly rigged presidential election on 6 November, Rakhmonov defeated his "
        "sole competitor, Abdumalik Abdullajanov, Tajik ambassador to Russia and former prime "
        "minister.",
        {
            "Rakhmonov": ("PERSON", "Emomali Rakhmonov", "government"),
            "Abdumalik Abdullajanov": ("PERSON", "Abdumalik Abdullajanov", ""),
            "Tajik": ("NORP", "Tajiks", ""),
            "Russia": ("GPE", "Russia", "mediator"),
        },
    ),
    (
        "After visiting Dushanbe and eliciting the Tajik government’s firmer commitment to "
        "the talks, Adamishin went to Tehran, where he convinced the opposition to "
        "reciprocate, while resolving other outstanding procedural issues regarding venues "
        "and observers.",
        {
            "Dushanbe": ("GPE", "Dushanbe", ""),
            "Tajik government": ("ORG", "Government of Tajikistan", "government"),
            "Adamishin": ("PERSON", "Anatoly Adamishin", "mediator"),
            "Tehran": ("GPE", "Tehran", ""),
            "the opposition": ("ORG", "United Tajik Opposition", "opposition"),
        },
    ),
    (
        "The Rakhmonov-Nuri summit materialized on 17–19 May in Kabul, convened and "
        "facilitated by Afghan President Burhanuddin Rabbani.",
        {
            "Rakhmonov": ("PERSON", "Emomali Rakhmonov", "government"),
            "Nuri": ("PERSON", "Said Abdullo Nuri", "opposition"),
            "Kabul": ("GPE", "Kabul", ""),
            "Burhanuddin Rabbani": ("PERSON", "Burhanuddin Rabbani", "mediator"),
        },
    ),
    (
        "When the parties convened in the capital of Turkmenistan at the end of November, and "
        "tried to edge toward substantive negotiations on a new political dispensation, the "
        "military confrontation sharply escalated.",
        {"the capital of Turkmenistan": ("GPE", "Ashgabat", "")},
    ),
    (
        "At their meeting on 10–11 December in Khusdeh, northern Afghanistan, the two leaders "
        "initialed the text of a draft agreement that their delegates had left unfinished in "
        "Tehran two months earlier, while pledging to halt ongoing fighting, especially in "
        "central Tajikistan (UNSG 1997a).",
        {
            "Khusdeh": ("GPE", "Khusdeh", ""),
            "northern Afghanistan": ("LOC", "northern Afghanistan", ""),
            "central Tajikistan": ("LOC", "central Tajikistan", ""),
        },
    ),
    (
        "Thus, the first phase of the Ashgabat round came to naught, ending on 22 December with "
        "fresh demands from the opposition raising the hackles of the government.",
        {"Ashgabat": ("GPE", "Ashgabat", "")},
    ),
]

OSLO = [
    (
        "On September 13, 1993, Israeli Prime Minister Yitzhak Rabin and Palestine Liberation "
        "Organization (PLO) Negotiator Mahmoud Abbas signed a Declaration of Principles on "
        "Interim Self-Government Arrangements, commonly referred to as the “Oslo Accord,” at "
        "the White House.",
        {
            "Yitzhak Rabin": ("PERSON", "Yitzhak Rabin", "government"),
            "PLO": ("ORG", "Palestine Liberation Organization", "opposition"),
            "Mahmoud Abbas": ("PERSON", "Mahmoud Abbas", "opposition"),
            "White House": ("FAC", "Washington", ""),  # a building: its city is the location
        },
    ),
    (
        "Clinton, Secretary of State Warren Christopher, and Special Middle East Coordinator "
        "Dennis Ross tried to build on Rabin’s August 1993 promise to withdraw fully from the "
        "Golan if Syria agreed to full peace and necessary security arrangements.",
        {
            "Clinton": ("PERSON", "Bill Clinton", "mediator"),
            "Warren Christopher": ("PERSON", "Warren Christopher", "mediator"),
            "Dennis Ross": ("PERSON", "Dennis Ross", "mediator"),
            "Golan": ("LOC", "Golan Heights", ""),
            "Syria": ("GPE", "Syria", "third_party"),
        },
    ),
    (
        "A subsequent meeting between Clinton and Asad in Geneva failed to produce an "
        "Israeli-Syrian accord.",
        {
            "Asad": ("PERSON", "Hafiz al-Asad", "third_party"),
            "Geneva": ("GPE", "Geneva", ""),
        },
    ),
]


@pytest.mark.parametrize("sentence,expected", ARTICLE + OSLO, ids=lambda v: str(v)[:30])
def test_real_sentences(nlp, sentence, expected):
    ents = entities(nlp, sentence)
    for text, (label, canonical, side) in expected.items():
        entity = find(ents, text)
        assert (entity.label, entity.canonical, entity.side) == (label, canonical, side)


def test_citations_and_false_friends_are_not_entities(nlp):
    ents = entities(
        nlp,
        "Most importantly, the protocol was the product of mutual compromises by the two "
        "sides (Jonson 1998: 9). The Secretary-General visited the Mission.",
    )
    assert not {"Most", "Jonson", "Mission"} & {e.text for e in ents}
    assert find(ents, "Secretary-General").canonical == "UN Secretary-General"


def test_add_gazetteer_ruler_twice_is_harmless(nlp):
    names = list(nlp.pipe_names)
    add_gazetteer_ruler(nlp)
    assert nlp.pipe_names == names


# --- place resolution ------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Almaty", ("Almaty", "Kazakhstan")),
        ("Alma-Ata", ("Almaty", "Kazakhstan")),
        ("Ashkhabad", ("Ashgabat", "Turkmenistan")),
        ("the capital of Turkmenistan", ("Ashgabat", "Turkmenistan")),
        ("Khusdeh", ("Khusdeh", "Afghanistan")),
        ("northern Afghanistan", ("northern Afghanistan", "Afghanistan")),
        ("Mashhad", ("Mashhad", "Iran")),
        ("Bishkek", ("Bishkek", "Kyrgyzstan")),
        ("Frunze", ("Bishkek", "Kyrgyzstan")),
        ("Kurgan-Tube", ("Bokhtar", "Tajikistan")),
        ("Garm", ("Gharm", "Tajikistan")),
        ("Washington", ("Washington", "United States")),
        ("Camp David", ("Camp David", "United States")),
        ("Oslo", ("Oslo", "Norway")),
        ("Cairo", ("Cairo", "Egypt")),
        ("the Islamic Republic of Iran", ("Iran", "Iran")),
        ("Hebron", ("Hebron", "Palestine")),
        ("Atlantis-on-Sea", None),
    ],
)
def test_resolve_place(text, expected):
    assert resolve_place(text) == expected


# --- whole documents ---------------------------------------------------------------


DOCUMENTS = {
    "tajik-negotiations": None,  # the article: cleaned or normalised here
    "oslo-accords": SHARED / "oslo-accords.txt",
}


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_offsets_match_the_text(nlp, article, doc_id):
    path = DOCUMENTS[doc_id]
    if path is not None and not path.exists():
        pytest.skip(f"{path} is absent (no shared/ folder beside the project)")
    text = article.text if path is None else path.read_text(encoding="utf-8")
    ents = extract_entities(nlp(text), doc_id)
    assert ents
    for entity in ents:
        assert text[entity.char_start : entity.char_end] == entity.text
        assert entity.label in ENTITY_LABELS and entity.doc_id == doc_id
        assert "\n" not in entity.text and entity.text == entity.text.strip()
    assert not [e for e in ents if re.fullmatch(r"Jonson|Lynch|Akiner|UNSG.*", e.text)]
