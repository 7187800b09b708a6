"""What belongs to a bibliographic citation: its years and its authors (pure: spaCy spans in).

One place for both, because a citation's year and its author are one fact seen from the
time expressions ("(Jonson 1998)": 1998 dates no event) and from the entities ("Jonson"
is no participant).
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from pipeline.nlp.dates import lexicon

YEAR_TOKEN = re.compile(r"(?!\d{3}0s$)(?:1[5-9]|20)\d\d[a-z]?")  # not a decade ("1980s")
PAREN_WINDOW = 40  # tokens searched back for the "(" that opens a reference
CITATION_AFTER = re.compile(r"(?:\s+(?:and|&)\s+[A-Z][\w’'-]+)?(?:\s+et al\.)?\s*\(?\d{4}[a-z]?\b")
YEAR_AT_END = re.compile(r"\b\d{4}[a-z]?$")


def is_cited_author(ent: Span, text: str) -> bool:
    """Whether the entity is an author or source in a citation ("Jonson 1998");
    `text` is the doc's text (Doc.text is rebuilt on every access)."""
    following = text[ent.end_char : ent.end_char + 40]
    return bool(YEAR_AT_END.search(ent.text) or CITATION_AFTER.match(following))


def is_citation_year(span: Span) -> bool:
    """True when `span` holds the year of a bibliographic reference."""
    return any(YEAR_TOKEN.fullmatch(token.text) and _citation_year(token) for token in span)


def _citation_year(token: Token) -> bool:
    """True when `token`, a year, belongs to a citation.

    A citation year has a letter ("UNSG 1994c"), follows an author inside
    parentheses ("(Jonson 1998: 9)", "(UNSG 1993)"), stands alone in
    parentheses after an author ("Zartman (1989)") or after the number of a
    numbered document ("resolution 968 (1994)"), is itself such a number
    ("resolution 1969 (2011)"), or continues a list of citation years ("UNSG
    1995d, 1995e", "Iji 2001, 2005").
    """
    doc, i = token.doc, token.i
    if token.text[-1].isalpha():
        return True
    if i and doc[i - 1].lower_ in lexicon()["cited_document"]:
        return True  # the number of a numbered document: "resolution 1969 (2011)"
    if i < 2:
        return False
    before = doc[i - 1]
    if before.text in (",", ";") and YEAR_TOKEN.fullmatch(doc[i - 2].text):
        return _citation_year(doc[i - 2])
    named = _is_name(doc[i - 2]) or doc[i - 2].like_num
    if before.text == "(" and named and i + 1 < len(doc):
        return doc[i + 1].text in (")", ":")
    return _is_name(before) and _in_parentheses(token)


def _is_name(token: Token) -> bool:
    """True when `token` may be an author or body: capitalised, not a month or function word."""
    calendar_words = lexicon()["month"].keys() | lexicon()["season"].keys()
    return (
        token.is_alpha
        and token.text[0].isupper()
        and not token.is_stop
        and token.lower_ not in calendar_words
    )


def _in_parentheses(token: Token) -> bool:
    """True when an unclosed "(" opens shortly before `token`."""
    for i in range(token.i - 1, max(-1, token.i - PAREN_WINDOW), -1):
        if token.doc[i].text == ")":
            return False
        if token.doc[i].text == "(":
            return True
    return False
