"""Tolerant parsing of the models."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from custom_components.octopus_energy.api import (
    Account,
    Agreement,
    Consumption,
    Meter,
    MeterPoint,
    Property,
    Rate,
    TelemetryReading,
)
from custom_components.octopus_energy.api.models import _parse
from custom_components.octopus_energy.api.models.rates import Fuel

NOW = datetime(2026, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1.0), ("2.5", 2.5), ("x", None), (True, None), (None, None), ([], None)],
)
def test_as_float(value: object, expected: float | None) -> None:
    """Numbers and numeric strings are numbers; the rest is None."""
    assert _parse.as_float(value) == expected


def test_helpers() -> None:
    """Ints, dates and datetimes are read tolerantly."""
    assert _parse.as_int("3") == 3
    assert _parse.as_int(2.5) is None
    assert _parse.as_bool("yes") is None
    assert _parse.as_date("2026-01-10T00:00:00Z") == date(2026, 1, 10)
    assert _parse.as_date("nope") is None
    assert _parse.as_date(None) is None
    assert _parse.as_date("2026-13-45") is None
    assert _parse.as_datetime("nope") is None
    assert _parse.as_datetime("2026-01-10T00:00:00") == NOW
    assert _parse.as_datetime("2026-01-10T01:00:00+01:00") == NOW
    assert _parse.as_datetime("2026-01-10T00:00:00Z") == NOW
    assert _parse.as_dicts({"a": 1}) == []
    assert _parse.wh_to_kwh(None) is None


def test_rate_without_price() -> None:
    """A rate without a price is skipped."""
    assert Rate.from_dict({"valid_from": "2026-01-10T00:00:00Z"}) is None
    rate = Rate.from_dict(
        {"value_inc_vat": 1, "valid_from": "2026-03-29T01:00:00+01:00"}
    )
    assert rate is not None
    assert rate.valid_from == datetime(2026, 3, 29, tzinfo=UTC)
    assert rate.valid_from.utcoffset() == timedelta(hours=1)
    assert Consumption.from_dict({"consumption": 1}) is None


def test_agreements_and_properties() -> None:
    """Agreement activity and property occupancy use half-open intervals."""
    agreement = Agreement.from_dict(
        {"validFrom": "2026-01-01T00:00:00Z", "validTo": "2026-01-10T00:00:00Z"}
    )
    assert agreement.is_active(NOW - timedelta(seconds=1))
    assert not agreement.is_active(NOW)
    assert agreement.tariff_code is None
    assert Agreement.from_dict({}).is_active(NOW)
    assert Property.from_dict({}) is None
    assert Property.from_dict({"id": 1}) == Property(id="1", occupancy_ends=[])
    assert Property(id="1", occupancy_ends=[]).is_occupied(NOW)


def test_meter_point_tolerance() -> None:
    """Missing identifiers drop the record; unknown meter types are not smart."""
    assert MeterPoint.from_dict(Fuel.ELECTRICITY, {}) is None
    assert Meter.from_dict({}) is None
    meter = Meter.from_dict({"serialNumber": "X", "meterType": "NEW_KIND"})
    assert meter is not None
    assert not meter.is_smart
    assert meter.smart_device is None
    point = MeterPoint.from_dict(
        Fuel.ELECTRICITY, {"mpan": "1", "direction": None, "meters": "bad"}
    )
    assert point is not None
    assert not point.is_export
    assert point.active_agreement(NOW) is None
    assert Account.from_dict("A", {"account": []}) is None
    account = Account.from_dict("A", {"account": {}})
    assert account is not None
    assert not account.is_octoplus_enrolled
    assert account.electricity_meter_points == []


def test_telemetry_reading() -> None:
    """A reading needs a time; other values may be missing."""
    assert TelemetryReading.from_dict({"demand": 1}) is None
    reading = TelemetryReading.from_dict(
        {"readAt": "2026-01-10T00:00:00+00:00", "demand": None}
    )
    assert reading is not None
    assert reading.demand_w is None
    assert reading.read_at.tzinfo == timezone.utc  # noqa: UP017
