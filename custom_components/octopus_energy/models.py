"""Integration-level models shared by the coordinators and entities."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .api import Fuel
from .const import (
    CONF_CALORIFIC_VALUE,
    CONF_ELECTRICITY_PRICE_CAP,
    CONF_FAVOUR_DIRECT_DEBIT_RATES,
    CONF_GAS_PRICE_CAP,
    CONF_HOME_MINI_SETTINGS,
    CONF_LIVE_ELECTRICITY_REFRESH,
    CONF_LIVE_GAS_REFRESH,
    CONF_PRICE_CAP_SETTINGS,
    CONF_SUPPORTS_LIVE_CONSUMPTION,
    DEFAULT_CALORIFIC_VALUE,
    DEFAULT_LIVE_ELECTRICITY_REFRESH,
    DEFAULT_LIVE_GAS_REFRESH,
    FEATURE_OPTION_PREFIX,
)


@dataclass(frozen=True, kw_only=True)
class AccountSettings:
    """The account's settings: entry data (community layout) overlaid by options."""

    calorific_value: float = DEFAULT_CALORIFIC_VALUE
    favour_direct_debit_rates: bool = True
    electricity_price_cap: float | None = None  # pence/kWh
    gas_price_cap: float | None = None  # pence/kWh
    live_consumption: bool = False
    live_electricity_refresh_minutes: int = DEFAULT_LIVE_ELECTRICITY_REFRESH
    live_gas_refresh_minutes: int = DEFAULT_LIVE_GAS_REFRESH
    feature_switches: Mapping[str, bool] = field(default_factory=dict)
    """Options switches of the features (`feature_*`); a missing one is on."""

    def feature_enabled(self, option: str | None) -> bool:
        """Whether the options switch of a feature is on (None: always on)."""
        return option is None or self.feature_switches.get(option, True)

    def price_cap(self, fuel: Fuel) -> float | None:
        """The configured cap (pence/kWh) of a fuel."""
        return (
            self.electricity_price_cap
            if fuel is Fuel.ELECTRICITY
            else self.gas_price_cap
        )

    @classmethod
    def from_entry(
        cls, data: Mapping[str, Any], options: Mapping[str, Any]
    ) -> AccountSettings:
        """Read the settings; options (this integration's options flow) win."""
        merged = {**data, **options}
        home_mini = {
            **data.get(CONF_HOME_MINI_SETTINGS, {}),
            **options.get(CONF_HOME_MINI_SETTINGS, {}),
        }
        caps = {
            **data.get(CONF_PRICE_CAP_SETTINGS, {}),
            **options.get(CONF_PRICE_CAP_SETTINGS, {}),
        }
        return cls(
            calorific_value=float(
                merged.get(CONF_CALORIFIC_VALUE) or DEFAULT_CALORIFIC_VALUE
            ),
            favour_direct_debit_rates=bool(
                merged.get(CONF_FAVOUR_DIRECT_DEBIT_RATES, True)
            ),
            electricity_price_cap=caps.get(CONF_ELECTRICITY_PRICE_CAP),
            gas_price_cap=caps.get(CONF_GAS_PRICE_CAP),
            live_consumption=bool(home_mini.get(CONF_SUPPORTS_LIVE_CONSUMPTION, False)),
            live_electricity_refresh_minutes=int(
                home_mini.get(CONF_LIVE_ELECTRICITY_REFRESH)
                or DEFAULT_LIVE_ELECTRICITY_REFRESH
            ),
            live_gas_refresh_minutes=int(
                home_mini.get(CONF_LIVE_GAS_REFRESH) or DEFAULT_LIVE_GAS_REFRESH
            ),
            feature_switches={
                key: bool(value)
                for key, value in merged.items()
                if key.startswith(FEATURE_OPTION_PREFIX)
            },
        )


@dataclass(frozen=True, kw_only=True)
class ActiveMeter:
    """One (meter point, meter) pair with a tariff active now: the unit of entities.

    Identifiers keep the API's case and punctuation (they build unique ids).
    """

    fuel: Fuel
    mpxn: str
    serial_number: str
    is_export: bool
    is_smart: bool
    product_code: str
    tariff_code: str
    home_mini_device_id: str | None
    manufacturer: str | None
    model: str | None
    firmware_version: str | None
    consumption_units: str | None  # gas: "m³" or "kWh" as the meter reports

    @property
    def key(self) -> str:
        """A stable key within the account: `{fuel}_{serial}_{mpxn}[_export]`."""
        export = "_export" if self.is_export else ""
        return f"{self.fuel.value}_{self.serial_number}_{self.mpxn}{export}"

    @property
    def device_identifier(self) -> str:
        """The device identifier: `electricity_{SN}_{MPAN}` or `gas_{SN}_{MPRN}`."""
        return f"{self.fuel.value}_{self.serial_number}_{self.mpxn}"

    @property
    def unique_id_prefix(self) -> str:
        """`octopus_energy_{fuel}_{SN}_{MPXN}` (entities add `_export` themselves)."""
        return f"octopus_energy_{self.device_identifier}"

    @property
    def export_part(self) -> str:
        """`_export` for export meters, else empty (as in community unique ids)."""
        return "_export" if self.is_export else ""


@dataclass(frozen=True, kw_only=True)
class RateSlot:
    """One half hour at one price: GBP/kWh including VAT (after the price cap)."""

    start: datetime
    end: datetime
    value: float
    is_capped: bool = False
    is_intelligent_adjusted: bool = False
    tariff_code: str = ""
    """The tariff the price belongs to (rates follow the agreement at each time)."""


@dataclass(frozen=True, kw_only=True)
class StandingCharge:
    """A standing charge in GBP/day including VAT, valid from `start` to `end`."""

    value: float
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True, kw_only=True)
class MeterRates:
    """What the rates coordinator knows about one meter's tariff."""

    tariff_code: str
    slots: tuple[RateSlot, ...]
    """Half-hour slots, sorted, usually from yesterday 00:00 (UK) to the end of
    tomorrow when Octopus has published it."""
    standing_charge: StandingCharge | None
    standing_charge_day: date | None
