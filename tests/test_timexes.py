"""Time expressions: finding, normalising and anchoring (guidelines §3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from spacy.matcher import Matcher

from pipeline.nlp.dates import Ref, grammar
from pipeline.nlp.timexes import _expand, extract_timexes, resolve
from pipeline.rules import load_jsonl

ROOT = Path(__file__).resolve().parents[1]
OSLO = ROOT.parent / "shared" / "corpus" / "oslo-accords.txt"
CITATION = re.compile(r"\([A-Z][A-Za-z ]+ (\d{4})[a-z]?(: [\d-]+)?|[A-Z]+ (\d{4})[a-z]")


@pytest.fixture(scope="module")
def article_rows(nlp, article):
    """The cleaned article and its time expressions."""
    return article.text, extract_timexes(nlp(article.text), "tajik")


def the(rows, text):
    """The first row whose text is `text`."""
    found = [row for row in rows if row.text == text]
    assert found, f"{text!r} not found among {[row.text for row in rows]}"
    return found[0]


def check(row, expected):
    """Assert type, value_start, value_end and mod, given as "TYPE start end mod" ("-": empty)."""
    wanted = tuple("" if part == "-" else part for part in expected.split())
    assert (row.type, row.value_start, row.value_end, row.mod) == wanted


SENTENCES = [
    (
        "The Tajik government and the opposition entered into formal negotiations in Moscow on 5 "
        "April 1994.",
        "5 April 1994",
        "DATE 1994-04-05 1994-04-05 -",
    ),
    (
        "In early 1994, Ramiro Piriz-Ballon, a newly appointed UN special envoy, confirmed the "
        "basic willingness of both Tajik sides to start negotiations under UN auspices without any"
        " preconditions (UNSG 1994a).",
        "early 1994",
        "DATE 1994 1994 START",
    ),
    (
        "However, by the mid-1980s, as the Soviet regime underwent reform and its control over "
        "Tajikistan’s state apparatus weakened, power struggles among the country’s different "
        "regions intensified.",
        "the mid-1980s",
        "DATE 1980 1989 MID",
    ),
    (
        "By the end of the 1980s onwards, the ruling elite from Leninabad in the north, who had "
        "been the most privileged politically and economically, were increasingly challenged.",
        "the end of the 1980s",
        "DATE 1980 1989 END",
    ),
    (
        "The anarchical situation eventually led to a full-scale civil war in mid-1992 (Lynch "
        "2001: 49-55; Rubin 1993).",
        "mid-1992",
        "DATE 1992 1992 MID",
    ),
    (
        "During the spring and summer of 1996, military conflict continued to escalate, despite "
        "extensions of the ceasefire agreement.",
        "the spring and summer of 1996",
        "DATE 1996-03 1996-08 -",
    ),
    (
        "Although the parties extended the ceasefire again, this time until the end of 1996, and "
        "the UN stepped up its efforts at monitoring its implementation in central Tajikistan, the"
        " intensity of hostilities between the sides never diminished (UNSG 1996b).",
        "the end of 1996",
        "DATE 1996 1996 END",
    ),
    (
        "It then took approximately one year for the Tajik parties to come to the negotiating "
        "table under the auspices of the United Nations (UN).",
        "approximately one year",
        "DURATION - - APPROX",
    ),
    (
        "More specifically, the opposition called for the creation of a Council of National Accord"
        " with supreme legislative and executive powers for the transitional period of up to two "
        "years.",
        "up to two years",
        "DURATION - - -",
    ),
    (
        "The agreement stipulated a timetable for the peace process (calling for conclusion of a "
        "final agreement by 1 July 1997 and its implementation within the transition period of 12 "
        "to 18 months).",
        "12 to 18 months",
        "DURATION - - -",
    ),
    (
        "These outside actors jointly legitimized and endorsed the outcome of inter-Tajik "
        "negotiations that had necessitated about three years.",
        "about three years",
        "DURATION - - APPROX",
    ),
    (
        "In the midst of this crisis, the second phase of the continuous round took place in "
        "Ashgabat from 26 January to 18 February 1996.",
        "from 26 January to 18 February 1996",
        "RANGE 1996-01-26 1996-02-18 -",
    ),
    (
        "On September 13, 1993, Israeli Prime Minister Yitzhak Rabin and Palestine Liberation "
        "Organization (PLO) Negotiator Mahmoud Abbas signed a Declaration of Principles.",
        "September 13, 1993",
        "DATE 1993-09-13 1993-09-13 -",
    ),
    (
        "The Clinton Administration and the Arab-Israeli Peace Process, 1993–1996",
        "1993–1996",
        "RANGE 1993 1996 -",
    ),
    (
        "Thus, by the end of 2000, the prospect of ending the Arab-Israeli conflict looked more "
        "distant than it had eight years earlier.",
        "eight years earlier",
        "DATE 1992 1992 -",
    ),
    (
        "More broadly, the negotiations of the 1990s helped Israel, the Palestinians, and Syria "
        "break with numerous diplomatic taboos.",
        "the 1990s",
        "DATE 1990 1999 -",
    ),
    (
        "Barak predicted that he could reach agreements with both Syria and the Palestinians in 12"
        " to 15 months.",
        "12 to 15 months",
        "DURATION - - -",
    ),
]


@pytest.mark.parametrize(("sentence", "text", "expected"), SENTENCES)
def test_sentence(nlp, sentence, text, expected):
    check(the(extract_timexes(nlp(sentence), "t"), text), expected)


# Passages of consecutive or nearby real sentences: the year comes from the narrative.
MOSCOW_1994 = (
    "The Tajik government and the opposition entered into formal negotiations in Moscow on "
    "5 April 1994. The UN sponsored the successive negotiations, with Piriz- Ballon acting as "
    "the chief international mediator. "
)
TEHRAN_1994 = (
    "Amid deepening tensions that were a result of the publication of a new draft constitution "
    "by the government, the Tajik parties met in Tehran on 18 June for the second round of "
    "negotiations. Following these inconclusive talks, the government moved to further "
    "consolidate the regime. At the nineteenth session in mid-July, the Tajik Supreme Soviet "
    "approved the draft constitution, announced the holding of a referendum on it in September, "
    "and decided to conduct a presidential election simultaneously. "
)
AUTUMN_1994 = (
    "The softening of the government’s position led the Tajik parties back to the negotiating "
    "table at a consultative meeting convened in Tehran on 12–17 September. On the last day of "
    "the meeting, the parties agreed that the ceasefire was to take effect upon the deployment "
    "of UN military observers. At the third round, held from 20 October to 1 November in "
    "Islamabad, the sides managed to extend the ceasefire agreement until February 1995. In the "
    "allegedly rigged presidential election on 6 November, Rakhmonov defeated his sole "
    "competitor, Abdumalik Abdullajanov. A new constitution was also adopted as a result of the "
    "referendum held on the same day. "
)
ASHGABAT_1995 = (
    "In February 1995, the Dushanbe government proceeded to conduct parliamentary elections. "
    "When the parties convened in the capital of Turkmenistan at the end of November, and tried "
    "to edge toward substantive negotiations on a new political dispensation, the military "
    "confrontation sharply escalated. The government now proposed to set up a consultative "
    "forum of the peoples of Tajikistan in consonance with the summit-level agreement in Tehran "
    "in July. Thus, the first phase of the Ashgabat round came to naught, ending on 22 December "
    "with fresh demands from the opposition raising the hackles of the government. Turajonzoda "
    "threatened not to return to the negotiating table for the second phase, demanding that CIS "
    "leaders clearly define their position on Tajikistan at their upcoming summit in "
    "mid-January. "
)
YEAR_1996 = (
    "Russia allowed the Tajik conflict to be placed high on the agenda at the CIS summit "
    "meeting, held in Moscow on 19 January 1996. In the circumstances, the parties needed to "
    "devote much attention to finding ways to restore an effective ceasefire in the third phase "
    "of the Ashgabat talks in July. Following the Leninabad demonstrations in May, "
    "Abdullajanov, a contestant in the November 1994 presidential election, and two other "
    "former Leninabadi prime ministers moved to establish the National Revival Bloc. The "
    "Taliban’s capture of Kabul at the end of September gave a strong impetus to jump-start the "
    "stalled peace process. At their meeting on 10–11 December in Khusdeh, northern "
    "Afghanistan, the two leaders initialed the text of a draft agreement that their delegates "
    "had left unfinished in Tehran two months earlier. The agreement stipulated a timetable for "
    "the peace process (calling for conclusion of a final agreement by 1 July 1997). Thus, on "
    "23 December, Rakhmonov and Nuri managed to sign the two agreements. "
)
YEAR_1997 = (
    "The detail phase began on 6 January 1997, with the opening of the sixth round of "
    "inter-Tajik talks convened in Tehran. Between 20–21 February, Rakhmonov and Nuri again "
    "held direct talks in Mashhad, Iran. On 16–18 May in Kyrgyzstan, they succeeded in drawing "
    "up the Protocol on Political Issues. These top-level agreements allowed the eighth round of "
    "talks to resume several days later. On 27 June in Moscow, Rakhmonov and Nuri signed the "
    "General Agreement on the Establishment of Peace and National Accord in Tajikistan. "
)
YEAR_1993 = (
    "It was a shift in Russian policy toward Tajikistan in mid-1993 that provided a major "
    "impetus. In July, a serious crisis on the Tajik-Afghan border alarmed Russian "
    "policymakers. What proved to be a further step was the meeting between Yevgeny Primakov "
    "and Said Abdullo Nuri, held in Tehran in November. Mediation efforts aimed at bringing "
    "about negotiations gained momentum after the turn of the year. "
)
OSLO_1994 = (
    "By 1994, these talks stalled over Israel and Syria’s different definitions of “full "
    "withdrawal.” The Syrians insisted that the Israelis should withdraw to the line of “June 4, "
    "1967,” when they had controlled a pocket of land on the northeastern shore of the Sea of "
    "Galilee. The Israelis wanted to pull back to the 1923 international border. That July, "
    "Rabin indicated to Christopher that Israel would withdraw to the June 4 line if Syria met "
    "its other needs. "
)
OSLO_1999 = (
    "Infighting over the implementation of the Wye Memorandum, however, brought down "
    "Netanyahu’s government in January 1999. In Israel’s May 1999 elections, the Labor Party’s "
    "Ehud Barak decisively defeated Netanyahu. In September, Barak signed the Sharm al-Shaykh "
    "Memorandum with Arafat. At the prime minister’s insistence, Clinton convened a summit at "
    "Camp David in July 2000. On September 28, riots erupted following a visit of Likud Party "
    "leader Ariel Sharon to the Temple Mount. "
)

REPORT_1995 = (
    "The present report, dated 4 February 1995, covers the period since December. "
    "However, since the end of December there have been a number of reports of incursions. "
    "On four occasions in January, the team at Pyanj reported shelling."
)

PASSAGES = [
    (REPORT_1995, "the end of December", "DATE 1994-12 1994-12 END"),
    (REPORT_1995, "January", "DATE 1995-01 1995-01 -"),
    (MOSCOW_1994 + TEHRAN_1994, "18 June", "DATE 1994-06-18 1994-06-18 -"),
    (MOSCOW_1994 + TEHRAN_1994, "mid-July", "DATE 1994-07 1994-07 MID"),
    (MOSCOW_1994 + TEHRAN_1994, "September", "DATE 1994-09 1994-09 -"),
    (MOSCOW_1994 + AUTUMN_1994, "12–17 September", "RANGE 1994-09-12 1994-09-17 -"),
    (MOSCOW_1994 + AUTUMN_1994, "the last day", "DATE 1994-09-17 1994-09-17 -"),
    (MOSCOW_1994 + AUTUMN_1994, "from 20 October to 1 November", "RANGE 1994-10-20 1994-11-01 -"),
    (MOSCOW_1994 + AUTUMN_1994, "6 November", "DATE 1994-11-06 1994-11-06 -"),
    (MOSCOW_1994 + AUTUMN_1994, "the same day", "DATE 1994-11-06 1994-11-06 -"),
    (ASHGABAT_1995, "the end of November", "DATE 1995-11 1995-11 END"),
    (ASHGABAT_1995, "July", "DATE 1995-07 1995-07 -"),
    (ASHGABAT_1995, "22 December", "DATE 1995-12-22 1995-12-22 -"),
    (ASHGABAT_1995, "mid-January", "DATE 1996-01 1996-01 MID"),
    (YEAR_1996, "July", "DATE 1996-07 1996-07 -"),
    (YEAR_1996, "November 1994", "DATE 1994-11 1994-11 -"),
    (YEAR_1996, "the end of September", "DATE 1996-09 1996-09 END"),
    (YEAR_1996, "10–11 December", "RANGE 1996-12-10 1996-12-11 -"),
    (YEAR_1996, "two months earlier", "DATE 1996-10 1996-10 -"),
    (YEAR_1996, "23 December", "DATE 1996-12-23 1996-12-23 -"),
    (YEAR_1997, "Between 20–21 February", "RANGE 1997-02-20 1997-02-21 -"),
    (YEAR_1997, "16–18 May", "RANGE 1997-05-16 1997-05-18 -"),
    (YEAR_1997, "several days later", "DATE 1997-05 1997-05 APPROX"),
    (YEAR_1997, "27 June", "DATE 1997-06-27 1997-06-27 -"),
    (YEAR_1993, "July", "DATE 1993-07 1993-07 -"),
    (YEAR_1993, "November", "DATE 1993-11 1993-11 -"),
    (YEAR_1993, "the turn of the year", "DATE 1993-12 1994-01 -"),
    (OSLO_1994, "That July", "DATE 1994-07 1994-07 -"),
    (OSLO_1994, "June 4", "DATE 1967-06-04 1967-06-04 -"),
    (OSLO_1994, "1923", "DATE 1923 1923 -"),
    (OSLO_1999, "September", "DATE 1999-09 1999-09 -"),
    (OSLO_1999, "September 28", "DATE 2000-09-28 2000-09-28 -"),
]


@pytest.mark.parametrize(("passage", "text", "expected"), PASSAGES)
def test_anchored_passage(nlp, passage, text, expected):
    row = the(extract_timexes(nlp(passage), "t"), text)
    check(row, expected)
    explicit = re.search(r"\d{4}", text) is not None
    assert bool(row.anchor) != explicit, "only a date without its own year names an anchor"


NOT_TIME = [
    ("The possibility thus became necessary (Jonson 1998: 9). Russia went on.", "1998"),
    ("It postponed the election to November (UNSG 1994c, 1994d).", "1994"),
    ("They were in a “mutually hurting stalemate” (Zartman 1989).", "1989"),
    ("As Zartman (1989) argued, the parties were stuck.", "1989"),
    ("For instance, Olivier Roy (1998) has stressed that the cause was localism.", "1998"),
    ("It was dropped through good offices (UNSG 1995d, 1995e).", "1995"),
    ("The Tajik population lived outside (Akiner 2001: 13-15).", "13-15"),
    ("The Russian military, in the form of the 201st Motorized Rifle Division, served.", "201st"),
    ("At the nineteenth session, the Tajik Supreme Soviet approved the draft.", "nineteenth"),
    ("It began slowly and tentatively at the fourth round in Almaty.", "fourth"),
    ("The government and the opposition would be allocated 40 percent of the posts.", "40"),
    ("President Clinton at the signing ceremony. (William J. Clinton Presidential Library)", "("),
    ("The report is submitted pursuant to Security Council resolution 968 (1994) in full.", "1994"),
    ("The Council, by its resolution 1969 (2011), extended the mandate of the Mission.", "1969"),
]


@pytest.mark.parametrize(("sentence", "word"), NOT_TIME)
def test_never_time_expressions(nlp, sentence, word):
    rows = extract_timexes(nlp(sentence), "t")
    assert not [row.text for row in rows if word in row.text]


def test_no_citation_year_of_the_article_is_a_time_expression(article_rows):
    text, rows = article_rows
    years = [
        match.span(group)
        for match in CITATION.finditer(text)
        for group in (1, 3)
        if match.group(group)
    ]
    assert len(years) > 40
    for start, end in years:
        hits = [row.text for row in rows if row.char_start < end and start < row.char_end]
        assert not hits, f"citation year {text[start:end]!r} at {start} became {hits}"


def test_rows_quote_the_text_in_order(article_rows):
    text, rows = article_rows
    assert len(rows) > 70
    for number, row in enumerate(rows, 1):
        assert text[row.char_start : row.char_end] == row.text
        assert row.timex_id == f"T{number:04d}" and row.doc_id == "tajik"
    assert [row.char_start for row in rows] == sorted(row.char_start for row in rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18 June", "DATE 1994-06-18 1994-06-18 -"),
        ("mid-December", "DATE 1994-12 1994-12 MID"),
        ("the summer", "DATE 1995-06 1995-08 -"),
        ("mid-January", "DATE 1996-01 1996-01 MID"),
        ("The turn of the year", "DATE 1995-12 1996-01 -"),
        ("the end of September", "DATE 1996-09 1996-09 END"),
        ("19 December", "DATE 1996-12-19 1996-12-19 -"),
        ("27 June", "DATE 1997-06-27 1997-06-27 -"),
    ],
)
def test_whole_article_anchoring(article_rows, text, expected):
    check(the(article_rows[1], text), expected)


def test_whole_oslo_essay(nlp):
    if not OSLO.exists():
        pytest.skip(f"{OSLO} is absent (the shared corpus is not beside this checkout)")
    text = OSLO.read_text(encoding="utf-8")
    rows = extract_timexes(nlp(text), "oslo")
    assert the(rows, "That July").value_start == "1994-07"
    assert the(rows, "September 28").value_start == "2000-09-28"
    assert not [row for row in rows if "Library" in row.text]
    assert all(text[row.char_start : row.char_end] == row.text for row in rows)


@pytest.mark.parametrize(
    ("surface", "ref", "expected"),
    [
        ("mid-January", Ref("1995-12-22", "1995-12-22"), "DATE 1996-01 1996-01 MID"),
        ("in July", Ref("1996-01", "1996-01"), None),
        ("July", Ref("1996-01", "1996-01"), "DATE 1996-07 1996-07 -"),
        ("22 May to 1 June", Ref("1995", "1995"), "RANGE 1995-05-22 1995-06-01 -"),
        ("20 December to 5 January", Ref("1995", "1995"), "RANGE 1995-12-20 1996-01-05 -"),
        ("1994–97", Ref(), "RANGE 1994 1997 -"),
        ("Sept. 13, 1993", Ref(), "DATE 1993-09-13 1993-09-13 -"),
        ("31 February 1994", Ref(), None),
        ("the following year", Ref("1996-12-23", "1996-12-23"), "DATE 1997 1997 -"),
        ("another three months", Ref(), None),
        ("spring", Ref("1996", "1996"), None),
    ],
)
def test_resolve(surface, ref, expected):
    value = resolve(surface, ref)
    got = (
        None
        if value is None
        else " ".join(p or "-" for p in (value.type, value.start, value.end, value.mod))
    )
    assert got == expected


@pytest.mark.parametrize("row", load_jsonl("timex_grammar.jsonl"), ids=lambda row: row["id"])
def test_grammar_rule_matches_its_example(row):
    assert grammar()[row["id"]].fullmatch(row["example"])


@pytest.mark.parametrize("row", load_jsonl("timex_patterns.jsonl"), ids=lambda row: row["id"])
def test_pattern_matches_its_example(nlp, row):
    matcher = Matcher(nlp.vocab)
    matcher.add(row["id"], [[_expand(token) for token in row["pattern"]]])
    doc = nlp(row["example"])
    assert matcher(doc), f"{row['id']} does not match its example"
    assert extract_timexes(doc, "t")


LEXICON = load_jsonl("timex_lexicon.jsonl")


@pytest.mark.parametrize(
    "row",
    [r for r in LEXICON if r["value"] not in ("citation", "provision", "end")],
    ids=lambda row: row["id"],
)
def test_lexicon_entry_is_used_in_its_example(nlp, row):
    rows = extract_timexes(nlp(row["example"]), "t")
    forms = [re.compile(rf"(?<!\w){re.escape(form)}(?!\w)", re.I) for form in row["forms"]]
    assert any(form.search(timex.text) for timex in rows for form in forms), (
        f"{row['id']}: no expression with {row['forms']} in {[t.text for t in rows]}"
    )


@pytest.mark.parametrize(
    "row", [r for r in LEXICON if r["value"] == "citation"], ids=lambda row: row["id"]
)
def test_cited_document_dates_are_citations(nlp, row):
    """The date of a cited document is a time expression that never moves the narrative."""
    rows = extract_timexes(nlp(row["example"]), "t")
    assert [t.role for t in rows] == ["citation"], [(t.text, t.role) for t in rows]


def test_a_joint_statement_is_not_a_citation(nlp):
    rows = extract_timexes(nlp("The joint statement of 19 January 1997 was issued."), "t")
    assert [t.role for t in rows] == ["attribute"]


def test_two_days_joined_by_and_are_one_date(nlp):
    text = "President Rakhmonov and Mr. Nuri met on 20 and 21 February 1997."
    rows = extract_timexes(nlp(text), "t")
    assert [(t.text, t.type, t.value_start, t.value_end) for t in rows] == [
        ("20 and 21 February 1997", "DATE", "1997-02-20", "1997-02-21")
    ]


def test_a_date_before_the_noun_it_names_moves_no_narrative(nlp):
    # camp-david: the 1967 borders are no move of the 1978 narrative ("By July 30" after it)
    text = (
        "During the spring and early summer of 1978, the United States attempted to find "
        "common ground. Egypt insisted on an Israeli withdrawal to June 4, 1967 borders in "
        "exchange for security arrangements. By July 30, Carter decided to call for a summit."
    )
    rows = {t.text: t for t in extract_timexes(nlp(text), "t")}
    assert rows["June 4, 1967"].role == "modifier"
    assert rows["July 30"].value_start == "1978-07-30"


# the role each verb class gives the last date of its example ("lasted until X" ends it)
ROLE_OF_CLASS = {
    "provision_verb": "provision",
    "agreeing_verb": "provision",
    "lasting_verb": "narrative",
}


@pytest.mark.parametrize(
    "row", [r for r in LEXICON if r["class"] in ROLE_OF_CLASS], ids=lambda row: row["id"]
)
def test_verb_class_example_gives_its_last_date_its_role(nlp, row):
    rows = extract_timexes(nlp(row["example"]), "t")
    wanted = ROLE_OF_CLASS[row["class"]]
    assert rows and rows[-1].role == wanted, [(t.text, t.role) for t in rows]


# (what the case shows, a text, one of its dates, that date's role)
DATE_ROLES = [
    (
        # un-s-1997-56: the ceasefire agreement signed on 10-11 December takes effect on the 12th
        "a date in what a document provides for moves no narrative",
        "Two documents were signed at Khusdeh on 11 December 1996. The latter provides for "
        "the cessation of armed hostilities as of midnight on 12 December.",
        "12 December",
        "provision",
    ),
    (
        # un-s-1995-1024-ocr: the continuous round agreed on in August was to begin on 18 September
        "a date in what the sides agreed to do moves no narrative",
        "On 17 August 1995 the two sides also agreed to modify the format of the negotiations "
        "and to hold them in a continuous round, beginning on 18 September.",
        "18 September",
        "provision",
    ),
]


@pytest.mark.parametrize(
    "text, surface, role", [c[1:] for c in DATE_ROLES], ids=[c[0] for c in DATE_ROLES]
)
def test_role_of_a_date_in_a_text(nlp, text, surface, role):
    rows = {t.text: t.role for t in extract_timexes(nlp(text), "t")}
    assert rows[surface] == role


def test_a_date_of_what_was_agreed_gives_the_year_when_nothing_else_has(nlp):
    # an undated text: the year of the planned round dates the round that followed
    text = (
        "The parties agreed that the next round of talks would begin in Tehran on 5 January "
        "1997. The Tehran talks began on 6 January."
    )
    rows = {t.text: (t.role, t.value_start) for t in extract_timexes(nlp(text), "t")}
    assert rows["5 January 1997"] == ("provision", "1997-01-05")
    assert rows["6 January"] == ("narrative", "1997-01-06")


def test_until_after_a_verb_of_lasting_in_the_past_is_an_end_not_a_limit(nlp):
    lasted = "The Tehran talks began on 6 January 1997 and lasted until 19 January."
    limit = "I recommend that the mission be continued for another month, until 6 March 1995."
    assert [t.role for t in extract_timexes(nlp(lasted), "t")] == ["narrative", "narrative"]
    assert [t.role for t in extract_timexes(nlp(limit), "t")][-1] == "deadline"


# (what the case shows, the sentence, the roles of its dates)
SENTENCE_ROLES = [
    (
        "by after a result reached dates it",  # madrid-conference
        "King Hussein and the Israelis held direct talks which produced a peace treaty by "
        "October 1994.",
        ["narrative"],
    ),
    (
        "by before what is to come is a deadline",
        "The parties undertook to reach a peace agreement by the end of December 1996.",
        ["deadline"],
    ),
    (
        "a statement on a date is cited",  # un-s-1995-1024-ocr: it dates no round
        "The Security Council, in a statement by its President on 6 November 1995 "
        "(S/PRST/1995/54), welcomed the planned convening of the talks.",
        ["citation"],
    ),
    (
        "a verb of providing in the past tells the narrative",
        "The mission provided assistance on 12 December 1996.",
        ["narrative"],
    ),
    (
        "a relative clause tells a fact of its own",  # madrid-conference
        "King Hussein and the Israelis likewise decided to move forward, holding direct talks "
        "which produced a peace treaty by October 1994.",
        ["narrative"],
    ),
    (
        "a verb reporting on a date is the narrative's own act",  # un-s-1997-198
        "One of the captured journalists reported from the camp on 13 February 1997.",
        ["narrative"],
    ),
]


@pytest.mark.parametrize(
    "sentence, roles", [c[1:] for c in SENTENCE_ROLES], ids=[c[0] for c in SENTENCE_ROLES]
)
def test_roles_of_the_dates_of_a_sentence(nlp, sentence, roles):
    assert [t.role for t in extract_timexes(nlp(sentence), "t")] == roles
