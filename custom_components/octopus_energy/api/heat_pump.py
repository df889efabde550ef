"""Heat-pump (Cosy) operations on the backend host."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import queries
from .graphql import GraphQLBase, iso_utc
from .models import HeatPump, parse_controller_euids
from .models._parse import as_dict, as_dicts, as_str

CELSIUS = "DEGREES_CELSIUS"


def _celsius(value: float) -> dict[str, Any]:
    return {"value": value, "unit": CELSIUS}


class HeatPumpMixin(GraphQLBase):
    """Heat-pump queries and mutations (`euid` is the controller id)."""

    async def get_heat_pump_controllers(
        self, account_number: str, property_id: str
    ) -> list[str]:
        """Return the EUIDs of the heat-pump controllers at one property."""
        data = await self._graphql(
            queries.HEAT_PUMP_CONTROLLERS,
            {"accountNumber": account_number, "propertyId": property_id},
            operation="get_heat_pump_controllers",
            backend=True,
        )
        return parse_controller_euids(data)

    async def get_heat_pump(
        self, account_number: str, euid: str, *, lifetime: bool = True
    ) -> HeatPump:
        """Return status, configuration, live and lifetime performance at once.

        With `lifetime=False` the lifetime figures are not asked for (None).
        """
        data = await self._graphql(
            queries.HEAT_PUMP,
            {"accountNumber": account_number, "euid": euid, "lifetime": lifetime},
            operation="get_heat_pump",
            backend=True,
        )
        return HeatPump.from_dict(data)

    async def set_heat_pump_zone_mode(
        self,
        account_number: str,
        euid: str,
        zone: str,
        mode: str,
        *,
        setpoint_c: float | None = None,
        end_at: datetime | None = None,
    ) -> str | None:
        """Set a zone to `ON`, `OFF`, `AUTO` or `BOOST` (boost needs `end_at`).

        Returns the transaction id.
        """
        parameters: dict[str, Any] = {"zone": zone, "mode": mode}
        if setpoint_c is not None:
            parameters["setpointInCelsius"] = setpoint_c
        if end_at is not None:
            parameters["endAt"] = iso_utc(end_at)
        data = await self._graphql(
            queries.HEAT_PUMP_SET_ZONE_MODE,
            {
                "accountNumber": account_number,
                "euid": euid,
                "operationParameters": parameters,
            },
            operation="set_heat_pump_zone_mode",
            backend=True,
        )
        return as_str(as_dict(data.get("heatPumpSetZoneMode")).get("transactionId"))

    async def set_heat_pump_flow_temperature(
        self,
        account_number: str,
        euid: str,
        *,
        weather_compensation: bool,
        flow_temperature_c: float,
        weather_compensation_min_c: float,
        weather_compensation_max_c: float,
    ) -> list[str]:
        """Set the fixed flow temperature and the weather-compensation range (°C).

        Returns the transaction ids.
        """
        flow_input = {
            "useWeatherCompensation": weather_compensation,
            "flowTemperature": _celsius(flow_temperature_c),
            "weatherCompensationValues": {
                "minimum": _celsius(weather_compensation_min_c),
                "maximum": _celsius(weather_compensation_max_c),
            },
        }
        data = await self._graphql(
            queries.HEAT_PUMP_FLOW_TEMPERATURE,
            {
                "accountNumber": account_number,
                "euid": euid,
                "flowTemperatureInput": flow_input,
            },
            operation="set_heat_pump_flow_temperature",
            backend=True,
        )
        result = as_dict(data.get("heatPumpUpdateFlowTemperatureConfiguration"))
        return [
            transaction
            for item in as_dicts(result.get("transactionIds"))
            if (transaction := as_str(item.get("transactionId")))
        ]

    async def set_heat_pump_hush_mode(
        self, account_number: str, euid: str, *, enabled: bool
    ) -> str | None:
        """Turn hush (quieter) mode on or off; return the transaction id."""
        data = await self._graphql(
            queries.HEAT_PUMP_SET_HUSH_MODE,
            {"accountNumber": account_number, "euid": euid, "hushModeEnabled": enabled},
            operation="set_heat_pump_hush_mode",
            backend=True,
        )
        return as_str(as_dict(data.get("heatPumpSetHushMode")).get("transactionId"))
