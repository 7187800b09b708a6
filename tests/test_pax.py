"""PA-X links: the register's format, and matching on hand-made events and agreements."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline import storage
from pipeline.cli import main
from pipeline.link import pax
from pipeline.models import Event, InputError, PaxAgreement
from pipeline.rules import load_jsonl

HEADER = "AgtId,Agt,Dat,PPName,Con,Loc1ISO,Loc2ISO,Part\n"
PROCESS = "Tajikistan peace process"


def agreement(pax_id, name, day, process=PROCESS, countries=("TJK",)):
    return PaxAgreement(pax_id, name, day, process, "Tajikistan", countries)


def event(title, start, end="", status="agreed", event_id="E1", event_type="agreement"):
    return Event(
        "doc", event_id, event_type, "protocol", status, title, start, end, "", "", "", "",
        "", "", "", "", "", 0, 1, 1, "",
    )  # fmt: skip


REGISTER = (
    agreement("514", "Protocol on Military Issues", "1997-03-08"),
    agreement(
        "429", "Joint Statement by the Delegations on the outcome of the Talks", "1997-03-08"
    ),
    agreement("549", "Statute of the Commission on National Reconciliation", "1997-02-21"),
    agreement("239", "Agreement between the President and the leader of the UTO", "1996-12-23"),
    agreement("516", "Protocol on Refugee Issues", "1997-01-13"),
    agreement("900", "Protocol on Military Issues", "1997-03-08", "Other process", ("COL",)),
)
TJK = frozenset({"TJK", "RUS"})


def link(title, start, end="", **kw):
    return pax.link_events([event(title, start, end, **kw)], TJK, REGISTER)[0]


def test_register_reads_a_bom_multiline_cells_and_day_month_year_dates(tmp_path):
    path = tmp_path / "pax.csv"
    body = (
        HEADER
        + '7,"Protocol on\nRefugee Issues",13/01/1997,P,Tajikistan,TJK,,"A. DOSTIEV\n\nA. T."\n'
    )
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    (record,) = pax.parse_register(storage.read_register(path), str(path))
    assert record == PaxAgreement("7", "Protocol on Refugee Issues", "1997-01-13", "P",
                                  "Tajikistan", ("TJK",))  # fmt: skip


def test_a_register_date_that_is_not_day_month_year_is_a_one_line_error(tmp_path, capsys):
    path = tmp_path / "pax.csv"
    path.write_text(HEADER + "7,Protocol,1997-01-13,P,T,TJK,,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 1: date '1997-01-13' is not DD/MM/YYYY"):
        pax.parse_register(storage.read_register(path), str(path))
    assert main(["run", "--register", str(path), "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.strip().startswith(f"error: {path}: row 1: date")


def test_a_name_in_another_word_order_links_exactly():
    found = link("Military Issues Protocol", "1997-02-26", "1997-03-08")
    assert (found.pax_id, found.match, found.days, found.by_name) == ("514", "exact", 0, True)


def test_a_date_one_day_off_is_close_with_its_difference():
    found = link("Protocol on Refugee Issues", "1997-01-12")
    assert (found.pax_id, found.match, found.days) == ("516", "close", 1)
    assert pax.link_cells(found)[3] == "close +1d"


def test_of_two_agreements_of_the_same_day_the_name_decides():
    assert link("Protocol on Military Issues", "1997-03-08").pax_id == "514"
    assert link("Joint Statement on the outcome of the Talks", "1997-03-08").pax_id == "429"


def test_a_whole_name_with_another_date_is_a_conflict_but_a_part_of_one_is_no_link():
    found = link("Protocol on Refugee Issues", "1996-12-14")
    assert (found.pax_id, found.match, pax.link_cells(found)[3]) == (
        "516",
        "conflict",
        "conflict +30d",
    )
    assert link("Protocol on Refugees", "1996-12-14") is None  # part of the name, month off
    assert link("Protocol on Refugees", "1997-01") is not None  # the month covers the day


def test_an_acronym_the_register_spells_out_matches():
    assert link("statute of the CNR", "1997-02-20", "1997-02-21").pax_id == "549"


def test_only_generic_words_in_common_is_no_link():
    assert link("Agreement", "1997-03-08") is None
    assert link("Protocol on Military Issues", "1997-03-08", event_type="meeting") is None


def test_a_signed_agreement_links_by_its_day_within_the_process_linked_by_name():
    events = [
        event("Protocol on Military Issues", "1997-03-08", event_id="E1"),
        event("Khusdeh agreement", "1996-12-23", "1996-12-23", status="signed", event_id="E2"),
        event("Khusdeh agreement", "1996-12-23", status="agreed", event_id="E3"),
        event("The two documents", "1997-03-08", status="signed", event_id="E4"),  # two that day
    ]
    links = pax.link_events(events, TJK, REGISTER)
    assert links[1] is not None and (links[1].pax_id, links[1].by_name) == ("239", False)
    assert links[2] is None and links[3] is None
    alone = pax.link_events(events[1:2], TJK, REGISTER)  # no process known by name
    assert alone == (None,)


def test_a_document_with_no_pax_process_has_no_links_and_lists_nothing():
    events = [
        event("Protocol on Military Issues", "1978-09-17"),
        event("Camp David Accords", "1978-09-17"),
    ]
    countries = frozenset({"EGY", "ISR", "USA"})
    links = pax.link_events(events, countries, REGISTER)
    assert links == (None, None)
    assert pax.unmentioned("doc", events, links, REGISTER) == []


def test_unmentioned_lists_the_process_agreements_of_the_period_that_no_event_links():
    events = [
        event("Protocol on Military Issues", "1997-03-08"),
        event("Round of talks", "1997-01-05", "1997-01-19", event_type="meeting"),
    ]
    links = pax.link_events(events, TJK, REGISTER)
    rows = pax.unmentioned("doc", events, links, REGISTER)
    assert [(r[1], r[3]) for r in rows] == [("516", "1997-01-13"), ("549", "1997-02-21"),
                                            ("429", "1997-03-08")]  # fmt: skip


def test_the_countries_of_a_document_come_from_its_events():
    events = [
        replace(event("x", "1997"), country="Russia"),
        replace(event("y", ""), country="Iran"),
    ]
    assert pax.document_countries(events, []) == frozenset({"RUS", "IRN"})


def test_every_matching_rule_example_holds():
    words = pax.matching_words()
    rules = {r["id"]: r for r in load_jsonl("pax_matching.jsonl")}
    stop = rules["stopwords"]["example"]
    assert pax.tokens(stop["name"], words) == stop["tokens"]
    generic = rules["generic"]["example"]
    assert (pax.similarity(generic["event"], generic["pax"], words)[0] > 0) == generic["linked"]
    conn = rules["connectors"]["example"]
    assert pax.acronyms(conn["name"], words)[conn["acronym"]] == conn["expansion"]
    limits = rules["limits"]["example"]
    full, part = pax.similarity(limits["event"], limits["pax"], words)
    assert (full >= words.full_name, part >= words.part_name) == (limits["full"], limits["part"])
