"""Config-flow steps of tariff comparisons (octopus-energy.md B.1.7).

`tariff_comparison_account` → `tariff_comparison` creates an entry titled
`<name> (tariff comparison)`; `reconfigure_tariff_comparison` edits it. The form
asks for a name, a meter point of the account and a product and tariff code;
today's rates of that tariff are requested once to check it. Errors:
`invalid_tracker_name`, `duplicate_comparison_name` (on the same meter point the
unique ids would collide), `invalid_product_or_tariff` (unknown, or no rates),
`cannot_connect`.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from homeassistant.config_entries import ConfigFlowResult
from homeassistant.helpers.selector import SelectOptionDict, TextSelector
from homeassistant.util import dt as dt_util
import voluptuous as vol

from ...api import Fuel, OctopusEnergyError, OctopusEnergyNotFoundError
from ...child_flow import NAME_PATTERN, ChildEntryFlow, dropdown
from ...compat import form_schema
from ...const import CONF_ACCOUNT_ID, KIND_TARIFF_COMPARISON
from ...data import OctopusEnergyData
from ...entry_kinds import entry_kind, find_meter
from ...timeutil import uk_day, uk_day_bounds
from ..rates.fetch import async_fetch_rates
from .coordinator import (
    CONF_MPAN_MPRN,
    CONF_PRODUCT_CODE,
    CONF_TARIFF_CODE,
    compared_meter,
)

CONF_NAME = "name"


def _label(fuel: Fuel, *, export: bool) -> str:
    if fuel is Fuel.GAS:
        return "Gas"
    return "Export Electricity" if export else "Import Electricity"


def _point_options(runtime: OctopusEnergyData) -> list[SelectOptionDict]:
    meters = sorted(
        runtime.meters.values(), key=lambda m: (m.fuel.value, m.is_export, m.mpxn)
    )
    options: dict[str, SelectOptionDict] = {}
    for meter in meters:
        options.setdefault(
            meter.mpxn,
            SelectOptionDict(
                value=meter.mpxn,
                label=f"{meter.mpxn} ({_label(meter.fuel, export=meter.is_export)})",
            ),
        )
    return list(options.values())


def _schema(runtime: OctopusEnergyData) -> Any:
    return form_schema(
        {
            vol.Required(CONF_NAME): TextSelector(),
            vol.Required(CONF_MPAN_MPRN): dropdown(_point_options(runtime)),
            vol.Required(CONF_PRODUCT_CODE): TextSelector(),
            vol.Required(CONF_TARIFF_CODE): TextSelector(),
        }
    )


def _values(user_input: Mapping[str, Any]) -> dict[str, Any]:
    return {
        CONF_NAME: str(user_input[CONF_NAME]).strip(),
        CONF_MPAN_MPRN: user_input[CONF_MPAN_MPRN],
        CONF_PRODUCT_CODE: str(user_input[CONF_PRODUCT_CODE]).strip(),
        CONF_TARIFF_CODE: str(user_input[CONF_TARIFF_CODE]).strip(),
    }


class TariffComparisonFlow(ChildEntryFlow):
    """The tariff-comparison steps of the integration's config flow."""

    async def _comparison_errors(
        self,
        runtime: OctopusEnergyData,
        values: Mapping[str, Any],
        exclude: str | None = None,
    ) -> dict[str, str]:
        if not re.match(NAME_PATTERN, values[CONF_NAME]):
            return {CONF_NAME: "invalid_tracker_name"}
        if any(
            entry_kind(entry) == KIND_TARIFF_COMPARISON
            and entry.entry_id != exclude
            and entry.data.get(CONF_NAME) == values[CONF_NAME]
            and entry.data.get(CONF_MPAN_MPRN) == values[CONF_MPAN_MPRN]
            for entry in self.hass.config_entries.async_entries(self.handler)
        ):
            return {CONF_NAME: "duplicate_comparison_name"}
        meter = find_meter(runtime, values[CONF_MPAN_MPRN])
        if meter is None:  # the meter went away while the form was open
            return {CONF_MPAN_MPRN: "invalid_mpan"}
        start, end = uk_day_bounds(uk_day(dt_util.utcnow()))
        try:
            rates = await async_fetch_rates(
                runtime.client,
                compared_meter(
                    meter, values[CONF_PRODUCT_CODE], values[CONF_TARIFF_CODE]
                ),
                runtime.settings,
                start,
                end,
            )
        except OctopusEnergyNotFoundError:
            rates = []
        except OctopusEnergyError:
            return {"base": "cannot_connect"}
        if not rates:
            return {CONF_PRODUCT_CODE: "invalid_product_or_tariff"}
        return {}

    async def async_step_tariff_comparison_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the account whose consumption is compared."""
        return await self._async_step_choose_account(
            "tariff_comparison_account", user_input, self.async_step_tariff_comparison
        )

    async def async_step_tariff_comparison(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name, meter point, product and tariff."""
        runtime = self._account()
        if runtime is None:
            return self.async_abort(reason="account_not_found")
        errors: dict[str, str] = {}
        if user_input is not None:
            values = _values(user_input)
            errors = await self._comparison_errors(runtime, values)
            if not errors:
                return self.async_create_entry(
                    title=f"{values[CONF_NAME]} (tariff comparison)",
                    data=self.child_data(
                        KIND_TARIFF_COMPARISON, runtime.account_number, values
                    ),
                )
        return self.async_show_form(
            step_id="tariff_comparison",
            data_schema=self.add_suggested_values_to_schema(
                _schema(runtime), user_input
            ),
            errors=errors,
        )

    async def async_step_reconfigure_tariff_comparison(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The same form, filled with the entry's settings."""
        entry = self._get_reconfigure_entry()
        self._account_id = str(entry.data[CONF_ACCOUNT_ID])
        runtime = self._account()
        if runtime is None:
            return self.async_abort(reason="account_not_found")
        errors: dict[str, str] = {}
        if user_input is not None:
            values = _values(user_input)
            errors = await self._comparison_errors(
                runtime, values, exclude=entry.entry_id
            )
            if not errors:
                return self.async_update_reload_and_abort(
                    entry,
                    title=f"{values[CONF_NAME]} (tariff comparison)",
                    data_updates=values,
                )
        return self.async_show_form(
            step_id="reconfigure_tariff_comparison",
            data_schema=self.add_suggested_values_to_schema(
                _schema(runtime), user_input or dict(entry.data)
            ),
            errors=errors,
        )
