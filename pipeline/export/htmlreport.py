"""report.html (pure: text out): per document an interactive plotly timeline, the scores beside
the baseline's and the PA-X links; then the event table with filters. Self-contained: plotly.js
is embedded, nothing is fetched; div ids are fixed so that re-runs give the same bytes."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence
from datetime import timedelta
from types import MappingProxyType

from pipeline.evaluate.report import by_system, lookup
from pipeline.export.timeline import MARKERS, bar_days, colour, marks
from pipeline.link.pax import link_counts
from pipeline.models import ManifestEntry

ONE_DAY, MILLISECOND = timedelta(days=1), timedelta(milliseconds=1)
SYMBOLS = MappingProxyType({"D": "diamond", "s": "square", "o": "circle"})
SCORE_ROWS = (
    ("events precision", ("events", "all", "precision")),
    ("events recall", ("events", "all", "recall")),
    ("events F1", ("events", "all", "f1")),
    ("date_start equal", ("fields", "date_start")),
    ("time expressions relaxed F1", ("timexes", "relaxed", "f1")),
)
TABLE_COLUMNS = (
    ("doc_id", "document"), ("event_id", "id"), ("event_type", "type"), ("subtype", "subtype"),
    ("status", "status"), ("title", "title"), ("date_start", "from"), ("date_end", "to"),
    ("location", "place"), ("participants", "participants"), ("pax_id", "PA-X"),
    ("pax_match", "PA-X date"), ("evidence", "evidence"),
)  # fmt: skip
FILTERS = ("doc_id", "event_type", "subtype", "status")
STYLE = """body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;
font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}
th{background:#f3f3f3}.scores td:nth-child(n+2){text-align:right}.filters{margin:.5em 0}
.filters select,.filters input{margin-right:.6em}#events td:last-child{max-width:40em}"""
FILTER_JS = """function filterEvents(){const f={};document.querySelectorAll('.filter').forEach(
s=>{f[s.dataset.col]=s.value});const q=document.getElementById('q').value.toLowerCase();
let n=0;document.querySelectorAll('#events tbody tr').forEach(r=>{const ok=Object.keys(f)
.every(k=>!f[k]||r.dataset[k]===f[k])&&(!q||r.textContent.toLowerCase().includes(q));
r.style.display=ok?'':'none';n+=ok});document.getElementById('shown').textContent=n}"""


def figure(doc_id: str, rows: Sequence[Mapping[str, str]]):
    """The plotly timeline of one document: a bar per meeting, a marker per agreement."""
    import plotly.graph_objects as go

    shown = marks(rows)
    fig = go.Figure()
    for kind in ("meeting", "agreement"):
        for subtype in sorted({m.subtype for m in shown if m.event_type == kind}):
            group = [m for m in shown if m.event_type == kind and m.subtype == subtype]
            common = dict(
                y=[m.label for m in group],
                name=f"{kind}: {subtype}",
                customdata=[hover(m) for m in group],
                hovertemplate="%{customdata}<extra></extra>",
                marker_color=colour(subtype),
            )
            if kind == "meeting":
                days = [bar_days(m, shown) * ONE_DAY / MILLISECOND for m in group]
                starts = [m.first.isoformat() for m in group]
                fig.add_bar(orientation="h", base=starts, x=days, **common)
            else:
                symbols = [SYMBOLS[MARKERS.get(m.status, "o")] for m in group]
                fig.add_scatter(mode="markers", x=[m.first.isoformat() for m in group],
                                marker_symbol=symbols, marker_size=10, **common)  # fmt: skip
    labels = [m.label for m in shown]
    fig.update_layout(
        template="plotly_white",
        height=160 + 20 * len(shown),
        margin=dict(l=10, r=10, t=30, b=30),
        xaxis=dict(type="date"),
        yaxis=dict(categoryorder="array", categoryarray=labels, autorange="reversed"),
        legend=dict(orientation="h", y=1.02, yanchor="bottom"),
        hoverlabel=dict(align="left"),
    )
    return fig


def hover(mark) -> str:
    """Hover text: title, dates, place, participants and the evidence sentence (escaped)."""
    days = mark.first.isoformat() + ("" if mark.last == mark.first else f" – {mark.last}")
    evidence = "<br>".join(textwrap.wrap(html.escape(mark.evidence), 90))
    parts = [f"<b>{html.escape(mark.title)}</b>", f"{mark.event_type} · {mark.subtype} · "
             f"{mark.status} · {days}", f"place: {html.escape(mark.place) or '–'}",
             f"participants: {html.escape(mark.participants) or '–'}", evidence]  # fmt: skip
    return "<br>".join(parts)


def scores_table(entry: Mapping | None, rows: Sequence[Mapping[str, str]]) -> str:
    """The document's scores beside the baseline's (when it has gold) and its PA-X links."""
    lines = ["<table class='scores'><tr><th>measure</th><th>pipeline</th><th>baseline</th></tr>"]
    if entry:
        systems = by_system(entry)
        for label, path in SCORE_ROWS:
            mine, theirs = (lookup(systems[s], path) for s in ("pipeline", "baseline"))
            lines.append(
                f"<tr><td>{label}</td><td>{number(mine)}</td><td>{number(theirs)}</td></tr>"
            )
    else:
        lines.append("<tr><td colspan='3'>not scored (no gold annotations)</td></tr>")
    counts = link_counts(rows)
    lines.append(
        f"<tr><td>agreements linked to PA-X (date agrees)</td><td>{counts['linked']} of "
        f"{counts['agreements']} ({counts['date_agrees']})</td><td></td></tr></table>"
    )
    return "\n".join(lines)


def number(value: object) -> str:
    """A score with three decimals, – when absent."""
    return f"{value:.3f}" if isinstance(value, float) else "–" if value is None else str(value)


def event_table(rows: Sequence[Mapping[str, str]]) -> str:
    """The table of every event with a select per filter column and a text search."""
    selects = []
    for col in FILTERS:
        values = sorted({r.get(col, "") for r in rows} - {""})
        options = "".join(f"<option>{html.escape(v)}</option>" for v in values)
        selects.append(
            f"<select class='filter' data-col='{col}' onchange='filterEvents()'>"
            f"<option value=''>all {col}</option>{options}</select>"
        )
    head = "".join(f"<th>{label}</th>" for _, label in TABLE_COLUMNS)
    body = []
    for r in rows:
        data = " ".join(f"data-{c}='{html.escape(r.get(c, ''), quote=True)}'" for c in FILTERS)
        cells = "".join(f"<td>{html.escape(r.get(c, ''))}</td>" for c, _ in TABLE_COLUMNS)
        body.append(f"<tr {data}>{cells}</tr>")
    return (
        f"<div class='filters'>{''.join(selects)}<input id='q' placeholder='search' "
        f"oninput='filterEvents()'> <span id='shown'>{len(rows)}</span> shown</div>"
        f"<table id='events'><thead><tr>{head}</tr></thead><tbody>\n"
        + "\n".join(body)
        + "\n</tbody></table>"
    )


def report_html(
    rows: Sequence[Mapping[str, str]],
    scores: Mapping,
    entries: Mapping[str, ManifestEntry],
) -> str:
    """The whole page: events.csv rows (corpus order), scores.json, manifest rows by doc_id."""
    from plotly.offline import get_plotlyjs

    docs = list(dict.fromkeys(r["doc_id"] for r in rows))
    sections = []
    for doc in docs:
        mine = [r for r in rows if r["doc_id"] == doc]
        title = entries[doc].title if doc in entries and entries[doc].title else ""
        chart = figure(doc, mine).to_html(
            full_html=False, include_plotlyjs=False, div_id=f"timeline-{doc}",
            config={"displaylogo": False, "responsive": True},
        )  # fmt: skip
        undated = len(mine) - len(marks(mine))
        note = f"<p>{undated} event(s) without a date: in the table only.</p>" if undated else ""
        sections.append(
            f"<section id='doc-{doc}'><h2>{html.escape(doc)}</h2><p>{html.escape(title)}</p>"
            f"{scores_table(scores.get(doc), mine)}{note}{chart}</section>"
        )
    nav = " · ".join(f"<a href='#doc-{d}'>{html.escape(d)}</a>" for d in docs)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>Negotiation events</title>"
        f"<style>{STYLE}</style><script>{get_plotlyjs()}</script><script>{FILTER_JS}</script>"
        f"</head><body><h1>Negotiation events</h1><p>{len(rows)} events in {len(docs)} "
        f"documents. Meetings are bars over their dates, agreements markers "
        f"(◆ signed, ■ initialled, ● agreed); hover for the evidence.</p><nav>{nav}</nav>\n"
        + "\n".join(sections)
        + f"\n<h2>Events</h2>{event_table(rows)}</body></html>\n"
    )
