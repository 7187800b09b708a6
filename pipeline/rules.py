"""Load rule and gazetteer files from pipeline/resources/."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

PACKAGE = "pipeline"


def resource_text(name: str) -> str:
    """Return the text of `pipeline/resources/<name>`."""
    return resources.files(PACKAGE).joinpath("resources", name).read_text(encoding="utf-8")


@cache
def load_jsonl(name: str) -> tuple[dict, ...]:
    """Return the records of a JSONL resource; lines starting with '#' are its header.

    Each record must carry an `id`; a duplicate or missing id is an error, so
    every match can say which rule made it.
    """
    records, seen = [], set()
    for number, line in enumerate(resource_text(name).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        record = json.loads(line)
        rule_id = record.get("id")
        if not rule_id or rule_id in seen:
            raise ValueError(f"resources/{name}:{number}: missing or duplicate id {rule_id!r}")
        seen.add(rule_id)
        records.append(record)
    return tuple(records)
