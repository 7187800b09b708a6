"""Typed tables: every CSV output as an Arrow table (Parquet bytes) and back as pandas frames.

Types follow the column names, so every table, present or future, is typed the same way:
offsets, pages and ids that are numbers are int64; `ok_*` and `optional` are booleans;
`;`-separated names are lists of strings; `pax_date` is a date; the other date columns keep
their ISO text (a month or a year is not a day) beside a `<column>_day` date where it is one.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq

INT_COLUMNS = frozenset({"segment_id", "page", "char_start", "char_end"})
BOOL_COLUMNS = frozenset({"optional"})
LIST_COLUMNS = frozenset({"participants", "mediators", "mention_ids"})
DATE_COLUMNS = frozenset({"pax_date"})
DAY_COLUMNS = frozenset({"date_start", "date_end", "value_start", "value_end", "anchor"})
TRUE, FALSE = frozenset({"1", "true", "True", "yes"}), frozenset({"0", "false", "False", "no"})


def column_type(name: str) -> pa.DataType:
    """The Arrow type of a column of that name."""
    if name in INT_COLUMNS:
        return pa.int64()
    if name in BOOL_COLUMNS or name.startswith("ok_"):
        return pa.bool_()
    if name in LIST_COLUMNS:
        return pa.list_(pa.string())
    if name in DATE_COLUMNS:
        return pa.date32()
    return pa.string()


def full_day(text: str) -> date | None:
    """The date of an ISO YYYY-MM-DD text, None for anything else (a month, a year, "")."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def cell(value: str, kind: pa.DataType) -> object:
    """One CSV cell as a value of the Arrow type `kind` (None where it is empty)."""
    value = value or ""
    if kind == pa.int64():
        return int(value) if value.lstrip("-").isdigit() else None
    if kind == pa.bool_():
        return True if value in TRUE else False if value in FALSE else None
    if kind == pa.date32():
        return full_day(value)
    if pa.types.is_list(kind):
        return [v.strip() for v in value.split(";") if v.strip()]
    return value


def arrow_table(columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> pa.Table:
    """An Arrow table of CSV rows: typed columns, and `<date column>_day` after each date."""
    arrays, fields = [], []
    for name in columns:
        kind = column_type(name)
        fields.append(pa.field(name, kind))
        arrays.append(pa.array([cell(r.get(name, ""), kind) for r in rows], type=kind))
        if name in DAY_COLUMNS:
            fields.append(pa.field(f"{name}_day", pa.date32()))
            arrays.append(pa.array([full_day(r.get(name) or "") for r in rows], pa.date32()))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def parquet_bytes(table: pa.Table) -> bytes:
    """The Parquet file of a table (the same bytes for the same table and pyarrow)."""
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def read_parquet(content: bytes) -> pa.Table:
    """An Arrow table from the bytes of a Parquet file."""
    return pq.read_table(pa.BufferReader(content))


def frame(table: pa.Table):
    """A pandas DataFrame of an Arrow table keeping its types (ArrowDtype: int64, bool,
    date32, list<string>, string), so dates stay dates and lists stay lists."""
    import pandas as pd

    return table.to_pandas(types_mapper=pd.ArrowDtype)
