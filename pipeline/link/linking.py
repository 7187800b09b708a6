"""The run's PA-X step: read the register once, link each document's agreement events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import storage
from pipeline.link import pax
from pipeline.models import PaxAgreement

if TYPE_CHECKING:
    from pipeline.process import DocResult


def read_register(register: Path | None) -> tuple[PaxAgreement, ...]:
    """The agreements of a PA-X export (none without one); InputError for a bad file."""
    if register is None:
        return ()
    return pax.parse_register(storage.read_register(register), str(register))


def link_pax(results: list[DocResult], agreements: Sequence[PaxAgreement]) -> list[DocResult]:
    """Each result with its events' PA-X links and the register's agreements of its process
    and period that it never mentions (results unchanged without a register)."""
    if not agreements:
        return results
    linked = []
    for r in results:
        countries = pax.document_countries(r.events, r.entities)
        links = pax.link_events(r.events, countries, agreements)
        missing = pax.unmentioned(r.entry.doc_id, r.events, links, agreements)
        linked.append(replace(r, pax_links=links, pax_unmentioned=tuple(missing)))
    return linked
