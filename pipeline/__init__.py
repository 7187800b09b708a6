"""Negotiation events: meetings and agreements of peace-process narratives as scored tables."""

from __future__ import annotations

from pathlib import Path


def load(out_dir: str | Path) -> dict:
    """Read every table of a run's outputs as a typed pandas DataFrame.

    Reads out_dir/<table>.parquet (written by `run` beside each CSV); returns
    {table name (e.g. "events"): DataFrame}. Columns keep their types: int64 offsets and
    pages, booleans, dates (`pax_date`, `<date column>_day`), lists of names.
    """
    from pipeline import storage
    from pipeline.export import tables

    return {
        path.name.removesuffix(".parquet"): tables.frame(
            tables.read_parquet(storage.read_source(path))
        )
        for path in storage.list_files(Path(out_dir), ".parquet")
    }
