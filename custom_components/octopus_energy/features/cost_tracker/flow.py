"""Config-flow steps of cost trackers (octopus-energy.md B.1.5).

`cost_tracker_account` → `cost_tracker` creates an entry titled
`<name> (cost tracker)`; `reconfigure_cost_tracker` edits it with the same form.
Errors: `invalid_tracker_name` (not `^[a-z0-9_]+$`), `duplicate_tracker_name`
(another cost tracker has it: the unique ids would collide), `invalid_month_day`
(not 1..28). The meter and weekday dropdowns only offer valid values.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
import voluptuous as vol

from ...api import Fuel
from ...child_flow import NAME_PATTERN, ChildEntryFlow, dropdown
from ...compat import form_schema
from ...const import CONF_ACCOUNT_ID, KIND_COST_TRACKER
from ...data import OctopusEnergyData
from .model import (
    CONF_ENTITY_ACCUMULATIVE_VALUE,
    CONF_MANUAL_RESET,
    CONF_MONTH_DAY_RESET,
    CONF_MPAN,
    CONF_NAME,
    CONF_TARGET_ENTITY_ID,
    CONF_WEEKDAY_RESET,
)

MAX_MONTH_DAY = 28
WEEKDAYS = SelectSelector(
    SelectSelectorConfig(
        options=[str(day) for day in range(7)],
        mode=SelectSelectorMode.DROPDOWN,
        translation_key="weekday",
    )
)


def _meter_options(runtime: OctopusEnergyData) -> list[SelectOptionDict]:
    meters = sorted(
        (m for m in runtime.meters.values() if m.fuel is Fuel.ELECTRICITY),
        key=lambda m: (m.is_export, m.mpxn),
    )
    options: dict[str, SelectOptionDict] = {}
    for meter in meters:
        label = "Export" if meter.is_export else "Import"
        options.setdefault(
            meter.mpxn,
            SelectOptionDict(value=meter.mpxn, label=f"{meter.mpxn} ({label})"),
        )
    return list(options.values())


def _schema(runtime: OctopusEnergyData) -> Any:
    return form_schema(
        {
            vol.Required(CONF_NAME): TextSelector(),
            vol.Required(CONF_MPAN): dropdown(_meter_options(runtime)),
            vol.Required(CONF_TARGET_ENTITY_ID): EntitySelector(
                EntitySelectorConfig(
                    domain="sensor", device_class=SensorDeviceClass.ENERGY
                )
            ),
            vol.Optional(
                CONF_ENTITY_ACCUMULATIVE_VALUE, default=False
            ): BooleanSelector(),
            vol.Required(CONF_MANUAL_RESET, default=False): BooleanSelector(),
            vol.Required(CONF_WEEKDAY_RESET, default="0"): WEEKDAYS,
            vol.Required(CONF_MONTH_DAY_RESET, default=1): NumberSelector(
                NumberSelectorConfig(min=1, step=1, mode=NumberSelectorMode.BOX)
            ),
        }
    )


def _values(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values as the community integration stores them."""
    return {
        CONF_NAME: str(user_input[CONF_NAME]).strip(),
        CONF_MPAN: user_input[CONF_MPAN],
        CONF_TARGET_ENTITY_ID: user_input[CONF_TARGET_ENTITY_ID],
        CONF_ENTITY_ACCUMULATIVE_VALUE: bool(
            user_input.get(CONF_ENTITY_ACCUMULATIVE_VALUE, False)
        ),
        CONF_MANUAL_RESET: bool(user_input[CONF_MANUAL_RESET]),
        CONF_WEEKDAY_RESET: int(user_input[CONF_WEEKDAY_RESET]),
        CONF_MONTH_DAY_RESET: int(user_input[CONF_MONTH_DAY_RESET]),
    }


class CostTrackerFlow(ChildEntryFlow):
    """The cost-tracker steps of the integration's config flow."""

    def _tracker_errors(
        self, values: Mapping[str, Any], exclude: str | None = None
    ) -> dict[str, str]:
        if not re.match(NAME_PATTERN, values[CONF_NAME]):
            return {CONF_NAME: "invalid_tracker_name"}
        if values[CONF_NAME] in self._names_in_use(KIND_COST_TRACKER, exclude):
            return {CONF_NAME: "duplicate_tracker_name"}
        if values[CONF_MONTH_DAY_RESET] > MAX_MONTH_DAY:
            return {CONF_MONTH_DAY_RESET: "invalid_month_day"}
        return {}

    async def async_step_cost_tracker_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the account whose rates price the tracker."""
        return await self._async_step_choose_account(
            "cost_tracker_account", user_input, self.async_step_cost_tracker
        )

    async def async_step_cost_tracker(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name, meter, tracked entity and resets."""
        runtime = self._account()
        if runtime is None:
            return self.async_abort(reason="account_not_found")
        errors: dict[str, str] = {}
        if user_input is not None:
            values = _values(user_input)
            errors = self._tracker_errors(values)
            if not errors:
                return self.async_create_entry(
                    title=f"{values[CONF_NAME]} (cost tracker)",
                    data=self.child_data(
                        KIND_COST_TRACKER, runtime.account_number, values
                    ),
                )
        return self.async_show_form(
            step_id="cost_tracker",
            data_schema=self.add_suggested_values_to_schema(
                _schema(runtime), user_input
            ),
            errors=errors,
        )

    async def async_step_reconfigure_cost_tracker(
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
            errors = self._tracker_errors(values, exclude=entry.entry_id)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry,
                    title=f"{values[CONF_NAME]} (cost tracker)",
                    data_updates=values,
                )
        current = {
            **entry.data,
            CONF_WEEKDAY_RESET: str(entry.data.get(CONF_WEEKDAY_RESET, 0)),
        }
        return self.async_show_form(
            step_id="reconfigure_cost_tracker",
            data_schema=self.add_suggested_values_to_schema(
                _schema(runtime), user_input or current
            ),
            errors=errors,
        )
