"""Stage 6: the formats people read: Parquet, PLOVER JSON, timelines, report.html."""
