"""Actors and sides decided per document from how its text tells them (pipeline/nlp/sides.py)."""

from __future__ import annotations

from test_mentions import read

from pipeline.nlp.entities import extract_entities
from pipeline.nlp.sides import cast_sides


def sides(nlp, text: str) -> dict[str, str]:
    """canonical name -> side of the actors `text` names ("" when no mention has one; a
    nationality that only describes, "Soviet missiles", has none)."""
    doc = nlp(text)
    found: dict[str, str] = {}
    for ent in cast_sides(doc, extract_entities(doc, "snippet")):
        found[ent.canonical] = ent.side or found.get(ent.canonical, "")
    return found


def test_parties_told_by_talks_between_them(nlp):
    # Egypt is a mediator in the gazetteer (of the Oslo essay); here it is a party.
    found = sides(
        nlp,
        "Sadat's visit led to direct talks between Egypt and Israel that December, "
        "but these talks did not generate substantive progress.",
    )
    assert {found["Egypt"], found["Israel"]} == {"government", "opposition"}


def test_the_soviet_union_is_one_actor_and_a_party(nlp):
    text = (
        "For the first time during the Cold War, the United States and Soviet Union had "
        "agreed to limit the number of nuclear missiles in their arsenals."
    )
    found = sides(nlp, text)
    assert "Union" not in found
    assert {found["Soviet Union"], found["United States"]} == {"government", "opposition"}


def test_a_person_takes_the_side_of_the_nationality_in_their_phrase(nlp):
    found = sides(
        nlp,
        "In 1967, the United States and the Soviet Union agreed to hold talks. Johnson and "
        "Soviet Premier Alexei Kosygin met at Glassboro State College in New Jersey. Nixon "
        "and Soviet General Secretary Leonid Brezhnev signed the ABM Treaty on May 26, 1972, "
        "in Moscow.",
    )
    assert found["Alexei Kosygin"] == found["Leonid Brezhnev"] == found["Soviet Union"]
    assert found["Nixon"] == found["United States"] != found["Soviet Union"]


def test_who_brokers_is_a_mediator(nlp):
    found = sides(
        nlp,
        "The negotiations took place in August in Portsmouth, New Hampshire, and were "
        "brokered in part by U.S. President Theodore Roosevelt.",
    )
    assert found["Theodore Roosevelt"] == "mediator"


def test_a_nationality_government_is_the_government_of_its_state(nlp):
    found = sides(
        nlp,
        "Colombia's conflict went on. On 23 June 2016 a ceasefire accord was signed between "
        "the FARC Guerilla Army and the Colombian Government, in Havana, Cuba.",
    )
    assert found["Government of Colombia"] == "government"
    assert found["FARC Guerilla Army"] == "opposition"


def test_an_acronym_is_the_name_it_was_introduced_with(nlp):
    doc = nlp(
        "The peace process between the Government of Guatemala and the Unidad Revolucionaria "
        "Nacional Guatemalteca (URNG) has made headway. The URNG signed the agreement."
    )
    named = {e.text: e for e in cast_sides(doc, extract_entities(doc, "snippet"))}
    urng = named["URNG"]
    assert urng.canonical == "Unidad Revolucionaria Nacional Guatemalteca"
    government = next(e for e in named.values() if e.canonical == "Government of Guatemala")
    assert urng.side == "opposition" and government.side == "government"


def test_participants_of_an_agreement_from_the_document_sides(nlp):
    _, events = read(
        nlp,
        "The United States and the Soviet Union agreed to hold talks. Nixon and Soviet "
        "General Secretary Leonid Brezhnev signed the ABM Treaty on May 26, 1972, in Moscow.",
    )
    signed = next(e for e in events if e.status == "signed")
    named = {"Leonid Brezhnev", "Nixon", "Soviet Union", "United States"}
    assert set(signed.participants.split(";")) == named


def test_an_agreement_recalled_in_the_past_perfect_is_no_new_event(nlp):
    _, events = read(
        nlp,
        "For the first time during the Cold War, the United States and Soviet Union had "
        "agreed to limit the number of nuclear missiles in their arsenals.",
    )
    assert not events
    _, events = read(
        nlp,
        "At the Moscow meeting in April 1995, both sides had agreed to provide regular "
        "access by the members of the Joint Commission to mass media.",
    )
    assert [e.event_type for e in events].count("agreement") == 1
