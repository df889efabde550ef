"""Every operation of the Octopus API client, run against the simulator.

The simulator validates each GraphQL document against the reference schema, so a
field or argument the API lacks, or a variable of the wrong type, fails here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
import pytest

from custom_components.octopus_energy.api import (
    ChargeSchedule,
    Fuel,
    OctopusEnergyAuthenticationError,
    OctopusEnergyBoostRefusedError,
    OctopusEnergyClient,
    OctopusEnergyRateLimitError,
    OctopusEnergyServerError,
    RateRegister,
)
from scripts.simulator.faults import Fault
from scripts.simulator.server import Simulator, create_app

pytestmark = pytest.mark.usefixtures("socket_enabled")

API_KEY = "sk_live_simulatorAAAA1111"
ACCOUNT = "A-AAAA1111"
EV = "00000000-0000-0000-0000-00000000ev01"
EUID = "00:00:00:00:00:00:00:a1"
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
AGILE = ("AGILE-24-10-01", "E-1R-AGILE-24-10-01-C")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """No Home Assistant instance is needed."""


@pytest.fixture
def sim() -> Simulator:
    """A simulator frozen at noon UTC."""
    simulator = Simulator()
    simulator.clock.set(NOON, freeze=True)
    return simulator


@pytest.fixture
async def octopus(sim: Simulator) -> AsyncIterator[OctopusEnergyClient]:
    """The client, with both hosts pointed at the simulator."""
    server = TestServer(create_app(sim), host="127.0.0.1")
    await server.start_server()
    root = str(server.make_url("")).rstrip("/")
    async with ClientSession() as session:
        yield OctopusEnergyClient(
            api_key=API_KEY,
            session=session,
            base_url=f"{root}/octopus",
            backend_url=f"{root}/octopus-backend",
            clock=sim.clock.now,
        )
    await server.close()


async def test_account(octopus: OctopusEnergyClient) -> None:
    account = await octopus.get_account(ACCOUNT)
    assert account.is_octoplus_enrolled
    assert [p.id for p in account.properties] == ["1000001"]
    points = {p.mpxn: p for p in account.electricity_meter_points}
    assert points["1200000000002"].direction == "EXPORT"
    meter = points["1200000000001"].meters[0]
    assert meter.smart_device is not None
    assert meter.smart_device.device_id == "00-00-00-00-00-00-E1-01"
    assert [a.tariff_code for a in points["1200000000001"].agreements] == [
        "E-1R-VAR-22-11-01-C",
        "E-1R-AGILE-24-10-01-C",
    ]
    gas = account.gas_meter_points[0]
    assert gas.meters[0].consumption_units == "m³"
    assert gas.agreements[0].product_code == "VAR-22-11-01"


async def test_telemetry(octopus: OctopusEnergyClient) -> None:
    readings = await octopus.get_smart_meter_telemetry(
        ["00-00-00-00-00-00-E1-01", "00-00-00-00-00-00-G1-01"],
        NOON - timedelta(hours=2),
        NOON,
    )
    assert [len(rows) for rows in readings.values()] == [4, 4]
    electricity = readings["00-00-00-00-00-00-E1-01"][0]
    assert electricity.read_at == NOON - timedelta(hours=2)
    assert 0 < (electricity.consumption_delta_kwh or 0) < 2
    assert 0 < (electricity.demand_w or 0) < 3000
    assert electricity.export_kwh


async def test_rest(octopus: OctopusEnergyClient) -> None:
    product = await octopus.get_product(AGILE[0])
    links = product.rate_links(AGILE[1])
    assert set(links) >= {"standard_unit_rates", "standing_charges"}
    day = (NOON.replace(hour=0), NOON.replace(hour=0) + timedelta(days=1))
    # At noon the Agile rates end at 23:00 UK: 46 of today's 48 half hours.
    rates = await octopus.get_rates_from_link(links["standard_unit_rates"], *day)
    assert len(rates) == 46
    rates = await octopus.get_unit_rates(Fuel.ELECTRICITY, *AGILE, *day)
    assert len(rates) == 46
    long = await octopus.get_unit_rates(
        Fuel.ELECTRICITY, *AGILE, day[0] - timedelta(days=10), day[1]
    )
    assert len(long) == 48 * 10 + 46
    night = await octopus.get_unit_rates(
        Fuel.ELECTRICITY,
        "VAR-22-11-01",
        "E-2R-VAR-22-11-01-C",
        *day,
        register=RateRegister.NIGHT,
    )
    assert night
    gas = await octopus.get_unit_rates(
        Fuel.GAS, "VAR-22-11-01", "G-1R-VAR-22-11-01-C", *day
    )
    assert gas
    charges = await octopus.get_standing_charges(Fuel.ELECTRICITY, *AGILE, *day)
    assert charges
    latest = await octopus.get_consumption(
        Fuel.ELECTRICITY, "1200000000001", "22L0000001", page_size=52
    )
    assert len(latest) == 52
    week = await octopus.get_consumption(
        Fuel.GAS,
        "3000000001",
        "G4A0000001",
        period_from=day[0] - timedelta(days=7),
        period_to=day[0],
    )
    assert len(week) == 7 * 48


async def test_intelligent(octopus: OctopusEnergyClient) -> None:
    devices = await octopus.get_intelligent_devices(ACCOUNT)
    assert [device.id for device in devices] == [EV]
    catalogue = await octopus.get_device_catalogue()
    assert catalogue.vehicles[0].battery_size_kwh == 57.5
    assert catalogue.charge_points[0].power_kw == 7.4
    dispatches = await octopus.get_intelligent_dispatches(ACCOUNT, EV)
    assert dispatches.current_state == "SMART_CONTROL_CAPABLE"
    assert dispatches.planned_available
    assert [d.energy_added_kwh for d in dispatches.planned] == [28.5]
    assert {d.delta_kwh for d in dispatches.completed} == {-28.5, -9.0}
    settings = await octopus.get_device_settings(ACCOUNT, EV)
    assert settings.is_suspended is False
    assert settings.schedules[0].max == 80
    assert settings.schedules[0].time == "07:00"
    await octopus.set_device_preferences(
        EV, [ChargeSchedule(day_of_week="MONDAY", time="06:30", min=None, max=90)]
    )
    await octopus.set_charge_target(EV, target_percentage=80, ready_by="07:00")
    await octopus.boost_charge(EV, enable=True)
    with pytest.raises(OctopusEnergyBoostRefusedError):
        await octopus.boost_charge(EV, enable=True)
    await octopus.boost_charge(EV, enable=False)
    await octopus.set_smart_control(EV, enabled=False)
    await octopus.set_smart_control(EV, enabled=True)


async def test_planned_dispatch_error_is_no_data(
    octopus: OctopusEnergyClient, sim: Simulator
) -> None:
    sim.state["octopus"]["account"]["devices"][0]["planned_dispatches_error"] = True
    dispatches = await octopus.get_intelligent_dispatches(ACCOUNT, EV)
    assert not dispatches.planned_available
    assert dispatches.completed


async def test_octoplus(octopus: OctopusEnergyClient) -> None:
    assert await octopus.get_loyalty_points() == 520
    assert await octopus.redeem_loyalty_points(ACCOUNT, 80) == 80
    assert await octopus.get_loyalty_points() == 440
    sessions = await octopus.get_saving_sessions(ACCOUNT)
    assert sessions.has_joined_campaign
    assert sessions.region_id == "C"
    upcoming = [  # Power Down in the account's region (not Power Up, not regional)
        e
        for e in sessions.events
        if e.start > NOON and e.reward_per_kwh_octopoints and e.region_id is None
    ]
    joined = await octopus.join_saving_session(ACCOUNT, upcoming[0].code)
    assert joined == [upcoming[0].code]
    sessions = await octopus.get_saving_sessions(ACCOUNT)
    assert [j.event_id for j in sessions.joined] == [upcoming[0].id]
    spins = await octopus.get_wheel_of_fortune_spins(ACCOUNT)
    assert (spins.electricity, spins.gas) == (2, 1)
    assert await octopus.spin_wheel_of_fortune(ACCOUNT, Fuel.GAS) == 5
    forecast = await octopus.get_greener_nights_forecast()
    assert len(forecast) == 7


async def test_heat_pump(octopus: OctopusEnergyClient) -> None:
    assert await octopus.get_heat_pump_controllers(ACCOUNT, "1000001") == [EUID]
    heat_pump = await octopus.get_heat_pump(ACCOUNT, EUID)
    assert heat_pump.lifetime is not None
    assert heat_pump.live is not None
    without = await octopus.get_heat_pump(ACCOUNT, EUID, lifetime=False)
    assert without.lifetime is None
    assert without.live is not None
    assert await octopus.set_heat_pump_zone_mode(ACCOUNT, EUID, "ZONE_1", "AUTO")
    assert await octopus.set_heat_pump_zone_mode(
        ACCOUNT, EUID, "ZONE_1", "ON", setpoint_c=21.5
    )
    assert await octopus.set_heat_pump_zone_mode(
        ACCOUNT, EUID, "WATER", "BOOST", setpoint_c=55, end_at=NOON + timedelta(hours=1)
    )
    ids = await octopus.set_heat_pump_flow_temperature(
        ACCOUNT,
        EUID,
        weather_compensation=True,
        flow_temperature_c=45,
        weather_compensation_min_c=30,
        weather_compensation_max_c=50,
    )
    assert ids
    assert await octopus.set_heat_pump_hush_mode(ACCOUNT, EUID, enabled=True)


async def test_token_reuse_and_expiry(
    octopus: OctopusEnergyClient, sim: Simulator
) -> None:
    await octopus.get_account(ACCOUNT)
    await octopus.get_loyalty_points()
    assert sim.faults.counts["octopus.token"] == 1
    sim.clock.set(NOON + timedelta(minutes=59, seconds=59), freeze=True)
    await octopus.get_loyalty_points()
    assert sim.faults.counts["octopus.token"] == 1  # each token is used its whole hour
    sim.clock.set(NOON + timedelta(minutes=60, seconds=1), freeze=True)
    await octopus.get_loyalty_points()
    assert sim.faults.counts["octopus.token"] == 2


async def test_errors_map_to_exceptions(
    octopus: OctopusEnergyClient, sim: Simulator
) -> None:
    sim.faults.add(Fault(kind="auth", operation="octopus.token"))
    with pytest.raises(OctopusEnergyAuthenticationError):
        await octopus.get_account(ACCOUNT)
    sim.faults.clear()
    sim.faults.add(Fault(kind="rate_limit", operation="octopus.rest", remaining=1))
    with pytest.raises(OctopusEnergyRateLimitError):
        await octopus.get_product(AGILE[0])
    sim.faults.add(Fault(kind="server_error", operation="octopus.graphql", remaining=1))
    with pytest.raises(OctopusEnergyServerError):
        await octopus.get_greener_nights_forecast()


async def test_intelligent_state_in_one_request(
    octopus: OctopusEnergyClient, sim: Simulator
) -> None:
    """Devices, state, settings, planned (aliases) and completed in one document."""
    discovered = await octopus.get_intelligent_state(ACCOUNT, [])
    assert [d.device.id for d in discovered.devices] == [EV]
    assert discovered.devices[0].planned is None
    assert discovered.devices[0].current_state == "SMART_CONTROL_CAPABLE"
    assert discovered.devices[0].device.is_live_vehicle_charging
    state = await octopus.get_intelligent_state(ACCOUNT, [EV])
    device = state.devices[0]
    assert device.planned is not None
    assert [d.energy_added_kwh for d in device.planned] == [28.5]
    assert device.settings is not None
    assert device.settings.is_suspended is False
    assert device.settings.schedules[0].max == 80
    assert {d.delta_kwh for d in state.completed} == {-28.5, -9.0}
    assert sim.faults.counts["octopus.graphql.IntelligentState"] == 2
    sim.state["octopus"]["account"]["devices"][0]["planned_dispatches_error"] = True
    state = await octopus.get_intelligent_state(ACCOUNT, [EV])
    assert state.devices[0].planned is None
    assert state.completed
