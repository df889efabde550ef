"""Tests of the pure UTC <-> local profile conversion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.osoenergy.profile import (
    HOUR_KEYS,
    format_offset,
    patch_local,
    to_local,
    utc_hour_for_local,
    utc_offset,
    whole_numbers_as_int,
)

# A profile whose every UTC hour has its own value: 40.0 at 00 UTC … 63.0 at 23 UTC.
PROFILE_UTC = tuple(40.0 + hour for hour in range(24))


def offset_at(zone: str, moment_utc: str) -> timedelta:
    """The UTC offset of `zone` at an ISO moment given in UTC."""
    moment = datetime.fromisoformat(moment_utc).replace(tzinfo=UTC)
    return utc_offset(moment.astimezone(ZoneInfo(zone)))


# (zone, moment in UTC, offset in force, UTC hour of local 00:00)
CASES = [
    pytest.param("UTC", "2025-06-01T12:00", "+00:00", 0, id="utc"),
    # Europe/Oslo springs forward at 01:00 UTC on 2025-03-30 (02:00 -> 03:00 local).
    pytest.param(
        "Europe/Oslo", "2025-03-30T00:30", "+01:00", 23, id="oslo-spring-before"
    ),
    pytest.param(
        "Europe/Oslo", "2025-03-30T01:30", "+02:00", 22, id="oslo-spring-after"
    ),
    # Europe/Oslo falls back at 01:00 UTC on 2025-10-26 (03:00 -> 02:00 local).
    pytest.param(
        "Europe/Oslo", "2025-10-26T00:30", "+02:00", 22, id="oslo-autumn-before"
    ),
    pytest.param(
        "Europe/Oslo", "2025-10-26T01:30", "+01:00", 23, id="oslo-autumn-after"
    ),
    # Local 00:00 in Kolkata is 18:30 UTC the day before: inside UTC hour 18.
    pytest.param("Asia/Kolkata", "2025-06-01T12:00", "+05:30", 18, id="kolkata"),
    pytest.param("Asia/Kathmandu", "2025-06-01T12:00", "+05:45", 18, id="kathmandu"),
    # The moment of HA core's test: US/Pacific is UTC-7 on 2024-10-10.
    pytest.param("US/Pacific", "2024-10-10T12:00", "-07:00", 7, id="pacific"),
]


@pytest.mark.parametrize(("zone", "moment", "offset_text", "utc_of_midnight"), CASES)
def test_to_local_is_a_rotation(
    zone: str, moment: str, offset_text: str, utc_of_midnight: int
) -> None:
    """Each local hour gets the value of the UTC hour containing it: no gap, no 0."""
    offset = offset_at(zone, moment)
    assert format_offset(offset) == offset_text

    local = to_local(PROFILE_UTC, offset)

    assert local == [PROFILE_UTC[(utc_of_midnight + hour) % 24] for hour in range(24)]
    assert sorted(local) == sorted(PROFILE_UTC)  # every value exactly once
    assert 0.0 not in local


@pytest.mark.parametrize(("zone", "moment", "offset_text", "utc_of_midnight"), CASES)
def test_set_then_get_round_trips_every_hour(
    zone: str, moment: str, offset_text: str, utc_of_midnight: int
) -> None:
    """Writing a local hour and reading it back gives the same local hour."""
    offset = offset_at(zone, moment)
    for hour in range(24):
        patched = patch_local(PROFILE_UTC, {hour: 75}, offset)
        assert patched[(utc_of_midnight + hour) % 24] == 75
        local = to_local(patched, offset)
        assert local[hour] == 75
        assert [i for i, value in enumerate(local) if value == 75] == [hour]


@pytest.mark.parametrize(("zone", "moment", "offset_text", "utc_of_midnight"), CASES)
def test_full_local_schedule_round_trips(
    zone: str, moment: str, offset_text: str, utc_of_midnight: int
) -> None:
    """All 24 local hours written at once read back unchanged."""
    offset = offset_at(zone, moment)
    wanted = {hour: 10 + hour * 2 for hour in range(24)}

    patched = patch_local([60.0] * 24, wanted, offset)

    assert to_local(patched, offset) == [float(wanted[hour]) for hour in range(24)]


def test_kolkata_is_a_bijection_by_six_hours() -> None:
    """+05:30: local H:00 is (H-6):30 UTC, so the UTC hour is H-6 for every hour."""
    offset = timedelta(hours=5, minutes=30)
    hours = [utc_hour_for_local(hour, offset) for hour in range(24)]
    assert hours == [(hour - 6) % 24 for hour in range(24)]
    assert sorted(hours) == list(range(24))


def test_clock_change_shifts_the_stored_schedule() -> None:
    """The heater keeps UTC hours: a winter schedule runs an hour later in summer."""
    winter = offset_at("Europe/Oslo", "2025-03-30T00:30")
    summer = offset_at("Europe/Oslo", "2025-03-30T01:30")
    patched = patch_local([50.0] * 24, {6: 70}, winter)

    assert to_local(patched, winter).index(70) == 6
    assert to_local(patched, summer).index(70) == 7


def test_patch_local_returns_a_new_list() -> None:
    """The input is never modified; untouched hours keep their values."""
    original = list(PROFILE_UTC)

    patched = patch_local(original, {0: 11, 12: 12}, timedelta(0))

    assert original == list(PROFILE_UTC)
    assert patched is not original
    assert patched[0] == 11
    assert patched[12] == 12
    assert patched[1:12] == original[1:12]
    assert patched[13:] == original[13:]


def test_patch_local_without_changes_copies() -> None:
    """No change gives an equal copy."""
    assert patch_local(PROFILE_UTC, {}, timedelta(hours=1)) == list(PROFILE_UTC)


@pytest.mark.parametrize("hour", [-1, 24])
def test_local_hour_out_of_range(hour: int) -> None:
    """Only 0-23 are hours."""
    with pytest.raises(ValueError, match="0-23"):
        utc_hour_for_local(hour, timedelta(0))
    with pytest.raises(ValueError, match="0-23"):
        patch_local(PROFILE_UTC, {hour: 50}, timedelta(0))


@pytest.mark.parametrize("length", [0, 23, 25])
def test_profile_must_have_24_hours(length: int) -> None:
    """A profile of another length is refused."""
    with pytest.raises(ValueError, match="24 hours"):
        to_local([50.0] * length, timedelta(0))
    with pytest.raises(ValueError, match="24 hours"):
        patch_local([50.0] * length, {}, timedelta(0))


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (timedelta(0), "+00:00"),
        (timedelta(hours=2), "+02:00"),
        (timedelta(hours=-7), "-07:00"),
        (timedelta(hours=-9, minutes=-30), "-09:30"),
        (timedelta(hours=5, minutes=45), "+05:45"),
    ],
)
def test_format_offset(offset: timedelta, text: str) -> None:
    """Offsets are shown as ±HH:MM."""
    assert format_offset(offset) == text


def test_utc_offset_of_naive_datetime_is_zero() -> None:
    """A naive datetime counts as UTC."""
    assert utc_offset(datetime(2025, 1, 1)) == timedelta(0)  # noqa: DTZ001


def test_whole_numbers_as_int() -> None:
    """Whole numbers go on the wire as integers, others unchanged."""
    values = whole_numbers_as_int([60.0, 52.5, 10])
    assert values == [60, 52.5, 10]
    assert [type(value) for value in values] == [int, float, int]


def test_hour_keys() -> None:
    """The action fields are hour_00 … hour_23."""
    assert HOUR_KEYS[0] == "hour_00"
    assert HOUR_KEYS[23] == "hour_23"
    assert len(HOUR_KEYS) == 24
