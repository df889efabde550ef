"""Static checks of the GraphQL documents (the simulator checks the schema)."""

from __future__ import annotations

import re

import pytest

from custom_components.octopus_energy.api import queries

DOCUMENTS = {
    name: value
    for name, value in vars(queries).items()
    if name.isupper()
    and not name.startswith("_")
    and isinstance(value, str)
    and re.search(r"^\s*(query|mutation) ", value)
}
DOCUMENTS["telemetry_query(3)"] = queries.telemetry_query(3)
DOCUMENTS["intelligent_state_query(2)"] = queries.intelligent_state_query(2)


def test_every_document_is_checked() -> None:
    """All operation documents are listed."""
    assert len(DOCUMENTS) == 23


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_shape(name: str) -> None:
    """Braces balance, one named operation, and variables are declared and used."""
    document = DOCUMENTS[name]
    assert document.count("{") == document.count("}")
    assert document.count("(") == document.count(")")
    assert len(re.findall(r"^\s*(?:query|mutation) \w+", document, re.MULTILINE)) == 1
    header, _, body = document.partition("{")
    declared = set(re.findall(r"\$(\w+)\s*:", header))
    used = set(re.findall(r"\$(\w+)", body))
    assert declared == used
    assert '"' not in document  # no literal string values


def test_telemetry_aliases() -> None:
    """One alias and one device variable per device."""
    document = queries.telemetry_query(2)
    assert "d0: smartMeterTelemetry(deviceId: $deviceId0" in document
    assert "d1: smartMeterTelemetry(deviceId: $deviceId1" in document
    assert "d2:" not in document
