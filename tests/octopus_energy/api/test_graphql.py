"""Every GraphQL operation at the HTTP level: host, variables, parsing."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from custom_components.octopus_energy.api import (
    ChargeSchedule,
    Fuel,
    OctopusEnergyBoostRefusedError,
    OctopusEnergyClient,
    OctopusEnergyNotFoundError,
    OctopusEnergyResponseError,
)

from .conftest import ACCOUNT, BACKEND_URL, GRAPHQL_URL, GraphQLRouter, load_json

DEVICE = "00000000-0002-4000-8020-000000000001"
EUID = "00:1e:5e:09:02:ba:5d:84"
T0 = datetime(2026, 1, 10, tzinfo=UTC)
T1 = datetime(2026, 1, 11, tzinfo=UTC)


async def test_get_account(client: OctopusEnergyClient, authed: GraphQLRouter) -> None:
    """The account query is parsed into meter points, meters and agreements."""
    authed.add("Account", load_json("account.json"))
    account = await client.get_account(ACCOUNT)
    call = authed.last("Account")
    assert call.url == GRAPHQL_URL
    assert call.variables == {"accountNumber": ACCOUNT}
    assert account.number == ACCOUNT
    assert account.is_octoplus_enrolled
    assert [p.id for p in account.properties] == ["123456", "654321"]
    assert account.properties[0].is_occupied(T0)
    assert not account.properties[1].is_occupied(T0)
    imp, exp = account.electricity_meter_points
    assert (imp.mpxn, imp.is_export, exp.is_export) == ("1100000000001", False, True)
    meter = imp.meters[0]
    assert meter.serial_number == "21E0000001"
    assert meter.is_smart
    assert meter.smart_device is not None
    assert meter.smart_device.device_id == "00-00-00-00-00-00-00-01"
    assert meter.active_from == datetime(2021, 1, 1, tzinfo=UTC)
    agreement = imp.active_agreement(T0)
    assert agreement is not None
    assert agreement.tariff_code == "E-1R-AGILE-24-10-01-C"
    assert imp.active_agreement(datetime(2020, 1, 1, tzinfo=UTC)) is None
    assert len(exp.meters) == 1
    (gas,) = account.gas_meter_points
    assert gas.fuel is Fuel.GAS
    assert gas.meters[0].consumption_units == "m³"
    assert gas.meters[0].is_smart
    assert gas.agreements[0].product_code == "VAR-22-11-01"
    assert account.raw["account"]["electricityAgreements"]


async def test_get_account_missing(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """A null account is a not-found error."""
    authed.add("Account", {"account": None, "properties": None})
    with pytest.raises(OctopusEnergyNotFoundError) as info:
        await client.get_account(ACCOUNT)
    assert ACCOUNT not in str(info.value)


async def test_telemetry_for_several_devices(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Several Home Mini devices share one request; Wh become kWh."""
    reading = {
        "readAt": "2026-01-10T10:30:00+00:00",
        "consumption": "1500.0",
        "consumptionDelta": "250",
        "demand": "420.0",
        "export": None,
        "costDelta": "1.2",
    }
    earlier = reading | {"readAt": "2026-01-10T10:00:00+00:00"}
    authed.add("SmartMeterTelemetry", {"d0": [reading, earlier, {}], "d1": None})
    result = await client.get_smart_meter_telemetry(["dev-a", "dev-b"], T0, T1)
    call = authed.last("SmartMeterTelemetry")
    assert call.variables == {
        "deviceId0": "dev-a",
        "deviceId1": "dev-b",
        "start": "2026-01-10T00:00:00Z",
        "end": "2026-01-11T00:00:00Z",
    }
    first, second = result["dev-a"]
    assert first.read_at < second.read_at
    assert second.consumption_kwh == 1.5
    assert second.consumption_delta_kwh == 0.25
    assert second.demand_w == 420
    assert second.export_kwh is None
    assert result["dev-b"] == []
    assert client.request_counter.by_operation()["get_smart_meter_telemetry"] == 1


async def test_telemetry_without_devices(client: OctopusEnergyClient) -> None:
    """No devices, no request."""
    assert await client.get_smart_meter_telemetry([], T0, T1) == {}
    assert client.request_counter.total == 0


async def test_intelligent_devices_and_catalogue(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Devices and the make/model catalogue are separate, cacheable calls."""
    authed.add(
        "IntelligentDevices",
        {
            "devices": [
                {
                    "id": DEVICE,
                    "provider": "TESLA",
                    "deviceType": "ELECTRIC_VEHICLES",
                    "status": {"current": "LIVE"},
                    "__typename": "SmartFlexVehicle",
                    "make": "Tesla",
                    "model": "Model 3",
                },
                {
                    "id": "cp-1",
                    "deviceType": "CHARGE_POINTS",
                    "status": {"current": "ONBOARDING"},
                    "__typename": "SmartFlexChargePoint",
                    "make": "Ohme",
                    "model": "Home Pro",
                },
                {"id": None},
            ]
        },
    )
    devices = await client.get_intelligent_devices(ACCOUNT)
    assert [d.id for d in devices] == [DEVICE, "cp-1"]
    vehicle, charger = devices
    assert vehicle.is_live_vehicle_charging
    assert not vehicle.is_charge_point
    assert charger.is_charge_point
    assert not charger.is_live_vehicle_charging
    authed.add(
        "DeviceCatalogue",
        {
            "electricVehicles": [
                {"make": "Tesla", "models": [{"model": "Model 3", "batterySize": 60}]}
            ],
            "chargePointVariants": [
                {"make": "Ohme", "models": [{"model": "Home Pro", "powerInKw": "7.4"}]},
                {"make": None, "models": []},
            ],
        },
    )
    catalogue = await client.get_device_catalogue()
    found = catalogue.find(vehicle)
    assert found is not None
    assert found.battery_size_kwh == 60
    charger_model = catalogue.find(charger)
    assert charger_model is not None
    assert charger_model.power_kw == 7.4
    assert authed.last("DeviceCatalogue").variables == {}


async def test_dispatches(client: OctopusEnergyClient, authed: GraphQLRouter) -> None:
    """Planned and completed dispatches are parsed and sorted."""
    authed.add(
        "IntelligentDispatches",
        {
            "devices": [{"id": DEVICE, "status": {"currentState": "SMART_CONTROL"}}],
            "flexPlannedDispatches": [
                {
                    "start": "2026-01-10T03:00:00+00:00",
                    "end": "2026-01-10T04:00:00+00:00",
                    "type": "SMART",
                    "energyAddedKwh": "-7.5",
                },
                {
                    "start": "2026-01-10T01:00:00+00:00",
                    "end": "2026-01-10T02:00:00+00:00",
                    "type": "BOOST",
                },
                {"start": None},
            ],
            "completedDispatches": [
                {
                    "start": "2026-01-09T01:00:00+00:00",
                    "end": "2026-01-09T01:30:00+00:00",
                    "delta": "-3.1",
                    "meta": {"source": "smart-charge", "location": "AT_HOME"},
                },
                {"end": "2026-01-09T01:30:00+00:00"},
            ],
        },
    )
    dispatches = await client.get_intelligent_dispatches(ACCOUNT, DEVICE)
    assert authed.last("IntelligentDispatches").variables == {
        "accountNumber": ACCOUNT,
        "deviceId": DEVICE,
    }
    assert dispatches.current_state == "SMART_CONTROL"
    assert dispatches.planned_available
    assert [d.type for d in dispatches.planned] == ["BOOST", "SMART"]
    assert dispatches.planned[1].energy_added_kwh == -7.5
    (done,) = dispatches.completed
    assert (done.delta_kwh, done.source, done.location) == (
        -3.1,
        "smart-charge",
        "AT_HOME",
    )


async def test_dispatches_no_data_code_is_not_an_error(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """KT-CT-4340 on planned dispatches means "no data"."""
    authed.add(
        "IntelligentDispatches",
        {"devices": [], "flexPlannedDispatches": None, "completedDispatches": []},
        errors=[
            {
                "message": "Unable to get dispatches.",
                "path": ["flexPlannedDispatches"],
                "extensions": {"errorCode": "KT-CT-4340"},
            }
        ],
    )
    dispatches = await client.get_intelligent_dispatches(ACCOUNT, DEVICE)
    assert not dispatches.planned_available
    assert dispatches.planned == []
    assert dispatches.current_state is None


async def test_dispatches_no_data_at_all(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """KT-CT-4340 with `data: null` is still "no data", not an error."""
    authed.add(
        "IntelligentDispatches",
        None,
        errors=[{"extensions": {"errorCode": "KT-CT-4340"}}],
    )
    dispatches = await client.get_intelligent_dispatches(ACCOUNT, DEVICE)
    assert not dispatches.planned_available
    assert dispatches.completed == []


async def test_dispatches_other_code_is_an_error(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Other codes next to KT-CT-4340 still raise, with every code kept."""
    authed.add(
        "IntelligentDispatches",
        None,
        errors=[
            {"extensions": {"errorCode": "KT-CT-4340"}},
            {"extensions": {"errorCode": "KT-CT-4301"}},
        ],
    )
    with pytest.raises(OctopusEnergyResponseError) as info:
        await client.get_intelligent_dispatches(ACCOUNT, DEVICE)
    assert info.value.codes == ("KT-CT-4340", "KT-CT-4301")


async def test_device_settings(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Charging preferences and suspension state are parsed."""
    authed.add(
        "DeviceSettings",
        {
            "devices": [
                {
                    "id": DEVICE,
                    "status": {"isSuspended": False},
                    "preferences": {
                        "targetType": "ABSOLUTE_STATE_OF_CHARGE",
                        "unit": "PERCENTAGE",
                        "mode": "CHARGE",
                        "schedules": [
                            {
                                "dayOfWeek": "MONDAY",
                                "time": "07:30",
                                "min": 20,
                                "max": "80",
                                "upperLimit": None,
                            },
                            {"dayOfWeek": None},
                        ],
                    },
                }
            ]
        },
    )
    settings = await client.get_device_settings(ACCOUNT, DEVICE)
    assert settings.is_suspended is False
    assert settings.mode == "CHARGE"
    (monday,) = settings.schedules
    assert (monday.time, monday.min, monday.max) == ("07:30", 20, 80)


async def test_device_settings_unknown_device(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """No device in the answer is a not-found error."""
    authed.add("DeviceSettings", {"devices": []})
    with pytest.raises(OctopusEnergyNotFoundError):
        await client.get_device_settings(ACCOUNT, DEVICE)


async def test_set_charge_target(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """The target is written for every day with an HH:MM time, without a re-read."""
    authed.add("SetDevicePreferences", {"setDevicePreferences": {"id": DEVICE}})
    await client.set_charge_target(DEVICE, target_percentage=80, ready_by=time(7, 30))
    call = authed.last("SetDevicePreferences")
    data = call.variables["input"]
    assert data["deviceId"] == DEVICE
    assert (data["mode"], data["unit"]) == ("CHARGE", "PERCENTAGE")
    assert len(data["schedules"]) == 7
    assert data["schedules"][0] == {"dayOfWeek": "MONDAY", "time": "07:30", "max": 80}
    assert authed.operations() == ["ObtainKrakenToken", "SetDevicePreferences"]


async def test_set_device_preferences(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Explicit schedules keep fractional limits and accept ISO time strings."""
    authed.add("SetDevicePreferences", {"setDevicePreferences": {"id": DEVICE}})
    await client.set_device_preferences(
        DEVICE,
        [
            ChargeSchedule(day_of_week="SUNDAY", time="23:00:00", min=10, max=75.5),
            ChargeSchedule(day_of_week="MONDAY", time=None, min=None, max=None),
        ],
    )
    schedules = authed.last("SetDevicePreferences").variables["input"]["schedules"]
    assert schedules == [
        {"dayOfWeek": "SUNDAY", "time": "23:00", "max": 75.5, "min": 10},
        {"dayOfWeek": "MONDAY"},
    ]


@pytest.mark.parametrize(("enable", "action"), [(True, "BOOST"), (False, "CANCEL")])
async def test_boost_charge(
    client: OctopusEnergyClient, authed: GraphQLRouter, enable: bool, action: str
) -> None:
    """Boost charge sends BOOST or CANCEL."""
    authed.add("UpdateBoostCharge", {"updateBoostCharge": {"id": DEVICE}})
    await client.boost_charge(DEVICE, enable=enable)
    assert authed.last("UpdateBoostCharge").variables == {
        "input": {"deviceId": DEVICE, "action": action}
    }


async def test_boost_charge_refused(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Refusal reasons arrive in the error extensions."""
    authed.add(
        "UpdateBoostCharge",
        {"updateBoostCharge": None},
        errors=[
            {
                "message": "Boost charge refused.",
                "extensions": {
                    "errorCode": "KT-CT-4357",
                    "boostChargeRefusalReasons": ["BC_DEVICE_NOT_AT_HOME"],
                },
            }
        ],
    )
    with pytest.raises(OctopusEnergyBoostRefusedError) as info:
        await client.boost_charge(DEVICE, enable=True)
    assert info.value.reasons == ("BC_DEVICE_NOT_AT_HOME",)
    assert info.value.codes == ("KT-CT-4357",)


@pytest.mark.parametrize(
    ("enabled", "action"), [(True, "UNSUSPEND"), (False, "SUSPEND")]
)
async def test_smart_control(
    client: OctopusEnergyClient, authed: GraphQLRouter, enabled: bool, action: str
) -> None:
    """Smart control sends UNSUSPEND or SUSPEND."""
    authed.add("UpdateDeviceSmartControl", {"updateDeviceSmartControl": {"id": "x"}})
    await client.set_smart_control(DEVICE, enabled=enabled)
    assert authed.last("UpdateDeviceSmartControl").variables["input"] == {
        "deviceId": DEVICE,
        "action": action,
    }


async def test_loyalty_points(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """The first ledger's balance is the balance; no ledger means 0."""
    authed.add("LoyaltyPoints", {"loyaltyPointLedgers": [{"balanceCarriedForward": 5}]})
    authed.add("LoyaltyPoints", {"loyaltyPointLedgers": []})
    assert await client.get_loyalty_points() == 5
    assert await client.get_loyalty_points() == 0


async def test_redeem_loyalty_points(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Redeeming sends account and points as variables."""
    authed.add(
        "RedeemLoyaltyPoints",
        {"redeemLoyaltyPointsForAccountCredit": {"pointsRedeemed": 800}},
    )
    assert await client.redeem_loyalty_points(ACCOUNT, 800) == 800
    assert authed.last("RedeemLoyaltyPoints").variables == {
        "accountNumber": ACCOUNT,
        "points": 800,
    }


async def test_saving_sessions(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Saving sessions come from the backend host."""
    authed.add(
        "SavingSessions",
        {
            "savingSessions": {
                "events": [
                    {
                        "id": 123,
                        "code": "EVENT_1",
                        "rewardPerKwhInOctoPoints": 1800,
                        "startAt": "2026-01-12T17:00:00+00:00",
                        "endAt": "2026-01-12T18:00:00+00:00",
                        "devEvent": False,
                        "targetRegion": {"regionId": "C"},
                        "eventType": "POWER_DOWN",
                    },
                    {"id": None},
                ],
                "account": {
                    "signedUpMeterPoint": {"regionId": "C"},
                    "hasJoinedCampaign": True,
                    "joinedEvents": [
                        {
                            "eventId": 99,
                            "startAt": "2026-01-05T17:00:00+00:00",
                            "endAt": "2026-01-05T18:00:00+00:00",
                            "rewardGivenInOctoPoints": 640,
                        },
                        {"eventId": 98},
                    ],
                },
            }
        },
    )
    sessions = await client.get_saving_sessions(ACCOUNT)
    assert authed.last("SavingSessions").url == BACKEND_URL
    assert sessions.has_joined_campaign
    assert sessions.region_id == "C"
    (event,) = sessions.events
    assert (event.id, event.code, event.reward_per_kwh_octopoints) == (
        "123",
        "EVENT_1",
        1800,
    )
    assert event.region_id == "C"
    assert not event.is_dev_event
    (joined,) = sessions.joined
    assert (joined.event_id, joined.reward_octopoints) == ("99", 640)


async def test_join_saving_session(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Joining sends account and event code; the joined codes come back."""
    authed.add(
        "JoinSavingSessionsEvent",
        {"joinSavingSessionsEvent": {"joinedEventCodes": ["EVENT_1"]}},
    )
    assert await client.join_saving_session(ACCOUNT, "EVENT_1") == ["EVENT_1"]
    call = authed.last("JoinSavingSessionsEvent")
    assert call.url == BACKEND_URL
    assert call.variables == {
        "input": {"accountNumber": ACCOUNT, "eventCode": "EVENT_1"}
    }
    authed.add("JoinSavingSessionsEvent", {"joinSavingSessionsEvent": None})
    assert await client.join_saving_session(ACCOUNT, "EVENT_1") == []


async def test_wheel_of_fortune(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Spins per supply, and spinning returns the prize in pence."""
    authed.add(
        "WheelOfFortuneSpins",
        {"electricity": {"spinsAllowed": 2}, "gas": {"spinsAllowed": None}},
    )
    spins = await client.get_wheel_of_fortune_spins(ACCOUNT)
    assert (spins.electricity, spins.gas) == (2, 0)
    assert authed.last("WheelOfFortuneSpins").url == BACKEND_URL
    authed.add("SpinWheelOfFortune", {"spinWheelOfFortune": {"prize": {"value": 25}}})
    assert await client.spin_wheel_of_fortune(ACCOUNT, Fuel.GAS) == 25
    assert authed.last("SpinWheelOfFortune").variables == {
        "input": {"accountNumber": ACCOUNT, "fuelType": "GAS"}
    }
    authed.add("SpinWheelOfFortune", {"spinWheelOfFortune": None})
    assert await client.spin_wheel_of_fortune(ACCOUNT, Fuel.ELECTRICITY) == 0


async def test_greener_nights(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """The forecast is sorted by date; unknown index values are kept."""
    authed.add(
        "GreenerNightsForecast",
        {
            "greenerNightsForecast": [
                {
                    "date": "2026-01-11",
                    "isGreenerNight": False,
                    "greennessScore": 40,
                    "greennessIndex": "BRAND_NEW",
                },
                {
                    "date": "2026-01-10",
                    "isGreenerNight": True,
                    "greennessScore": 90,
                    "greennessIndex": "HIGH",
                },
                {"date": "soon"},
            ]
        },
    )
    nights = await client.get_greener_nights_forecast()
    assert [n.date.day for n in nights] == [10, 11]
    assert nights[0].is_greener_night
    assert nights[1].greenness_index == "BRAND_NEW"


async def test_heat_pump_controllers(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Controllers are looked up per property."""
    authed.add(
        "HeatPumpControllers",
        {
            "heatPumpControllersAtLocation": [
                {"controller": {"euid": EUID}},
                {"controller": None},
            ]
        },
    )
    assert await client.get_heat_pump_controllers(ACCOUNT, "123456") == [EUID]
    call = authed.last("HeatPumpControllers")
    assert call.url == BACKEND_URL
    assert call.variables == {"accountNumber": ACCOUNT, "propertyId": "123456"}


async def test_heat_pump(client: OctopusEnergyClient, authed: GraphQLRouter) -> None:
    """Status, configuration and performance come from one backend request."""
    authed.add("HeatPump", load_json("heat_pump.json"))
    heat_pump = await client.get_heat_pump(ACCOUNT, EUID)
    assert authed.last("HeatPump").variables == {
        "accountNumber": ACCOUNT,
        "euid": EUID,
        "lifetime": True,
    }
    (sensor,) = heat_pump.sensors
    assert (sensor.code, sensor.online, sensor.temperature_c) == (
        "SENSOR01",
        True,
        19.5,
    )
    assert sensor.humidity_percentage == 48
    zone1, water = heat_pump.zones
    assert (zone1.zone, zone1.setpoint_c, zone1.relay_switched_on) == (
        "ZONE_1",
        20,
        True,
    )
    assert water.mode == "SOME_NEW_MODE"
    config = heat_pump.configuration
    assert config.controller_state == ["NORMAL_MODE"]
    assert config.serial_number == "HP000001"
    assert config.flow_temperature is not None
    assert config.flow_temperature.value == 45
    assert config.flow_temperature_max is not None
    assert config.flow_temperature_max.value == 70
    assert config.weather_compensation_enabled
    assert config.weather_compensation_min is not None
    assert config.weather_compensation_min.value == 35
    (zone,) = config.zones
    assert (zone.mode, zone.setpoint_c, zone.display_name) == (
        "BOOST",
        22,
        "Downstairs",
    )
    assert [s.code for s in zone.sensors] == ["ADC1", "SENSOR01"]
    assert zone.sensors[1].firmware_version == "0x1"
    assert heat_pump.live is not None
    assert heat_pump.live.coefficient_of_performance == 3.5
    assert heat_pump.live.energy_or_power_input is not None
    assert heat_pump.live.energy_or_power_input.unit == "KILOWATT"
    assert heat_pump.lifetime is not None
    assert heat_pump.lifetime.coefficient_of_performance == 3.9
    assert heat_pump.lifetime.outdoor_temperature is None


async def test_heat_pump_sparse(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """A heat pump answer with nulls still parses."""
    authed.add(
        "HeatPump",
        {
            "heatPumpControllerStatus": None,
            "heatPumpControllerConfiguration": {"controller": {"state": None}},
            "heatPumpLivePerformance": None,
            "heatPumpLifetimePerformance": None,
        },
    )
    heat_pump = await client.get_heat_pump(ACCOUNT, EUID)
    assert heat_pump.sensors == []
    assert heat_pump.configuration.controller_state == []
    assert heat_pump.configuration.flow_temperature is None
    assert heat_pump.live is None


async def test_heat_pump_zone_mode(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Zone mode: plain, with a setpoint, and a boost with an end time."""
    authed.add(
        "HeatPumpSetZoneMode",
        {"heatPumpSetZoneMode": {"transactionId": "tx-1"}},
        repeat=True,
    )
    assert (
        await client.set_heat_pump_zone_mode(ACCOUNT, EUID, "ZONE_1", "OFF") == "tx-1"
    )
    assert authed.last("HeatPumpSetZoneMode").variables == {
        "accountNumber": ACCOUNT,
        "euid": EUID,
        "operationParameters": {"zone": "ZONE_1", "mode": "OFF"},
    }
    await client.set_heat_pump_zone_mode(
        ACCOUNT,
        EUID,
        "WATER",
        "BOOST",
        setpoint_c=50.0,
        end_at=datetime(2026, 1, 10, 13, 0, tzinfo=UTC),
    )
    assert authed.last("HeatPumpSetZoneMode").variables["operationParameters"] == {
        "zone": "WATER",
        "mode": "BOOST",
        "setpointInCelsius": 50.0,
        "endAt": "2026-01-10T13:00:00Z",
    }


async def test_heat_pump_flow_temperature(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Flow temperature and weather compensation go in one input object."""
    authed.add(
        "HeatPumpUpdateFlowTemperatureConfiguration",
        {
            "heatPumpUpdateFlowTemperatureConfiguration": {
                "transactionIds": [
                    {"attributeName": "flow", "transactionId": "tx-2"},
                    {"attributeName": "wc", "transactionId": None},
                ]
            }
        },
    )
    result = await client.set_heat_pump_flow_temperature(
        ACCOUNT,
        EUID,
        weather_compensation=True,
        flow_temperature_c=45.0,
        weather_compensation_min_c=30.0,
        weather_compensation_max_c=55.0,
    )
    assert result == ["tx-2"]
    variables = authed.last("HeatPumpUpdateFlowTemperatureConfiguration").variables
    assert variables["flowTemperatureInput"] == {
        "useWeatherCompensation": True,
        "flowTemperature": {"value": 45.0, "unit": "DEGREES_CELSIUS"},
        "weatherCompensationValues": {
            "minimum": {"value": 30.0, "unit": "DEGREES_CELSIUS"},
            "maximum": {"value": 55.0, "unit": "DEGREES_CELSIUS"},
        },
    }


async def test_heat_pump_hush_mode(
    client: OctopusEnergyClient, authed: GraphQLRouter
) -> None:
    """Hush mode sends a boolean variable."""
    authed.add("HeatPumpSetHushMode", {"heatPumpSetHushMode": {"transactionId": "t"}})
    assert await client.set_heat_pump_hush_mode(ACCOUNT, EUID, enabled=True) == "t"
    assert authed.last("HeatPumpSetHushMode").variables["hushModeEnabled"] is True
    assert authed.last("HeatPumpSetHushMode").url == BACKEND_URL
