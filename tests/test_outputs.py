"""The outputs researchers use, on a real run of the article: PA-X links, PLOVER records,
Parquet and pandas, timeline pictures and report.html (opened in headless Chromium)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

import pipeline
from pipeline import storage
from pipeline.cli import main
from pipeline.export import formats, plover, timeline

REGISTER = ROOT.parent / "shared" / "reference" / "pax-agreements.csv"
ARTICLE_LINKS = {  # the article's named agreements and their PA-X records (peaceagreements.org)
    "Protocol on the Fundamental Principles for Establishing Peace and National Accord in "
    "Tajikistan": "518",
    "statute of the CNR": "549",
    "Protocol on Military Issues": "514",
    "Protocol on Political Issues": "515",
    "Bishkek Memorandum": "558",
    "Protocol on the Guarantees": "519",
    "General Agreement on the Establishment of Peace and National Accord in Tajikistan": "388",
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The outputs of `run` on the article, linked to the shared PA-X register."""
    if not REGISTER.exists():
        pytest.skip(f"{REGISTER} is absent (the shared reference data is not beside this checkout)")
    folder = tmp_path_factory.mktemp("out")
    args = ["run", "--docs", "tajik-negotiations", "--out", str(folder)]
    assert main([*args, "--corpus", str(ROOT / "corpus"), "--register", str(REGISTER)]) == 0
    return folder


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_articles_named_agreements_link_to_their_pax_records(out):
    events = rows(out / "events.csv")
    linked = {r["title"]: (r["pax_id"], r["pax_match"]) for r in events if r["pax_id"]}
    for title, pax_id in ARTICLE_LINKS.items():
        assert linked.get(title) == (pax_id, "exact"), title
    assert all(not r["pax_id"] for r in events if r["event_type"] == "meeting")
    unmentioned = {r["pax_id"] for r in rows(out / "pax_unmentioned.csv")}
    assert "516" in unmentioned  # Protocol on Refugee Issues: the article never names it
    assert not unmentioned & {r["pax_id"] for r in events}
    counts = json.loads((out / "scores.json").read_text())["tajik-negotiations"]["pax"]
    assert counts["linked"] >= len(ARTICLE_LINKS) and counts["date_agrees"] == counts["linked"]


def test_every_plover_record_validates_against_the_schema(out):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(plover.schema())
    lines = (out / "events.plover.jsonl").read_text(encoding="utf-8").splitlines()
    events = rows(out / "events.csv")
    assert len(lines) == len(events)
    records = [json.loads(line) for line in lines]
    for record in records:
        errors = [e.message for e in validator.iter_errors(record)]
        assert not errors, (record["id"], errors)
    kinds = {(r["event_type"], r["status"]) for r in events}
    for record, row in zip(records, events):
        if row["event_type"] == "meeting":
            assert record["event"] == (["CONSULT"] if row["status"] == "held" else ["AGREE"])
        assert record["text"] == row["evidence"] and record["doc_id"] == row["doc_id"]
    assert {s for t, s in kinds if t == "meeting"} > {"held"}  # both branches above were taken
    general = next(r for r in records if r["event_text"][0].startswith("General Agreement"))
    assert general["event"] == ["SUPPORT"] and general["date"] == "1997-06-27"
    assert general["event_loc"]["country_code"] == "RUS" and general["link"] == "PA-X 388"


def test_the_schema_rejects_what_the_manual_does_not_allow():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(plover.schema())
    good = {"id": "x", "date": "1997-06-27", "actor": [{"code": "TJK"}], "event": ["CONSULT"]}
    assert validator.is_valid(good)
    for bad in (
        {"event": ["MEET"]},
        {"date": "27/06/1997"},
        {"mode": ["phone"], "event": ["AGREE"]},
    ):
        assert not validator.is_valid({**good, **bad}), bad
    assert not validator.is_valid({k: v for k, v in good.items() if k != "actor"})


def test_the_mapping_table_covers_every_subtype_and_status_of_the_guidelines():
    table = plover.mapping()
    meetings = ("round", "summit", "consultation", "mediation")
    for subtype in meetings:
        for status in ("held", "planned", "cancelled"):
            row = {"event_type": "meeting", "subtype": subtype, "status": status}
            for mediators in ("", "Russia"):
                assert plover.rule_for({**row, "mediators": mediators}), (row, mediators)
    for subtype in ("ceasefire", "protocol", "other"):
        for status in ("signed", "initialled", "agreed"):
            rule = plover.rule_for(
                {"event_type": "agreement", "subtype": subtype, "status": status}
            )
            assert rule and rule["why"], (subtype, status)
    assert all(r["why"] for r in table.values())


def test_load_returns_typed_frames_of_every_table(out):
    import pandas as pd

    frames = pipeline.load(out)
    csvs = {p.stem for p in out.glob("*.csv")}
    assert set(frames) == csvs and "pax_unmentioned" in frames
    events = frames["events"]
    assert len(events) == len(rows(out / "events.csv"))
    assert str(events["char_start"].dtype) == "int64[pyarrow]"
    assert str(events["pax_date"].dtype) == "date32[day][pyarrow]"
    assert str(events["date_start_day"].dtype) == "date32[day][pyarrow]"
    assert isinstance(events["participants"].dtype, pd.ArrowDtype)
    general = events[events["pax_id"] == "388"].iloc[0]
    assert str(general["pax_date"]) == "1997-06-27"
    assert list(general["participants"])[:1] == ["Emomali Rakhmonov"]
    month = events[events["date_start"].str.len() == 7].iloc[0]
    assert pd.isna(month["date_start_day"])  # a month is not a day


def test_exports_are_byte_identical_when_made_again(out, tmp_path):
    copy = tmp_path / "again"
    shutil.copytree(out, copy)
    formats.write_exports(copy, storage.read_manifest(ROOT / "corpus")[0])
    made = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert Path("report.html") in made and Path("timeline/tajik-negotiations.png") in made
    for name in made:
        assert (copy / name).read_bytes() == (out / name).read_bytes(), name


def test_the_timeline_picture_is_a_png_with_one_mark_per_dated_event(out):
    events = rows(out / "events.csv")
    assert (out / "timeline" / "tajik-negotiations.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dated = [r for r in events if r["date_start"]]
    assert len(timeline.marks(events)) == len(dated)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return found


def test_report_opens_in_headless_chromium_with_one_mark_per_event(out, tmp_path):
    browser_path = chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    dated = len([r for r in rows(out / "events.csv") if r["date_start"]])
    problems: list[str] = []
    with sync_api.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 1400})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on(
            "request",
            lambda r: None if r.url.startswith(("file:", "data:")) else problems.append(r.url),
        )
        page.goto((out / "report.html").as_uri())
        page.wait_for_selector("#timeline-tajik-negotiations .main-svg")
        marks = page.locator("#timeline-tajik-negotiations .point").count()
        last = page.locator("#timeline-tajik-negotiations .scatterlayer .point").last
        last.scroll_into_view_if_needed()
        box = last.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(300)
        hover = page.locator("#timeline-tajik-negotiations .hoverlayer").text_content()
        page.locator("#doc-tajik-negotiations").screenshot(path=str(tmp_path / "report.png"))
        page.select_option("select[data-col=event_type]", "agreement")
        shown = int(page.locator("#shown").inner_text())
        browser.close()
    assert not problems, problems
    assert marks == dated
    assert "General Agreement" in hover and "place: Moscow, Russia" in hover
    assert "On 27 June in Moscow, Rakhmonov and Nuri signed" in hover  # the evidence sentence
    assert shown == len([r for r in rows(out / "events.csv") if r["event_type"] == "agreement"])
    assert (tmp_path / "report.png").stat().st_size > 10_000
