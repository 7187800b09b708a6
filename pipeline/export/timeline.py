"""A document's events on a time axis: the marks (pure) and their picture as PNG (matplotlib).

Meetings are bars over the days they cover (a month-precise date covers its month), agreements
markers on their first day; colour by subtype. Events without a date have no mark.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from pipeline.link.pax import date_span

SUBTYPE_COLOURS = MappingProxyType(
    {  # colour-blind-safe (Okabe-Ito), one per subtype of the guidelines
        "round": "#0072B2",
        "summit": "#D55E00",
        "consultation": "#009E73",
        "mediation": "#CC79A7",
        "ceasefire": "#E69F00",
        "protocol": "#000000",
        "other": "#56B4E9",
    }
)
MARKERS = MappingProxyType({"signed": "D", "initialled": "s", "agreed": "o"})


@dataclass(frozen=True)
class Mark:
    """One event on the time axis: first and last day (inclusive) and what the hover shows."""

    event_id: str
    label: str  # the axis label: event id and title
    event_type: str
    subtype: str
    status: str
    first: date
    last: date
    title: str
    place: str
    participants: str
    evidence: str


def marks(rows: Sequence[Mapping[str, str]]) -> list[Mark]:
    """The marks of a document's events.csv rows, ordered by date (undated rows left out)."""
    result = []
    for row in rows:
        span = date_span(row.get("date_start", ""), row.get("date_end", ""))
        if span is None:
            continue
        place = ", ".join(p for p in (row.get("location", "").strip(), row.get("country", "")) if p)
        label = f"{row['event_id']} {textwrap.shorten(row.get('title', ''), 42, placeholder='…')}"
        result.append(
            Mark(row["event_id"], label, row["event_type"], row["subtype"], row["status"],
                 span[0], span[1], row.get("title", ""), place,
                 row.get("participants", "").replace(";", "; "), row.get("evidence", ""))
        )  # fmt: skip
    return sorted(result, key=lambda m: (m.first, m.last, m.event_id))


def bar_days(mark: Mark, shown: Sequence[Mark]) -> int:
    """Days a meeting's bar spans: its own, but at least 1/120 of the timeline so that a
    one-day meeting stays visible beside a four-year process."""
    whole = (max(m.last for m in shown) - min(m.first for m in shown)).days
    return max((mark.last - mark.first).days + 1, whole // 120, 1)


def colour(subtype: str) -> str:
    """The colour of a subtype (grey for one the guidelines do not name)."""
    return SUBTYPE_COLOURS.get(subtype, "#999999")


def png(doc_id: str, rows: Sequence[Mapping[str, str]]) -> bytes:
    """The timeline of one document's events as PNG bytes (no metadata, so re-runs match)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    shown = marks(rows)
    figure = Figure(figsize=(11, 1.2 + 0.22 * max(len(shown), 1)), dpi=100)
    axes = figure.subplots()
    for y, mark in enumerate(shown):
        if mark.event_type == "meeting":
            days, shade = bar_days(mark, shown), colour(mark.subtype)
            axes.barh(y, days, left=mark.first, height=0.6, color=shade)
        else:
            axes.plot(mark.first, y, MARKERS.get(mark.status, "o"), color=colour(mark.subtype))
    axes.set_yticks(range(len(shown)), [m.label for m in shown], fontsize=7)
    axes.invert_yaxis()
    axes.xaxis_date()
    axes.grid(axis="x", alpha=0.3)
    undated = len(rows) - len(shown)
    note = f"; {undated} undated, not shown" if undated else ""
    axes.set_title(f"{doc_id}: {len(shown)} events{note}", fontsize=10)
    order = list(SUBTYPE_COLOURS)
    used = sorted({m.subtype for m in shown}, key=lambda s: (order + [s]).index(s))
    handles = [Patch(color=colour(s), label=s) for s in used]
    handles += [
        Line2D([], [], marker=MARKERS[s], color="grey", linestyle="", label=f"agreement {s}")
        for s in MARKERS
    ]
    axes.legend(handles=handles, fontsize=7, loc="lower left", bbox_to_anchor=(1.01, 0))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
