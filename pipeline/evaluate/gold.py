"""Read and check gold annotation rows (annotations/<doc_id>.events.csv, .timexes.csv).

Pure functions: rows in, typed gold records out; every problem of a file is
collected and reported at once as `file:line: problem`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import MappingProxyType

from pipeline.models import GoldEvent, GoldTimex, InputError, field_names
from pipeline.nlp.periods import date_bounds

SUBTYPES = MappingProxyType(
    {
        "meeting": frozenset({"round", "summit", "consultation", "mediation"}),
        "agreement": frozenset({"ceasefire", "protocol", "other"}),
    }
)
STATUSES = MappingProxyType(
    {
        "meeting": frozenset({"held", "planned", "cancelled"}),
        "agreement": frozenset({"signed", "initialled", "agreed"}),
    }
)
MODS = frozenset({"", "START", "MID", "END", "APPROX"})
TIMEX_TYPES = frozenset({"DATE", "RANGE", "DURATION"})
GOLD_EVENT_FIELDS = field_names(GoldEvent)
GOLD_TIMEX_FIELDS = field_names(GoldTimex)


class GoldError(InputError):
    """Gold rows that break the format; str() lists every problem as `file:line: problem`."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        super().__init__(source, f"{len(problems)} problem(s) in the gold annotations")
        self.problems = tuple(problems)

    def __str__(self) -> str:
        return "\n".join(self.problems)


# --- gold validation ---------------------------------------------------------


def parse_gold_events(
    rows: list[dict[str, str]], source: str, text: str | None = None
) -> tuple[GoldEvent, ...]:
    """Check the rows of an events gold file (line 1 is the header) and return them as records.

    `text` is accepted for symmetry with parse_gold_timexes and not used: event
    gold has no offsets, and evidence quotes follow the annotator's reading of
    the source, which may differ from the cleaned text. Raises GoldError
    listing every problem.
    """
    _check_rows(rows, source, GOLD_EVENT_FIELDS, _event_problems, _gold_id_key)
    return tuple(_gold_event(row) for row in rows)


def _gold_id_key(row: dict[str, str]) -> tuple[str, str] | None:
    """A row's gold_id as a uniqueness key and its description (None when empty)."""
    gold_id = row["gold_id"].strip()
    return (gold_id, f"gold_id {gold_id!r}") if gold_id else None


def _check_rows(
    rows: list[dict[str, str]],
    source: str,
    columns: Sequence[str],
    problems_of: Callable[[dict[str, str]], list[str]],
    key_of: Callable[[dict[str, str]], tuple[object, str] | None],
) -> None:
    """Raise one GoldError with every problem of a gold file: missing columns, then per
    row `problems_of(row)` and a duplicate of `key_of(row)`, as `file:line: problem`."""
    problems = _missing_columns(rows, columns, source)
    if problems:
        raise GoldError(source, problems)
    first_line: dict[object, int] = {}
    for line, row in enumerate(rows, start=2):
        found = problems_of(row)
        key = key_of(row)
        if key is not None and key[0] in first_line:
            found.append(f"duplicate {key[1]} (first on line {first_line[key[0]]})")
        if key is not None:
            first_line.setdefault(key[0], line)
        problems += [f"{source}:{line}: {p}" for p in found]
    if problems:
        raise GoldError(source, problems)


def _missing_columns(rows: list[dict[str, str]], columns: Sequence[str], source: str) -> list[str]:
    """Return a problem naming the columns absent from the header, or []."""
    missing = [c for c in columns if rows and c not in rows[0]]
    return [f"{source}:1: missing column(s) {', '.join(missing)}"] if missing else []


def _event_problems(row: dict[str, str]) -> list[str]:
    """Return the problems of one events gold row (ids, allowed values, dates)."""
    value = {k: (v or "").strip() for k, v in row.items() if k}
    found = [f"empty {k}" for k in ("doc_id", "gold_id") if not value[k]]
    kind = value["event_type"]
    if kind not in SUBTYPES:
        found.append(f"unknown event_type {kind!r} (allowed: {_listed(SUBTYPES)})")
    else:
        for name, allowed in (("subtype", SUBTYPES[kind]), ("status", STATUSES[kind])):
            if value[name] not in allowed:
                found.append(
                    f"unknown {name} {value[name]!r} for a {kind} (allowed: {_listed(allowed)})"
                )
    if value["date_mod"] not in MODS:
        found.append(f"unknown date_mod {value['date_mod']!r} (allowed: {_listed(MODS)})")
    if value["optional"] not in ("0", "1"):
        found.append(f"optional must be 0 or 1, not {value['optional']!r}")
    if value["round"] and not value["round"].isdigit():
        found.append(f"round must be a number, not {value['round']!r}")
    return found + _date_problems(value["date_start"], value["date_end"], "date")


def _date_problems(start: str, end: str, prefix: str) -> list[str]:
    """Return the problems of an ISO start/end pair (`prefix`_start, `prefix`_end or value_*)."""
    names = (f"{prefix}_start", f"{prefix}_end")
    found = [
        f"{name} {v!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"
        for name, v in zip(names, (start, end))
        if v and date_bounds(v) is None
    ]
    if end and not start:
        found.append(f"{names[1]} without {names[0]}")
    elif not found and start and end and date_bounds(start)[0] > date_bounds(end)[1]:
        found.append(f"{names[0]} {start} is after {names[1]} {end}")
    return found


def _listed(values: object) -> str:
    """Return allowed values as a sorted, comma-separated list ("" shown as '')."""
    return ", ".join(v or "''" for v in sorted(values))


def _gold_event(row: dict[str, str]) -> GoldEvent:
    """Return a checked events gold row as a GoldEvent."""
    value = {k: (row[k] or "").strip() for k in GOLD_EVENT_FIELDS}
    return GoldEvent(**{**value, "optional": value["optional"] == "1"})


def parse_gold_timexes(
    rows: list[dict[str, str]], source: str, text: str | None = None
) -> tuple[GoldTimex, ...]:
    """Check the rows of a time-expression gold file against `text` (the cleaned text, if given).

    Returns the rows as GoldTimex records; raises GoldError listing every problem.
    """
    _check_rows(rows, source, GOLD_TIMEX_FIELDS, lambda r: _timex_problems(r, text), _span_key)
    return tuple(_gold_timex(row) for row in rows)


def _span_key(row: dict[str, str]) -> tuple[tuple[str, str], str]:
    """A row's span as a uniqueness key and its description."""
    span = (row["char_start"].strip(), row["char_end"].strip())
    return span, f"span {span[0]}-{span[1]}"


def _timex_problems(row: dict[str, str], text: str | None) -> list[str]:
    """Return the problems of one time-expression gold row (span, type, values)."""
    value = {k: (row[k] or "") for k in GOLD_TIMEX_FIELDS}
    found = ["empty doc_id"] if not value["doc_id"].strip() else []
    found += _span_problems(value["char_start"], value["char_end"], value["text"], text)
    if value["type"] not in TIMEX_TYPES:
        found.append(f"unknown type {value['type']!r} (allowed: {_listed(TIMEX_TYPES)})")
    if value["mod"] not in MODS:
        found.append(f"unknown mod {value['mod']!r} (allowed: {_listed(MODS)})")
    start, end = value["value_start"].strip(), value["value_end"].strip()
    if value["type"] == "DURATION" and (start or end):
        found.append("a DURATION has no calendar value (leave value_start/value_end empty)")
    elif value["type"] in ("DATE", "RANGE") and not start:
        found.append(f"a {value['type']} needs value_start")
    return found + _date_problems(start, end, "value")


def _span_problems(start: str, end: str, quoted: str, text: str | None) -> list[str]:
    """Return the problems of a span's offsets and its text column against `text`."""
    if not (start.strip().isdigit() and end.strip().isdigit()):
        return [f"char_start/char_end must be whole numbers, not {start!r}/{end!r}"]
    first, last = int(start), int(end)
    if first >= last:
        return [f"char_start {first} is not before char_end {last}"]
    if text is None:
        return []
    if last > len(text):
        return [f"char_end {last} is beyond the end of the text ({len(text)} characters)"]
    if text[first:last] != quoted:
        return [f"text {quoted!r} differs from the text at {first}-{last}: {text[first:last]!r}"]
    return []


def _gold_timex(row: dict[str, str]) -> GoldTimex:
    """Return a checked time-expression gold row as a GoldTimex."""
    value = {k: row[k] if k == "text" else (row[k] or "").strip() for k in GOLD_TIMEX_FIELDS}
    return GoldTimex(
        **{**value, "char_start": int(value["char_start"]), "char_end": int(value["char_end"])}
    )
