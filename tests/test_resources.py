"""The one loader of resource files (read-only records and lexicons) and the one period
helper that events, slots and scoring share."""

from datetime import date

import pytest

from pipeline.events.slots import When, overlaps
from pipeline.nlp.periods import interval
from pipeline.rules import load_jsonl, load_lexicon


def test_resource_records_are_read_only():
    record = load_jsonl("event_lexicon.jsonl")[0]
    with pytest.raises(TypeError):
        record["id"] = "changed"


def test_a_lexicon_is_read_only_with_ordinal_positions_and_ranges_as_tuples():
    events = load_lexicon("event_lexicon.jsonl")
    assert events["ordinal"]["fourth"] == 4  # "value": "position"
    assert load_lexicon("timex_lexicon.jsonl")["season"]["spring"] == (3, 5)
    with pytest.raises(TypeError):
        events["ordinal"]["fourth"] = 5


def test_one_interval_covers_a_month_or_year_and_an_open_end():
    assert interval("1994-05", "") == (date(1994, 5, 1), date(1994, 5, 31))
    assert interval("", "1994") == (date(1994, 1, 1), date(1994, 12, 31))
    assert interval("1996-12-10", "1996-12-11") == (date(1996, 12, 10), date(1996, 12, 11))
    assert interval("", "") is None


def test_date_slots_overlap_by_the_same_periods():
    day = When("1994-05-10", "", "", "10 May 1994")
    assert overlaps(day, When("1994-05", "", "", "May 1994"))
    assert not overlaps(day, When("1994-06", "", "", "June 1994"))
    assert not overlaps(day, When("", "", "", ""))
