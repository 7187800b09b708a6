"""The cue words of a mention's status, as data (resources/modality.jsonl): one record per
line, grouped by class; modality.py reads them (pure after the first load)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from pipeline.rules import load_jsonl


@dataclass(frozen=True)
class Cue:
    """One line of modality.jsonl."""

    id: str
    cls: str
    scope: str
    forms: frozenset[str]
    meeting: str
    agreement: str
    example: str
    counter: str


@lru_cache(maxsize=1)
def load_cues() -> tuple[Cue, ...]:
    """Read resources/modality.jsonl; return its cues in file order."""
    return tuple(
        Cue(
            r["id"],
            r["class"],
            r["scope"],
            frozenset(r["forms"]),
            r["meeting"],
            r["agreement"],
            r["example"],
            r.get("counter", ""),
        )
        for r in load_jsonl("modality.jsonl")
    )


@lru_cache(maxsize=1)
def cues_by_class() -> Mapping[str, tuple[Cue, ...]]:
    """The cues grouped by class (read-only)."""
    grouped: dict[str, list[Cue]] = {}
    for cue in load_cues():
        grouped.setdefault(cue.cls, []).append(cue)
    return MappingProxyType({k: tuple(v) for k, v in grouped.items()})


@lru_cache(maxsize=64)
def forms(cls: str) -> frozenset[str]:
    """Every form of the cues of one class."""
    return frozenset(f for cue in cues_by_class().get(cls, ()) for f in cue.forms)


def effect(cls: str, event_type: str) -> str:
    """The status a cue class gives a mention of `event_type`."""
    cue = cues_by_class()[cls][0]
    return cue.meeting if event_type == "meeting" else cue.agreement
