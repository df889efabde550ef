"""The actions: refresh previous consumption (progress, bad input) and purge."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.components.persistent_notification import (
    _async_get_or_create_notifications,
)
from homeassistant.components.recorder.statistics import (
    list_statistic_ids,
    statistics_during_period,
)
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.recorder import get_instance
from homeassistant.util.yaml import load_yaml_dict
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
import voluptuous as vol

import custom_components.octopus_energy
from custom_components.octopus_energy.api import Account, Agreement, Fuel, Meter
from custom_components.octopus_energy.api.models.account import MeterPoint
from custom_components.octopus_energy.features.consumption.model import previous_day
from custom_components.octopus_energy.features.consumption.statistics import (
    async_import_days,
    statistic_ids,
)
from custom_components.octopus_energy.services import async_setup_services
from custom_components.octopus_energy.timeutil import uk_day_bounds
from scripts.simulator.faults import Fault

from .conftest import OctopusSim
from .consumption_helpers import SetUp, set_up  # noqa: F401
from .rates_helpers import AGILE, GAS, make_meter, utc
from .test_consumption import rates, readings

DOMAIN = "octopus_energy"
REFRESH = "refresh_previous_consumption_data"
PURGE = "purge_invalid_external_statistic_ids"
SENSOR = "sensor.octopus_energy_electricity_22l0000001_1200000000001"
CONSUMPTION = f"{SENSOR}_previous_accumulative_consumption"
STAT = "octopus_energy:electricity_22l0000001_1200000000001"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Any, enable_custom_integrations: Any
) -> None:
    """Start the recorder before `hass` (the shared autouse fixture needs `hass`)."""


async def refresh(hass: HomeAssistant, entity_id: str, start: Any) -> None:
    """Call the refresh action."""
    await hass.services.async_call(
        DOMAIN,
        REFRESH,
        {ATTR_ENTITY_ID: entity_id, "start_date": start},
        blocking=True,
    )


async def test_refresh_imports_day_by_day_with_progress(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    set_up: SetUp,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ten days re-imported in two chunks, sums chained, progress after every day."""
    freezer.move_to(utc(2026, 11, 23, 9))
    async_setup_services(hass)
    await set_up([AGILE])
    await async_wait_recording_done(hass)
    before = octopus_sim.count("octopus.rest.consumption")
    shown: list[str] = []
    create = persistent_notification.async_create

    def spy(hass: HomeAssistant, message: str, **kwargs: Any) -> None:
        shown.append(message)
        create(hass, message, **kwargs)

    monkeypatch.setattr(persistent_notification, "async_create", spy)
    await refresh(hass, CONSUMPTION, "2026-11-13")
    await async_wait_recording_done(hass)

    assert octopus_sim.count("octopus.rest.consumption") == before + 2
    rows = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        uk_day_bounds(date(2026, 11, 13))[0],
        None,
        {f"{STAT}_previous_accumulative_consumption"},
        "hour",
        None,
        {"sum"},
    )
    sums = [row["sum"] for row in rows[f"{STAT}_previous_accumulative_consumption"]]
    assert len(sums) == 10 * 24
    assert sums == sorted(sums)
    assert len(shown) == 1 + 10 + 1
    assert shown[3] == "Meter (electricity): imported 3 of 10 days (up to 2026-11-15)."
    messages = {
        key: value["message"]
        for key, value in _async_get_or_create_notifications(hass).items()
    }
    entry_id = next(iter(hass.config_entries.async_entries(DOMAIN))).entry_id
    assert messages == {
        f"octopus_energy_refresh_{entry_id}_electricity": (
            "Meter (electricity): finished, 10 days imported from 2026-11-13."
        )
    }


async def test_refresh_of_one_day_says_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,  # noqa: F811
) -> None:
    """One day is "1 day" (the plural form is only for other counts)."""
    freezer.move_to(utc(2026, 11, 23, 9))
    async_setup_services(hass)
    await set_up([AGILE])
    await refresh(hass, CONSUMPTION, "2026-11-22")
    messages = [n["message"] for n in _async_get_or_create_notifications(hass).values()]
    assert messages == [
        "Meter (electricity): finished, 1 day imported from 2026-11-22."
    ]


@pytest.mark.parametrize(
    ("start", "key"),
    [("2026-11-23", "start_date_in_future"), ("2024-11-01", "start_date_too_early")],
)
async def test_refresh_rejects_dates(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,  # noqa: F811
    start: str,
    key: str,
) -> None:
    """Future dates and dates over two years ago are translated validation errors."""
    freezer.move_to(utc(2026, 11, 23, 9))
    async_setup_services(hass)
    await set_up([AGILE])
    with pytest.raises(ServiceValidationError) as err:
        await refresh(hass, CONSUMPTION, start)
    assert err.value.translation_key == key
    assert err.value.translation_domain == DOMAIN


@pytest.mark.parametrize("start", ["yesterday", None, "2026-13-01"])
async def test_refresh_schema(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,  # noqa: F811
    start: Any,
) -> None:
    """The field is a required date; typos in field names are refused too."""
    freezer.move_to(utc(2026, 11, 23, 9))
    async_setup_services(hass)
    await set_up([AGILE])
    with pytest.raises(vol.Invalid):
        await refresh(hass, CONSUMPTION, start)
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(
            DOMAIN,
            REFRESH,
            {ATTR_ENTITY_ID: CONSUMPTION, "start_time": "2026-11-01"},
            blocking=True,
        )


async def test_refresh_only_on_consumption_sensors(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,  # noqa: F811
) -> None:
    """Targeting a cost sensor is refused with a translated error."""
    freezer.move_to(utc(2026, 11, 23, 9))
    async_setup_services(hass)
    await set_up([AGILE])
    with pytest.raises(ServiceValidationError) as err:
        await refresh(hass, f"{SENSOR}_previous_accumulative_cost", "2026-11-20")
    assert err.value.translation_key == "entity_not_supported"


async def test_refresh_failure_is_reported(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    set_up: SetUp,  # noqa: F811
) -> None:
    """An API failure stops the refresh with a translated error."""
    freezer.move_to(utc(2026, 11, 23, 9))
    async_setup_services(hass)
    await set_up([GAS])
    octopus_sim.sim.faults.add(
        Fault(kind="server_error", operation="octopus.rest.consumption")
    )
    with pytest.raises(HomeAssistantError) as err:
        await refresh(
            hass,
            "sensor.octopus_energy_gas_g4a0000001_3000000001_previous_accumulative_consumption_m3",
            date(2026, 11, 1),
        )
    assert err.value.translation_key == "refresh_failed"


async def test_purge(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    set_up: SetUp,  # noqa: F811
) -> None:
    """Statistics of meters without an active tariff go, lower-cased, gas kWh too."""
    freezer.move_to(utc(2026, 11, 23, 9))
    async_setup_services(hass)
    entry = await set_up([AGILE])
    old_gas = replace(GAS, serial_number="E6S1234567", mpxn="3000000009")
    old_export = make_meter(export=True)
    old_export = replace(old_export, serial_number="21E7654321", mpxn="1200000000009")
    day = date(2026, 11, 20)
    for meter in (old_gas, old_export, AGILE):
        await async_import_days(
            hass,
            meter,
            [
                previous_day(
                    meter,
                    day,
                    readings(day),
                    rates(day),
                    standing_charge=None,
                    calorific_value=40.0,
                )
            ],
        )
    await async_wait_recording_done(hass)

    ended = Agreement(
        valid_from=datetime(2020, 1, 1, tzinfo=UTC),
        valid_to=datetime(2026, 1, 1, tzinfo=UTC),
        product_code="VAR",
        tariff_code="G-1R-VAR-C",
    )
    active = replace(ended, valid_to=None)

    def point(meter: Any, agreement: Agreement) -> MeterPoint:
        return MeterPoint(
            fuel=meter.fuel,
            mpxn=meter.mpxn,
            direction="EXPORT" if meter.is_export else "IMPORT",
            meters=[
                Meter(
                    serial_number=meter.serial_number,
                    meter_type="S2",
                    model_name=None,
                    consumption_units=None,
                    active_from=None,
                    active_to=None,
                    smart_device=None,
                    export_device=None,
                )
            ],
            agreements=[agreement],
        )

    entry.runtime_data = SimpleNamespace(
        account=SimpleNamespace(
            data=Account(
                number="A-AAAA1111",
                is_octoplus_enrolled=False,
                properties=[],
                electricity_meter_points=[
                    point(AGILE, active),
                    point(old_export, ended),
                ],
                gas_meter_points=[point(old_gas, ended)],
                raw={},
            )
        )
    )

    response = await hass.services.async_call(
        DOMAIN, PURGE, {}, blocking=True, return_response=True
    )
    await async_wait_recording_done(hass)

    expected = sorted(
        statistic_id
        for meter in (old_gas, old_export)
        for statistic_id in statistic_ids(meter, tiers=False)
    )
    assert response == {"statistic_ids": expected}
    assert (
        "octopus_energy:gas_e6s1234567_3000000009_previous_accumulative_consumption_kwh"
        in expected
    )
    left = {
        row["statistic_id"]
        for row in await get_instance(hass).async_add_executor_job(
            list_statistic_ids, hass
        )
        if row["statistic_id"].startswith(f"{DOMAIN}:")
    }
    assert left == set(statistic_ids(AGILE, tiers=False))
    assert Fuel.GAS is old_gas.fuel


async def test_through_the_integration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    octopus_sim: OctopusSim,
    mock_config_entry: Any,
) -> None:
    """Set-up publishes yesterday, imports its statistics; the actions are there."""
    freezer.move_to(utc(2026, 11, 23, 9))
    await hass.config.async_set_time_zone("Europe/London")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)

    state = hass.states.get(CONSUMPTION)
    assert state is not None
    assert float(state.state) > 0
    gas = hass.states.get(
        "sensor.octopus_energy_gas_g4a0000001_3000000001_previous_accumulative_consumption_m3"
    )
    assert gas is not None
    assert float(gas.state) > 0
    assert octopus_sim.count("octopus.rest.consumption") == 3  # one per meter
    ids = {
        row["statistic_id"]
        for row in await get_instance(hass).async_add_executor_job(
            list_statistic_ids, hass
        )
        if row["statistic_id"].startswith(f"{DOMAIN}:")
    }
    assert ids == {
        *statistic_ids(AGILE, tiers=False),
        *statistic_ids(make_meter(export=True), tiers=False),
        *statistic_ids(GAS, tiers=False),
    }

    assert hass.services.has_service(DOMAIN, REFRESH)
    # services.yaml as HA reads it (HA 2026's `async_get_all_descriptions` also
    # validates the core platforms' descriptions, which imports every base
    # component and needs their requirements: conversation, camera, ...)
    descriptions = await hass.async_add_executor_job(
        load_yaml_dict,
        str(Path(custom_components.octopus_energy.__file__).parent / "services.yaml"),
    )
    assert descriptions[REFRESH]["fields"]["start_date"]["required"] is True
    assert "date" in descriptions[REFRESH]["fields"]["start_date"]["selector"]
    assert PURGE in descriptions
    response = await hass.services.async_call(
        DOMAIN, PURGE, {}, blocking=True, return_response=True
    )
    assert response == {"statistic_ids": []}
    await refresh(hass, CONSUMPTION, "2026-11-20")
