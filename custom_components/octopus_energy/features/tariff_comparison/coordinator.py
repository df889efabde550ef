"""The tariff-comparison coordinator: yesterday's consumption at another tariff.

It polls every 30 minutes but asks Octopus only when the account's
previous-consumption coordinator has published a day it has not compared yet:
then one unit-rate request and one standing-charge request for that day at the
compared tariff (at most one pair per compared tariff and day; the result is
stored, so a restart asks nothing). The consumption and the account's client and
settings are looked up at each poll, so an account reload is followed. A failed
request follows the base back-off (1, 5, 15, 30 minutes); the last compared day
stays shown meanwhile.

Each new compared day fires `octopus_energy_elec_previous_consumption_tariff_
comparison_rates` (gas: `octopus_energy_gas_…`) with `mpan`/`mprn`,
`serial_number`, `product_code`, `tariff_code` and `rates`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import HomeAssistant

from ...api import Fuel, OctopusEnergyClient
from ...const import EVENT_PREFIX
from ...coordinator import OctopusEnergyCoordinator
from ...data import OctopusEnergyConfigEntry
from ...entry_kinds import account_runtime
from ...models import ActiveMeter
from ...timeutil import uk_day_bounds
from ..consumption import ConsumptionFeature
from ..rates.fetch import async_fetch_rates, async_fetch_standing_charge
from ..rates.tariff import day_rates_payload, meter_identity
from .model import ComparisonDay, compare, from_stored, to_stored

POLL: Final = timedelta(minutes=30)
CONF_MPAN_MPRN: Final = "mpan_mprn"
CONF_PRODUCT_CODE: Final = "product_code"
CONF_TARIFF_CODE: Final = "tariff_code"


def comparison_event(meter: ActiveMeter) -> str:
    """The community bus event of a meter's comparison rates."""
    fuel = "elec" if meter.fuel is Fuel.ELECTRICITY else "gas"
    return f"{EVENT_PREFIX}_{fuel}_previous_consumption_tariff_comparison_rates"


def compared_meter(
    meter: ActiveMeter, product_code: str, tariff_code: str
) -> ActiveMeter:
    """The meter on the compared tariff (rate paths follow from it)."""
    return replace(meter, product_code=product_code, tariff_code=tariff_code)


class TariffComparisonCoordinator(OctopusEnergyCoordinator[ComparisonDay | None]):
    """The latest compared day of one tariff-comparison entry."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: OctopusEnergyConfigEntry,
        client: OctopusEnergyClient,
        *,
        account_id: str,
        account_entry_id: str,
        meter: ActiveMeter,
        product_code: str,
        tariff_code: str,
    ) -> None:
        """Nothing is fetched before the first refresh."""
        super().__init__(
            hass,
            entry,
            client,
            name=f"{meter.fuel.value}{meter.export_part} tariff comparison",
            update_interval=POLL,
            store_key="tariff_comparison",
        )
        self.account_id = account_id
        self.account_entry_id = account_entry_id
        self.meter = meter
        self.compared = compared_meter(meter, product_code, tariff_code)

    def _from_stored(self, stored: dict[str, Any]) -> ComparisonDay | None:
        data = from_stored(stored)
        if data is None or data.tariff_code != self.compared.tariff_code:
            return None  # reconfigured to another tariff: compare again
        return data

    def _to_stored(self, data: ComparisonDay | None) -> dict[str, Any] | None:
        return None if data is None else to_stored(data)

    def _keep_on_failure(self, now: datetime) -> bool:  # noqa: ARG002
        """The last compared day stays right while the next one is retried."""
        return self.data is not None

    def rates_payload(self) -> dict[str, Any] | None:
        """The comparison-rates event payload of the compared day."""
        return None if self.data is None else self._payload(self.data)

    def _payload(self, data: ComparisonDay) -> dict[str, Any]:
        rates = day_rates_payload(self.compared, data.tariff_code, data.rates)
        return {
            **meter_identity(self.meter),
            "product_code": data.product_code,
            "tariff_code": data.tariff_code,
            "rates": rates["rates"],
        }

    async def _async_fetch(self) -> ComparisonDay | None:
        runtime = account_runtime(self.hass, self.account_id)
        feature = runtime.feature(ConsumptionFeature) if runtime else None
        consumption = feature.by_meter.get(self.meter.key) if feature else None
        previous = consumption.data if consumption else None
        if runtime is None or previous is None:
            return self.data
        if self.data is not None and self.data.day >= previous.day:
            return self.data
        self.client = runtime.client
        start, end = uk_day_bounds(previous.day)
        rates = await async_fetch_rates(
            self.client, self.compared, runtime.settings, start, end
        )
        charge = await async_fetch_standing_charge(
            self.client, self.compared, runtime.settings, previous.day
        )
        data = compare(
            previous,
            product_code=self.compared.product_code,
            tariff_code=self.compared.tariff_code,
            rates=rates,
            standing_charge=charge.value if charge else None,
            history=self.data.history if self.data else {},
        )
        await self.async_save(data)
        self.hass.bus.async_fire(comparison_event(self.meter), self._payload(data))
        return data
