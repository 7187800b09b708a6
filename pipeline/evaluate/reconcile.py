"""Score system events and time expressions against them (guidelines §4).

Pure functions: records in, pairs and score dicts out; no disk access.

Decisions where §4 leaves room:
- An event with no readable date (empty or malformed date_start and date_end) is
  never paired: the §4 rule asks for overlapping date intervals.
- date_mod is ignored when pairing: "the end of October 1994" covers October.
- "Scored" gold events are those that are not optional and whose status is
  held/signed/initialled/agreed. A system event paired with any other gold
  event (optional, planned, cancelled) is "unscored": neither TP nor FP.
- Planned and cancelled system events are always "unscored". They are paired
  only after the other system events, with the gold events left over, so they
  never take a gold event away from a system event that says it happened.
  A gold event paired only with such an event is still a false negative.
- Field accuracies compare the stripped strings exactly, as §4 says; only the
  pairing compares locations case-insensitively.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict

import numpy as np
from scipy.optimize import linear_sum_assignment

from pipeline.models import Event, GoldEvent, GoldTimex, Timex
from pipeline.nlp.periods import interval

HAPPENED = frozenset({"held", "signed", "initialled", "agreed"})
FIELDS = ("date_start", "date_end", "location", "subtype", "status")
MATCH_COLUMNS = ("gold_id", "match") + tuple(f"ok_{name}" for name in FIELDS)
# Weights of the tie-breaking preference: first a gold event that is scored (so an
# optional one never takes a match from it), then the §4 order: dates, locations,
# titles. They sum to less than 1 so that a preference never outweighs one more pair.
PREFERENCE_WEIGHTS = (0.5, 0.25, 0.15, 0.09)
KINDS = ("all", "meeting", "agreement")


# --- pairing -----------------------------------------------------------------


def can_pair(system: Event, gold: GoldEvent) -> bool:
    """Whether the §4 rule allows pairing: same doc and type, overlapping dates, and for
    meetings equal locations (case-insensitive) or one of them empty."""
    if (system.doc_id, system.event_type) != (gold.doc_id, gold.event_type):
        return False
    ours, theirs = (
        interval(system.date_start, system.date_end),
        interval(gold.date_start, gold.date_end),
    )
    if ours is None or theirs is None or ours[0] > theirs[1] or theirs[0] > ours[1]:
        return False
    here, there = _place(system.location), _place(gold.location)
    return system.event_type != "meeting" or not here or not there or here == there


def preference(system: Event, gold: GoldEvent) -> float:
    """Return how well a pairable pair fits, in [0, 1): a scored gold event, then near
    dates, the same place and similar titles.

    Optional gold events "neither earn nor cost" (guidelines §1): preferring the
    scored gold event keeps an optional one from costing a match.
    """
    ours, theirs = (
        interval(system.date_start, system.date_end),
        interval(gold.date_start, gold.date_end),
    )
    gap = abs((ours[0] - theirs[0]).days) + abs((ours[1] - theirs[1]).days)
    same_place = bool(_place(gold.location)) and _place(system.location) == _place(gold.location)
    scores = (
        float(counts(gold)),
        1.0 / (1.0 + gap),
        float(same_place),
        _word_jaccard(system.title, gold.title),
    )
    return sum(w * s for w, s in zip(PREFERENCE_WEIGHTS, scores))


def _place(location: str) -> str:
    """Return a location folded for comparison (case, spacing)."""
    return " ".join(location.casefold().split())


def _word_jaccard(a: str, b: str) -> float:
    """Return the Jaccard overlap of the lower-cased words of two titles (0 when both are empty)."""
    ours, theirs = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(ours & theirs) / len(ours | theirs) if ours | theirs else 0.0


def pair_events(system: Sequence[Event], gold: Sequence[GoldEvent]) -> list[tuple[int, int]]:
    """Pair system with gold events one-to-one by the §4 rule; return sorted (system, gold) indexes.

    As many pairs as possible, then the highest total `preference`. System
    events that say the event happened are paired first; planned and cancelled
    ones then take the gold events left over.
    """
    happened = [i for i, e in enumerate(system) if e.status in HAPPENED]
    others = [i for i, e in enumerate(system) if e.status not in HAPPENED]

    def fit(i: int, j: int) -> float | None:
        return preference(system[i], gold[j]) if can_pair(system[i], gold[j]) else None

    first = _assign_by_doc(happened, range(len(gold)), system, gold, fit)
    taken = {j for _, j in first}
    left = [j for j in range(len(gold)) if j not in taken]
    return sorted(first + _assign_by_doc(others, left, system, gold, fit))


def _assign_by_doc(
    rows: Sequence[int],
    cols: Sequence[int],
    system: Sequence[Event | Timex],
    gold: Sequence[GoldEvent | GoldTimex],
    fit: Callable[[int, int], float | None],
) -> list[tuple[int, int]]:
    """Run `assign` on each document's rows and cols separately (pairs never cross documents)."""
    by_doc: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in rows:
        by_doc[system[i].doc_id][0].append(i)
    for j in cols:
        by_doc[gold[j].doc_id][1].append(j)
    return [pair for doc in sorted(by_doc) for pair in assign(*by_doc[doc], fit)]


def assign(
    rows: Sequence[int], cols: Sequence[int], fit: Callable[[int, int], float | None]
) -> list[tuple[int, int]]:
    """Pair rows with cols one-to-one: as many pairs as possible, then the highest total fit.

    fit(i, j) is None for a pair that is not allowed, else a preference in [0, 1).
    Solved with scipy's linear_sum_assignment, not greedily.
    """
    if not rows or not cols:
        return []
    # A forbidden cell costs more than all preferences together can save, so one
    # more allowed pair always beats any choice among fewer pairs.
    forbidden = 2.0 * (min(len(rows), len(cols)) + 1)
    cost = np.full((len(rows), len(cols)), forbidden)
    for a, i in enumerate(rows):
        for b, j in enumerate(cols):
            value = fit(i, j)
            if value is not None:
                cost[a, b] = 1.0 - value
    picked = zip(*linear_sum_assignment(cost))
    return [(rows[a], cols[b]) for a, b in picked if cost[a, b] < forbidden]


# --- event scores --------------------------------------------------------------


def counts(gold: GoldEvent) -> bool:
    """Whether a gold event is scored: not optional, and it happened."""
    return not gold.optional and gold.status in HAPPENED


def match_labels(
    system: Sequence[Event], gold: Sequence[GoldEvent], pairs: Sequence[tuple[int, int]]
) -> list[str]:
    """Return per system event "matched", "spurious" or "unscored" (see the module docstring)."""
    partner = dict(pairs)
    labels = []
    for i, event in enumerate(system):
        j = partner.get(i)
        if event.status not in HAPPENED or (j is not None and not counts(gold[j])):
            labels.append("unscored")
        else:
            labels.append("spurious" if j is None else "matched")
    return labels


def missed(
    system: Sequence[Event], gold: Sequence[GoldEvent], pairs: Sequence[tuple[int, int]]
) -> list[int]:
    """Return the indexes of scored gold events that no happened system event is paired with."""
    found = {j for i, j in pairs if system[i].status in HAPPENED}
    return [j for j, event in enumerate(gold) if counts(event) and j not in found]


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Return tp, fp, fn with precision, recall and F1 (0.0 when a denominator is 0), 4 decimals."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    rounded = {"precision": precision, "recall": recall, "f1": f1}
    return {"tp": tp, "fp": fp, "fn": fn, **{k: round(v, 4) for k, v in rounded.items()}}


def score_events(
    system: Sequence[Event], gold: Sequence[GoldEvent], pairs: Sequence[tuple[int, int]]
) -> dict:
    """Return {"events": {all|meeting|agreement: prf}, "fields": field_scores of matched pairs}."""
    labels, lost = match_labels(system, gold, pairs), missed(system, gold, pairs)
    events = {}
    for kind in KINDS:
        mine = [label for e, label in zip(system, labels) if kind in ("all", e.event_type)]
        fn = sum(1 for j in lost if kind in ("all", gold[j].event_type))
        events[kind] = prf(mine.count("matched"), mine.count("spurious"), fn)
    matched = [(system[i], gold[j]) for i, j in pairs if labels[i] == "matched"]
    return {"events": events, "fields": field_scores(matched)}


def field_scores(matched: Sequence[tuple[Event, GoldEvent]]) -> dict:
    """Return the share of pairs with each field equal and the mean participants Jaccard.

    Values are None when there is no pair; "pairs" gives their number.
    """
    scores: dict[str, float | int | None] = {"pairs": len(matched)}
    for name in FIELDS:
        same = sum(_same(name, s, g) for s, g in matched)
        scores[name] = round(same / len(matched), 4) if matched else None
    overlap = sum(_names_jaccard(s.participants, g.participants) for s, g in matched)
    scores["participants_jaccard"] = round(overlap / len(matched), 4) if matched else None
    return scores


def _same(name: str, system: Event, gold: GoldEvent) -> bool:
    """Whether field `name` is exactly equal (surrounding spaces ignored)."""
    return getattr(system, name).strip() == getattr(gold, name).strip()


def _names_jaccard(a: str, b: str) -> float:
    """Return the Jaccard overlap of two ;-separated name lists (1.0 when both are empty)."""
    ours = {n.strip() for n in a.split(";") if n.strip()}
    theirs = {n.strip() for n in b.split(";") if n.strip()}
    return len(ours & theirs) / len(ours | theirs) if ours | theirs else 1.0


def match_columns(
    system: Sequence[Event], gold: Sequence[GoldEvent], pairs: Sequence[tuple[int, int]]
) -> list[dict[str, str | int]]:
    """Return per system event its MATCH_COLUMNS: gold_id, match, ok_<field> 1/0 ("" unpaired)."""
    partner, labels = dict(pairs), match_labels(system, gold, pairs)
    rows = []
    for i, event in enumerate(system):
        j = partner.get(i)
        row: dict[str, str | int] = {"gold_id": gold[j].gold_id if j is not None else ""}
        row["match"] = labels[i]
        for name in FIELDS:
            row[f"ok_{name}"] = "" if j is None else int(_same(name, event, gold[j]))
        rows.append(row)
    return rows


def missed_rows(
    system: Sequence[Event], gold: Sequence[GoldEvent], pairs: Sequence[tuple[int, int]]
) -> list[dict[str, str]]:
    """Return the false-negative gold events as rows keyed by the gold columns (optional as 0/1)."""
    rows = []
    for j in missed(system, gold, pairs):
        row = {k: str(v) for k, v in asdict(gold[j]).items()}
        rows.append({**row, "optional": str(int(gold[j].optional))})
    return rows


# --- time-expression scores ------------------------------------------------------


def score_timexes(system: Sequence[Timex], gold: Sequence[GoldTimex]) -> dict:
    """Return strict (same span) and relaxed (overlapping, one-to-one) prf and value_accuracy.

    value_accuracy: the share of relaxed matches with value_start and value_end
    both equal to the gold's (None when there is no relaxed match).
    """
    spans = Counter((t.doc_id, t.char_start, t.char_end) for t in system)
    strict = sum((spans & Counter((t.doc_id, t.char_start, t.char_end) for t in gold)).values())
    relaxed = _assign_by_doc(
        range(len(system)),
        range(len(gold)),
        system,
        gold,
        lambda i, j: _overlap(system[i], gold[j]),
    )
    right = sum(
        (system[i].value_start, system[i].value_end) == (gold[j].value_start, gold[j].value_end)
        for i, j in relaxed
    )
    n, m = len(system), len(gold)
    return {
        "strict": prf(strict, n - strict, m - strict),
        "relaxed": prf(len(relaxed), n - len(relaxed), m - len(relaxed)),
        "value_accuracy": round(right / len(relaxed), 4) if relaxed else None,
    }


def _overlap(system: Timex, gold: GoldTimex) -> float | None:
    """Return a preference for two overlapping spans (share of their union), None if disjoint."""
    common = min(system.char_end, gold.char_end) - max(system.char_start, gold.char_start)
    if common <= 0:
        return None
    union = max(system.char_end, gold.char_end) - min(system.char_start, gold.char_start)
    return 0.99 * common / union
