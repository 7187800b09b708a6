"""The event stage's steps: reading makes frozen records, merging works on them alone over
the whole document; and the merging rules on sentences of real documents."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from spacy.tokens import Doc, Span, Token

from pipeline.events.drafts import compatible_places, finer
from pipeline.events.extract import extract_events, merge
from pipeline.events.reading import read_document
from pipeline.events.slots import Where
from pipeline.models import CleanDocument, Segment
from pipeline.nlp.entities import extract_entities
from pipeline.nlp.timexes import extract_timexes


def spacy_objects(value, seen=None):
    """Every spaCy Doc, Span or Token reachable from `value` (dataclasses, tuples, sets,
    mappings)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, (Doc, Span, Token)):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from spacy_objects(getattr(value, field.name), seen)
    elif isinstance(value, dict):
        for item in value.items():
            yield from spacy_objects(item, seen)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from spacy_objects(item, seen)


@pytest.fixture(scope="module")
def article_reading(nlp, article):
    """The reading of the article and what it was read from."""
    doc = nlp(article.text)
    entities, timexes = extract_entities(doc, article.doc_id), extract_timexes(doc, article.doc_id)
    return read_document(doc, article, entities, timexes), (doc, entities, timexes)


def test_reading_gives_frozen_records_without_the_doc(article_reading):
    story, _ = article_reading
    assert story.readings and story.clauses
    assert not list(spacy_objects(story))
    with pytest.raises(dataclasses.FrozenInstanceError):
        story.readings[0].status = "held"  # type: ignore[misc]


def test_merging_works_on_the_records_alone_and_changes_none(article_reading, article):
    story, (doc, entities, timexes) = article_reading
    copy = pickle.loads(pickle.dumps(story))  # no Doc travels with the records
    events = merge(copy)
    assert events == merge(story) and copy == story
    assert len(events) == len(extract_events(doc, article, entities, timexes)[1])
    assert all(e.readings and e.key >= 0 for e in events)


def events_of(nlp, paragraphs: list[str]):
    """The events the pipeline finds in a document of `paragraphs`."""
    return pipeline_of(nlp, paragraphs)[1]


def pipeline_of(nlp, paragraphs: list[str]):
    """(mentions, events) the pipeline finds in a document of `paragraphs` (one section)."""
    text = "\n\n".join(paragraphs) + "\n"
    segments, start = [], 0
    for number, paragraph in enumerate(paragraphs, start=1):
        segments.append(Segment("t", number, "paragraph", "", 1, start, start + len(paragraph)))
        start += len(paragraph) + 2
    clean = CleanDocument("t", text, tuple(segments), ((0, 1),))
    doc = nlp(text)
    timexes = extract_timexes(doc, "t")
    return extract_events(doc, clean, extract_entities(doc, "t"), timexes)


# wikipedia-farc: the ceasefire told in the summary and again in its own section
FARC_SUMMARY = (
    "In June 2016, the FARC signed a ceasefire accord with the President of Colombia, "
    "Juan Manuel Santos in Havana."
)
FARC_SECTION = (
    "On 23 June 2016 a ceasefire accord was signed between the FARC Guerilla Army and the "
    "Colombian Government, in Havana, Cuba."
)
FARC_BETWEEN = (
    "On 16 May 2014, the Colombian government and the FARC rebels agreed to work together "
    "against drug trafficking, added to the development of these peace talks."
)


def test_a_ceasefire_told_again_anywhere_in_the_document_is_one_row(nlp):
    events = events_of(nlp, [FARC_SUMMARY, FARC_BETWEEN, FARC_SECTION])
    ceasefires = [e for e in events if e.subtype == "ceasefire"]
    assert [(c.status, c.date_start) for c in ceasefires] == [("signed", "2016-06-23")]
    assert len(ceasefires[0].mention_ids.split(";")) > 1


def test_a_protocol_to_halt_the_fighting_told_again_is_the_ceasefire(nlp):
    # un-s-1997-56: the body's ceasefire agreement, and the leaders' own statement of it
    events = events_of(
        nlp,
        [
            "On 10 and 11 December 1996, President Rakhmonov and Mr. Nuri met in Khusdeh. "
            "They signed an agreement on the restoration of the ceasefire on 11 December 1996.",
            "During our meeting in Afghanistan we also signed a protocol aimed at halting the "
            "fighting as well as restoring the work of the official structures.",
        ],
    )
    ceasefires = [(e.subtype, e.date_start) for e in events if e.event_type == "agreement"]
    assert ceasefires == [("ceasefire", "1996-12-11")], ceasefires


def test_ceasefires_of_other_dates_stay_apart(nlp):
    # the article: the ceasefire agreed in Tehran in September 1994, extended in Islamabad
    events = events_of(
        nlp,
        [
            "The softening of the government's position led the Tajik parties back to the "
            "negotiating table at a consultative meeting convened in Tehran on 12–17 September "
            "1994. On the last day of the meeting, the parties agreed that the ceasefire was to "
            "take effect upon the deployment of UN military observers and last until the day "
            "of the referendum and presidential election.",
            "At the third round, held from 20 October to 1 November in Islamabad, the sides "
            "managed to extend the ceasefire agreement until February 1995.",
        ],
    )
    ceasefires = [(e.date_start, e.location) for e in events if e.subtype == "ceasefire"]
    assert ceasefires == [("1994-09-17", "Tehran"), ("1994-10-20", "Islamabad")]


def mentions_of(nlp, paragraphs: list[str]):
    """The mentions (with their events) the pipeline finds in a document of `paragraphs`."""
    return pipeline_of(nlp, paragraphs)[0]


# madrid-conference: the document named in the summary and, pages later, by its shorter name
MADRID_SUMMARY = (
    "Yet by 1993, the Washington talks had become deadlocked and were overtaken by secret "
    "Israeli-Palestinian and Israeli-Jordanian negotiations, which produced the "
    "Israeli-Palestinian Declaration of Principles (the so-called “Oslo Accord”) of September "
    "1993 and the Israeli-Jordanian peace treaty of October 1994."
)
MADRID_LATER = (
    "Frustrated by the Palestinian delegation’s inability to move forward without Arafat’s "
    "approval, the Israelis decided to negotiate directly with the PLO, culminating in the "
    "signing of the Declaration of Principles on September 13, 1993. King Hussein and the "
    "Israelis likewise decided to move forward independently of the Madrid framework, "
    "holding direct talks which produced a peace treaty by October 1994."
)


def test_a_document_named_again_by_the_end_of_its_name_is_one_event(nlp):
    mentions = mentions_of(nlp, [MADRID_SUMMARY, MADRID_LATER])
    event = {m.text: m.event_id for m in mentions}
    assert event["the Declaration of Principles"]
    assert (
        event["the Declaration of Principles"]
        == event["the Israeli-Palestinian Declaration of Principles"]
    )
    # a generic "a peace treaty" is joined by no name
    assert event["a peace treaty"] != event["the Israeli-Palestinian Declaration of Principles"]


def test_a_document_told_again_by_its_kind_at_its_dates_is_one_event(nlp):
    mentions = mentions_of(nlp, [MADRID_SUMMARY, MADRID_LATER])
    event = {m.text: m.event_id for m in mentions}
    # "a peace treaty" produced "by October 1994": the Israeli-Jordanian peace treaty
    assert event["a peace treaty"] == event["the Israeli-Jordanian peace treaty of October"]
    events = {e.event_id: e for e in events_of(nlp, [MADRID_SUMMARY, MADRID_LATER])}
    treaty = events[event["a peace treaty"]]
    assert (treaty.title, treaty.date_start) == ("Israeli-Jordanian peace treaty", "1994-10")
    # "culminating in the signing of the Declaration ... on September 13, 1993"
    declaration = events[event["the Declaration of Principles"]]
    assert (declaration.status, declaration.date_start) == ("signed", "1993-09-13")


def test_a_document_of_a_matter_of_its_own_at_the_same_dates_stays_apart(nlp):
    events = events_of(
        nlp,
        [
            "On 8 March 1997, the parties signed the Protocol on Military Issues in Mashhad.",
            "On 8 March 1997, the parties also signed a protocol on refugees in Mashhad.",
        ],
    )
    assert len([e for e in events if e.event_type == "agreement"]) == 2


# un-s-1997-56: the Tehran round, a summit recalled by its people, then the round again
TEHRAN_ROUND = [
    "The parties further agreed that the next round of inter-Tajik talks would begin in "
    "Tehran on 5 January 1997.",
    "5. The Tehran talks began after a one-day delay on 6 January and lasted until 19 "
    "January. The two sides agreed to continue work on a compromise proposal suggested by "
    "the United Nations.",
    "10. The UTO delegation from Taloqan was headed by Mr. Davlat Usmon, the Chief of "
    "Military Staff, and arrived in Garm on 17 December. He met with opposition field "
    "commanders present in the Karategin Valley and briefed them on the outcome of the "
    "preliminary meeting between President Rakhmonov and Mr. Nuri, with a view to securing "
    "effective implementation of the ceasefire agreement.",
    "14. On 8 January 1997, in Tursunzade, the Commander of the Government's Rapid Reaction "
    "Brigade, together with some 200 soldiers loyal to him, encircled the security forces of "
    "the Mayor of Tursunzade.",
    "15. As the talks in Tehran neared conclusion, on 18 January a demonstration was held in "
    "Khujand demanding the inclusion of representatives from the National Renaissance Block "
    "in the commission of national reconciliation.",
]


def test_an_undated_placed_mention_joins_no_event_it_shares_nothing_with(nlp):
    event = {m.text: m.event_id for m in mentions_of(nlp, TEHRAN_ROUND)}
    # "the talks" (in Tehran) of paragraph 15 are the round, not the summit of paragraph 10
    assert event["the talks"] == event["The Tehran talks"]
    assert event["the preliminary meeting"] not in ("", event["The Tehran talks"])


def test_a_part_of_a_country_is_coarser_than_its_cities():
    region, city = Where("northern Afghanistan", "Afghanistan"), Where("Khusdeh", "Afghanistan")
    assert compatible_places(region, city) and compatible_places(city, region)
    assert finer(region, city) == city and finer(city, region) == city
    assert not compatible_places(city, Where("Taloqan", "Afghanistan"))
    assert not compatible_places(region, Where("Tehran", "Iran"))


def test_a_meeting_placed_in_a_part_of_the_country_is_the_one_in_its_city(nlp):
    # un-s-1997-56: the Khusdeh meeting, told again in the next section
    events = events_of(
        nlp,
        [
            "On 10 and 11 December, President Rakhmonov and Mr. Nuri met in Khusdeh, northern "
            "Afghanistan, for a preliminary meeting prior to a summit meeting to be held in "
            "Moscow.",
            "8. When the two leaders met in northern Afghanistan in mid-December, fighting was "
            "ongoing in the Tavildara sector and in the Karategin Valley.",
        ],
    )
    held = [(e.location, len(e.mention_ids.split(";"))) for e in events if e.status == "held"]
    assert len(held) == 1 and held[0][0] == "Khusdeh" and held[0][1] >= 2, held


@pytest.mark.parametrize(
    "text, place",
    [
        # wikipedia-farc: the formal start of the talks in Norway
        (
            "Peace talks were formally started on 18 October 2012 in a hotel 30 miles north "
            "of the Norwegian capital Oslo with a joint-press conference by both delegations.",
            "Oslo",
        ),
        ("The two delegations met on 17 September 1995 in the town of Garm.", "Gharm"),
    ],
)
def test_a_spot_near_or_in_a_named_place_is_placed_there(nlp, text, place):
    assert [e.location for e in events_of(nlp, [text])] == [place]


def test_a_place_that_only_describes_a_body_places_no_meeting(nlp):
    text = "The delegations met on 17 September 1995 with the mayor of the town of Garm."
    assert [e.location for e in events_of(nlp, [text])] == [""]


def test_a_document_given_with_its_own_date_is_an_agreement_however_it_is_told(nlp):
    # un-s-1997-198: a list of the agreements reached, each with its date
    text = (
        "The documents agreed at Mashhad add to the growing list of substantive agreements "
        "reached in the last two and a half months, that is, the Khusdeh protocol of 11 "
        "December 1996 on the settlement of the military and political situation in the areas "
        "of confrontation; and the Tehran protocol of 13 February 1997 on refugees."
    )
    events = {e.title: e for e in events_of(nlp, [text])}
    assert (events["Tehran protocol"].status, events["Tehran protocol"].date_start) == (
        "agreed",
        "1997-02-13",
    )


def test_a_dated_named_document_inside_a_relative_clause_is_an_agreement(nlp):
    # oslo-accords: the treaty is told inside "the negotiations that led to ..."
    text = (
        "The United States did not play a major role in the negotiations that led to the "
        "Israeli-Jordanian peace treaty of October 1994, though Clinton lent his support."
    )
    deals = [(e.title, e.date_start) for e in events_of(nlp, [text]) if e.event_type == "agreement"]
    assert deals == [("Israeli-Jordanian peace treaty", "1994-10")]


def test_a_document_cited_as_the_ground_of_an_act_is_no_new_agreement(nlp):
    text = (
        "The commission was set up on 5 May 1996 in accordance with the protocol of 17 August 1995."
    )
    assert [e for e in events_of(nlp, [text]) if e.event_type == "agreement"] == []


def test_an_agreement_presupposed_by_despite_was_reached(nlp):
    # un-s-1995-1024-ocr, paragraph 14
    text = (
        "On 17 September 1995, UNMOT arranged a meeting between members of the Joint Commission "
        "and the opposition's field commander for the area. Despite an agreement to calm the "
        "situation, hostilities continued."
    )
    deals = [(e.status, e.date_start) for e in events_of(nlp, [text])
             if e.event_type == "agreement"]  # fmt: skip
    assert deals == [("agreed", "1995-09-17")]


def test_a_meeting_brought_in_by_a_joins_no_event_of_another_time(nlp):
    # camp-david: talks in Washington in 1977, and "a series of talks" there in late 1978
    events = events_of(
        nlp,
        [
            "In the spring of 1977, Carter and Vance met with Arab and Israeli leaders in "
            "Washington.",
            "In September 1978 the leaders signed the Camp David Accords. Beginning in October, "
            "a series of talks in Washington broke down as a result of Israeli concerns.",
        ],
    )
    meetings = [(e.date_start, e.location) for e in events if e.event_type == "meeting"]
    assert len(meetings) == 2 and meetings[1] == ("1978-10", "Washington"), meetings


def test_a_meeting_told_again_by_the_joins_its_event_of_another_time(nlp):
    events = events_of(
        nlp,
        [
            "In the spring of 1977, Carter and Vance met with Arab and Israeli leaders in "
            "Washington.",
            "In October 1978, the talks in Washington were recalled as a first step.",
        ],
    )
    assert len([e for e in events if e.event_type == "meeting"]) == 1


def test_the_same_words_with_the_name_a_meeting_told_before(nlp):
    # un-s-1997-56: "for a preliminary meeting prior to a summit meeting", then a week
    # later "the outcome of the preliminary meeting between President Rakhmonov and Mr. Nuri"
    events = events_of(
        nlp,
        [
            "On 10 and 11 December 1996, President Rakhmonov and Mr. Nuri met in Khusdeh, "
            "northern Afghanistan, for a preliminary meeting prior to a summit meeting to be "
            "held in Moscow.",
            "The UTO delegation arrived in Garm on 17 December. He met with opposition field "
            "commanders and briefed them on the outcome of the preliminary meeting between "
            "President Rakhmonov and Mr. Nuri.",
        ],
    )
    held = [(e.date_start, e.location) for e in events if e.status == "held"]
    assert ("1996-12-10", "Khusdeh") in held and all(d != "1996-12-17" for d, _ in held), held


def test_two_documents_signed_on_one_day_at_one_place_stay_two_rows(nlp):
    # the article: the two documents signed in Moscow on 23 December 1996, one act
    events = events_of(
        nlp,
        [
            "In December 1996, the negotiations in Moscow, however, turned out to be much more "
            "complex. However, it was eventually accommodated by drafting a separate protocol "
            "outlining the primary functions and powers of the CNR (leaving its composition "
            "untouched), keeping the Khusdeh agreement intact. Thus, on 23 December, Rakhmonov "
            "and Nuri managed to sign the two agreements: the Khusdeh agreement, which "
            "demarcated the overall shape of a final agreement, and the protocol of the CNR, "
            "which provided for its core element (UNSG 1997a).",
        ],
    )
    signed = sorted((e.title, e.date_start) for e in events if e.status == "signed")
    assert signed == [("Khusdeh agreement", "1996-12-23"), ("protocol of the CNR", "1996-12-23")]


def test_a_date_on_a_delay_before_a_start_is_the_start(nlp):
    # un-s-1997-56: the round planned for 5 January, begun "after a one-day delay on 6 January"
    events = events_of(
        nlp,
        [
            "The parties further agreed that the next round of inter-Tajik talks would begin "
            "in Tehran on 5 January 1997.",
            "5. The Tehran talks began after a one-day delay on 6 January and lasted until 19 "
            "January.",
        ],
    )
    rounds = [(e.status, e.date_start, e.date_end) for e in events if e.event_type == "meeting"]
    assert rounds == [("held", "1997-01-06", "1997-01-19")], rounds  # "lasted until 19 January"


def test_in_consultation_with_is_a_manner_not_a_meeting(nlp):
    # un-s-1997-56: the protocol drafted "in close consultation with" the envoy at the summit
    events = events_of(
        nlp,
        [
            "4. The summit meeting between President Rakhmonov and Mr. Nuri began in Moscow on "
            "21 December. That protocol, which forms an integral part of the Khusdeh "
            "agreement, was drafted with the participation of the Russian Federation in close "
            "consultation with Special Representative Merrem.",
        ],
    )
    meetings = [(e.subtype, e.date_start) for e in events if e.event_type == "meeting"]
    assert [subtype for subtype, _ in meetings] == ["summit"], meetings


def sectioned_events_of(nlp, parts: list[tuple[str, str]]):
    """The events the pipeline finds in a document of (section, paragraph) parts."""
    text = "\n\n".join(p for _, p in parts) + "\n"
    segments, start = [], 0
    for number, (section, paragraph) in enumerate(parts, start=1):
        segments.append(
            Segment("t", number, "paragraph", section, 1, start, start + len(paragraph))
        )
        start += len(paragraph) + 2
    clean = CleanDocument("t", text, tuple(segments), ((0, 1),))
    doc = nlp(text)
    return extract_events(doc, clean, extract_entities(doc, "t"), extract_timexes(doc, "t"))[1]


# wikipedia-farc: the Caracas dialogue of 1991 and, two sections on, the end of other talks
FARC_CARACAS = (
    "On 3 June 1991, dialogue resumed between the Simón Bolívar Guerrilla Coordinating Board "
    "and the government on neutral territory in Caracas, Venezuela and Tlaxcala, Mexico."
)
FARC_ENDED = (
    "After a series of high-profile guerrilla actions, including the hijacking of an "
    "aircraft, Pastrana ended the peace talks on 21 February 2002 and ordered the armed "
    "forces to start retaking the FARC-EP controlled zone."
)


def test_an_end_told_in_a_later_section_ends_no_meeting_of_an_earlier_one(nlp):
    events = sectioned_events_of(
        nlp, [("1990–1998", FARC_CARACAS), ("1998–2002 peace process", FARC_ENDED)]
    )
    meetings = [(e.date_start, e.date_end) for e in events if e.event_type == "meeting"]
    assert ("1991-06-03", "") in meetings
    assert ("1998", "2002-02-21") in meetings  # runs through the period its heading names


def test_an_end_told_in_the_same_section_still_ends_its_meeting(nlp):
    events = sectioned_events_of(nlp, [("1990–1998", FARC_CARACAS), ("1990–1998", FARC_ENDED)])
    meetings = [(e.date_start, e.date_end) for e in events if e.event_type == "meeting"]
    assert meetings == [("1991-06-03", "2002-02-21")]


def test_a_pronoun_on_an_opening_verb_dates_the_meeting_it_stands_for(nlp):
    # un-s-1995-1024-ocr: "begin them on 30 November" is the talks' own start
    text = (
        "The talks were to be held at Ashkhabad in 1995. While there continue to be "
        "uncertainties about the venue of the talks following their opening at Ashkhabad, the "
        "parties nevertheless agreed to begin them on 30 November."
    )
    meetings = [e for e in events_of(nlp, [text]) if e.event_type == "meeting"]
    assert [m.date_start for m in meetings] == ["1995-11-30"], meetings
    other = (
        "The venue of the talks was settled, and the parties agreed to begin the work on "
        "30 November 1995."
    )
    dated = [e.date_start for e in events_of(nlp, [other]) if e.event_type == "meeting"]
    assert "1995-11-30" not in dated


def readings_of(nlp, text: str):
    """The frozen readings of the mentions of a one-paragraph document."""
    segment = Segment("t", 1, "paragraph", "", 1, 0, len(text))
    doc = nlp(text)
    clean = CleanDocument("t", text, (segment,), ((0, 1),))
    return read_document(doc, clean, extract_entities(doc, "t"), extract_timexes(doc, "t")).readings


def test_a_series_of_meetings_is_dated_by_its_clause(nlp):
    # un-s-1995-1024-ocr: "a series of" stands between the meetings and the verb "had"
    text = "On 5 October 1995, the envoys had a series of meetings at Dushanbe with the President."
    (reading,) = readings_of(nlp, text)
    assert reading.when is not None and reading.when.start == "1995-10-05"


def test_a_meeting_brought_in_by_a_takes_up_no_planned_round(nlp):
    # un-s-1995-1024-ocr: the continuous round planned for 18 September, then the envoys'
    # "series of meetings at Dushanbe" of 5 October, a meeting of its own
    events = events_of(
        nlp,
        [
            "In August 1995 the two sides agreed to hold the talks in a continuous round, "
            "beginning on 18 September.",
            "On 5 October, the envoys had a series of meetings at Dushanbe with the President.",
        ],
    )
    meetings = sorted((e.status, e.date_start) for e in events if e.event_type == "meeting")
    assert meetings == [("held", "1995-10-05"), ("planned", "1995-09-18")], meetings


def test_talks_still_awaited_leave_a_planned_round_to_the_talks_that_start_it(nlp):
    # wikipedia-farc: the first round planned in Oslo for 5 October, "pending the talks in
    # Oslo", then the talks formally started there on 18 October: one row
    events = events_of(
        nlp,
        [
            "In August 2012 the two sides signed a preliminary agreement in Havana. The first "
            "round of the talks will take place in Oslo on 5 October. However, Santos ruled out "
            "a ceasefire pending the talks in Oslo.",
            "Peace talks were formally started on 18 October in a hotel north of the Norwegian "
            "capital Oslo.",
        ],
    )
    meetings = [(e.status, e.date_start, e.location) for e in events if e.event_type == "meeting"]
    assert meetings == [("held", "2012-10-18", "Oslo")], meetings


def test_several_rounds_of_discussions_are_a_meeting_dated_by_their_clause(nlp):
    # wikipedia-farc: a third party's "several rounds of discussions with FARC members"
    text = "On 28 June 2015, the envoy had several rounds of discussions with the rebels in Havana."
    dates = [e.date_start for e in events_of(nlp, [text]) if e.event_type == "meeting"]
    assert dates == ["2015-06-28"], dates


def test_a_leaders_visit_to_a_place_is_a_meeting_there(nlp):
    # camp-david: "Begin's visit to the White House in early March" (the White House is in
    # Washington, the city a location names); a visit with no visitor named is none
    text = (
        "In March 1979, after Begin's visit to the White House failed to break the stalemate, "
        "Carter traveled to Israel."
    )
    places = {e.location for e in events_of(nlp, [text]) if e.event_type == "meeting"}
    assert "Washington" in places, places
    none = "In May 1979 a visit to the refugee camps in Lebanon was cancelled."
    assert not [e for e in events_of(nlp, [none]) if e.event_type == "meeting"]


def test_an_undated_agreement_on_the_same_body_in_the_same_section_is_the_same_one(nlp):
    # wikipedia-farc: the National Front pact told twice, its second sentence undated
    text = (
        "In 1957–1958, the political leadership of the Liberal Party and the Conservative Party "
        "agreed to establish a bipartisan political system known as the National Front. The "
        "Liberal and the Conservative parties agreed to alternate in the exercise of government "
        "power by presenting a joint National Front candidate to each election."
    )
    deals = [e.title for e in events_of(nlp, [text]) if e.event_type == "agreement"]
    assert len(deals) == 1, deals


def test_a_held_meeting_named_after_a_place_is_there(nlp):
    # madrid-conference: "the Madrid Peace Conference" (the model tags the name as an ORG)
    text = (
        "Eight months of shuttle diplomacy by James Baker culminated in the Madrid Peace "
        "Conference in October 1991."
    )
    places = [e.location for e in events_of(nlp, [text]) if e.event_type == "meeting"]
    assert "Madrid" in places, places


def test_a_plan_told_later_dates_a_held_meeting_the_narrative_only_placed_in_time(nlp):
    # madrid-conference: "continued to meet for bilateral talks in Washington", then
    # "Bilateral talks ... would begin in Washington in December 1991"
    events = events_of(
        nlp,
        [
            "The Madrid Conference opened on October 30, 1991. Following Madrid, the delegations "
            "continued to meet for bilateral talks in Washington.",
            "Bilateral talks between Israeli officials and their Arab counterparts would begin "
            "in Washington in December 1991.",
        ],
    )
    washington = [e for e in events if e.event_type == "meeting" and e.location == "Washington"]
    assert [(e.status, e.date_start) for e in washington] == [("held", "1991-12")], washington


def test_newly_convened_talks_are_the_talks_held(nlp):
    # un-s-1995-1024-ocr: "seize the opportunity of the newly convened talks at Ashkhabad"
    events = events_of(
        nlp,
        [
            "The continuous round of inter-Tajik talks began at Ashkhabad on 30 November 1995.",
            "I call upon the Tajik parties to seize the opportunity of the newly convened talks "
            "at Ashkhabad.",
        ],
    )
    meetings = [(e.status, e.date_start) for e in events if e.event_type == "meeting"]
    assert meetings == [("held", "1995-11-30")], meetings


def test_a_date_after_a_name_read_as_the_verb_dates_the_act_before_it(nlp):
    # camp-david: the model makes "Begin" the sentence's root and hangs the date on it
    text = (
        "The Camp David Accords, signed by President Jimmy Carter, Egyptian President Anwar "
        "Sadat, and Israeli Prime Minister Menachem Begin in September 1978, established a "
        "framework for a historic peace treaty concluded between Israel and Egypt in March 1979."
    )
    deals = [(e.title, e.status, e.date_start) for e in events_of(nlp, [text])]
    assert deals == [("Camp David Accords", "signed", "1978-09")]


CONTINUOUS_ROUND = [  # un-s-1995-1024-ocr, paragraphs 2, 4, 7, 8 and 9 (OCR errors mended)
    "The two sides also agreed to modify the format of inter-Tajik negotiations and to hold "
    "them in a continuous round, beginning on 18 September 1995. The Government insisted that "
    "the talks be held at Ashkhabad, while the opposition wanted Tehran, Vienna or Almaty.",
    "On 5 October 1995, the Assistant Secretary-General had a series of meetings at Dushanbe "
    "with President Rakhmonov.",
    "A statement noted that the delegation of the United Tajik Opposition agreed in principle "
    "to Ashkhabad as the venue of the continuous round of inter-Tajik dialogue and that "
    "consultations would continue on the date for the negotiations to start.",
    "The Security Council welcomed the planned convening of the continuous round of "
    "inter-Tajik talks at Ashkhabad and called upon the Tajik parties to begin them as a "
    "matter of urgency.",
    "While there continue to be uncertainties about the venue of the talks following their "
    "opening at Ashkhabad, the parties nevertheless agreed to begin them on 30 November 1995.",
]


def test_a_round_put_off_and_then_opened_is_one_held_row_of_its_opening_day(nlp):
    # a plan told again by its words ("the continuous round of ...") after the narrative
    # has passed its date is still that plan; the day it opens replaces the planned day
    mentions, events = pipeline_of(nlp, CONTINUOUS_ROUND)
    meetings = [e for e in events if e.event_type == "meeting" and "Dushanbe" not in e.title]
    assert [(m.status, m.date_start, m.date_end) for m in meetings] == [("held", "1995-11-30", "")]
    told = {m.text for m in mentions if m.event_id == meetings[0].event_id}
    assert {"a continuous round", "the negotiations", "the talks"} <= told


def test_a_date_on_an_opening_verb_gives_no_end(nlp):
    # oslo-accords: the month the negotiations began is not their whole length
    text = (
        "U.S. officials were briefed on secret negotiations that the Israelis and Palestinians "
        "had begun in Oslo in December 1992, but made little effort to get involved in them."
    )
    meetings = [(e.date_start, e.date_end) for e in events_of(nlp, [text])]
    assert meetings == [("1992-12", "")]


def test_documents_coordinated_under_one_article_are_two_with_its_date(nlp):
    # un-s-1997-198, paragraph 19
    text = (
        "The documents agreed at Mashhad add to the growing list of substantive agreements "
        "reached in the last two and a half months, that is, the Khusdeh protocol of 11 "
        "December 1996 on the settlement of the military and political situation in the areas "
        "of confrontation; the Moscow agreement and protocol of 23 December 1996 concerning the "
        "establishment of a Commission on National Reconciliation; and the Tehran protocol of 13 "
        "February 1997 on refugees."
    )
    deals = {(e.title, e.date_start) for e in events_of(nlp, [text])}
    assert {("Moscow agreement", "1996-12-23"), ("Moscow protocol", "1996-12-23")} <= deals


def test_a_plan_told_in_an_annex_is_the_meeting_held_later_at_its_place(nlp):
    # un-s-1997-56: the leaders' statement of 11 December plans a meeting in Moscow on 19
    # December; the report tells the summit held there from 21 December
    paragraphs = [
        "The summit meeting between President Rakhmonov and Mr. Nuri began in Moscow on 21 "
        "December 1996 and ended on 23 December.",
        "We, having met on 10 and 11 December 1996 in northern Afghanistan, have agreed to meet "
        "on 19 December 1996 in Moscow.",
    ]
    moscow = [e for e in events_of(nlp, paragraphs) if e.event_type == "meeting"]
    moscow = [(e.status, e.date_start) for e in moscow if e.location == "Moscow"]
    assert moscow == [("held", "1996-12-21")]


def test_a_plan_taken_up_by_a_meeting_of_another_kind_leaves_the_next_plan_its_own(nlp):
    # un-s-1997-56: the draft "to be signed at the formal meeting in Moscow" is the leaders'
    # summit held there; the later plan "to meet again on 26 February in either Moscow or
    # Tehran" is a new plan, not the old one told again
    events = events_of(
        nlp,
        [
            "On 10 and 11 December 1996, President Rakhmonov and Mr. Nuri met in Khusdeh. They "
            "also initialled the text of a draft agreement to be signed at the formal meeting "
            "in Moscow.",
            "The summit meeting between President Rakhmonov and Mr. Nuri began in Moscow on 21 "
            "December. On 23 December, the two leaders signed two documents.",
            "At the closing ceremony on 19 January 1997, the two delegations issued a joint "
            "statement, agreeing to meet again on 26 February in either Moscow or Tehran.",
        ],
    )
    meetings = sorted(
        (e.status, e.date_start, e.location, len(e.mention_ids.split(";")))
        for e in events
        if e.event_type == "meeting"
    )
    assert meetings == [
        ("held", "1996-12-10", "Khusdeh", 1),
        ("held", "1996-12-21", "Moscow", 2),  # the formal meeting, the summit meeting
        ("planned", "1997-02-26", "Moscow", 1),
    ], meetings


def test_a_conference_planned_and_then_named_at_its_place_is_one_row(nlp):
    # madrid-conference: "the Madrid Peace Conference in October 1991", the conference the
    # parties were to "participate in" and "The Madrid Conference opened October 30, 1991"
    # are one meeting, titled by its name; the region of "an international Middle East
    # peace conference" is its subject, not its venue
    events = events_of(
        nlp,
        [
            "Bush’s declaration was followed by eight months of intensive shuttle diplomacy by "
            "Secretary of State James Baker, culminating in the Madrid Peace Conference in "
            "October 1991.",
            "The United States began trying to convene an international Middle East peace "
            "conference during the final year of Ronald Reagan’s Presidency.",
            "Between March and October 1991, Baker succeeded in getting Arab leaders and "
            "Palestinian representatives from the occupied territories to drop their demands "
            "that PLO officials and Palestinians from East Jerusalem participate in an "
            "international peace conference.",
            "The Madrid Conference opened October 30, 1991, and ended on November 4.",
        ],
    )
    meetings = [(e.status, e.location, e.title) for e in events if e.event_type == "meeting"]
    assert meetings == [("held", "Madrid", "Madrid Peace Conference")], meetings


def test_a_round_told_after_prior_to_is_no_round_before_the_clauses_date(nlp):
    # un-s-1997-198: "Prior to the Moscow round of talks, ... met on 20 and 21 February"
    # names the round still to come, not the January round told before
    events = events_of(
        nlp,
        [
            "Following the round of inter-Tajik talks in January 1997, my Special "
            "Representative continued his contacts with both sides.",
            "Prior to the Moscow round of talks, President Rakhmonov and Mr. Nuri met on 20 "
            "and 21 February in Mashhad (Islamic Republic of Iran).",
            "On 26 February, my Special Representative opened the Moscow round of inter-Tajik "
            "talks in the presence of representatives from the observer countries.",
        ],
    )
    rounds = [(e.date_start, e.location) for e in events if e.subtype == "round"]
    assert rounds == [("1997-01", ""), ("1997-02-26", "Moscow")], rounds


def test_a_round_named_as_what_issues_came_from_is_the_round_held_before(nlp):
    # un-s-1997-198: the leaders met "to deal with outstanding issues from the Tehran round":
    # the Tehran round took place (the January round), neither planned nor at Mashhad
    events = events_of(
        nlp,
        [
            "Following the round of inter-Tajik talks in January 1997, my Special "
            "Representative continued his contacts with both sides.",
            "President Rakhmonov and Mr. Nuri met on 20 and 21 February in Mashhad (Islamic "
            "Republic of Iran) to deal with outstanding issues from the Tehran round.",
        ],
    )
    meetings = [(e.status, e.subtype, e.date_start, e.location) for e in events]
    assert meetings[0] == ("held", "round", "1997-01", "Tehran"), meetings
    assert [m[:3] for m in meetings[1:]] == [("held", "summit", "1997-02-20")], meetings


@pytest.mark.parametrize(
    "text",
    [
        # un-s-1997-198: the phrase after "reached" already is the agreement
        "On 20 February 1997, they reached agreement on the Charter of the Commission on "
        "National Reconciliation and on an additional protocol.",
        # un-s-1997-56: the title stops before the place, not on its preposition
        "On 23 December 1996, the parties further agreed that the next round of inter-Tajik "
        "talks would begin in Tehran on 5 January 1997.",
    ],
)
def test_an_agreement_title_repeats_no_head_and_ends_on_no_function_word(nlp, text):
    titles = [e.title for e in events_of(nlp, [text]) if e.event_type == "agreement"]
    assert titles, text
    for title in titles:
        assert not title.lower().startswith("agreement agreement"), title
        assert title.split()[-1].lower() not in ("to", "with", "on", "of", "and", "the"), title
