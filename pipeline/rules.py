"""Load rule and gazetteer files from pipeline/resources/."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from types import MappingProxyType

PACKAGE = "pipeline"


def resource_text(name: str) -> str:
    """Return the text of `pipeline/resources/<name>`."""
    return resources.files(PACKAGE).joinpath("resources", name).read_text(encoding="utf-8")


@cache
def load_jsonl(name: str) -> tuple[MappingProxyType, ...]:
    """Return the records of a JSONL resource, read-only; lines starting with '#' are its
    header.

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
        records.append(MappingProxyType(record))
    return tuple(records)


@cache
def load_lexicon(name: str) -> MappingProxyType:
    """Read a lexicon resource (records with `class`, `forms` and `value`); return
    {class: {form: value}}, read-only: a list value becomes a tuple, and the value
    "position" stands for the form's 1-based position in its list (ordinals: "fourth" -> 4).
    """
    classes: dict[str, dict[str, object]] = {}
    for row in load_jsonl(name):
        forms, value = classes.setdefault(row["class"], {}), row["value"]
        for number, form in enumerate(row["forms"], start=1):
            forms[form] = number if value == "position" else _frozen(value)
    return MappingProxyType({name: MappingProxyType(forms) for name, forms in classes.items()})


def _frozen(value: object) -> object:
    """A list as a tuple; anything else as it is."""
    return tuple(value) if isinstance(value, list) else value
