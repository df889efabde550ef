"""Config flow of the OSO Energy integration: user, reauth and reconfigure steps.

Entries stay compatible with HA core's `osoenergy`: VERSION 1, data `{api_key}`,
unique id and title = the account e-mail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_API_KEY, CONF_SCAN_INTERVAL
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .api import (
    OSOEnergyAuthenticationError,
    OSOEnergyError,
    OSOEnergyRateLimitError,
)
from .compat import form_schema
from .const import DOMAIN, LOGGER, MAX_SCAN_INTERVAL, SCAN_INTERVAL
from .coordinator import create_client, scan_interval

API_KEY_SCHEMA = form_schema(
    {
        vol.Required(CONF_API_KEY): TextSelector(
            TextSelectorConfig(
                type=TextSelectorType.PASSWORD, autocomplete="current-password"
            )
        ),
    }
)


OPTIONS_SCHEMA = form_schema(
    {
        vol.Required(CONF_SCAN_INTERVAL): NumberSelector(
            NumberSelectorConfig(
                mode=NumberSelectorMode.BOX, step=1, unit_of_measurement="s"
            )
        ),
    }
)
"""The range is checked in the step, so that the error is translated."""


class OSOEnergyConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up an OSO Energy account from its subscription key."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OSOEnergyOptionsFlow:  # noqa: ARG004
        """The options: the polling interval."""
        return OSOEnergyOptionsFlow()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a subscription key and add the account it belongs to."""
        errors: dict[str, str] = {}
        if user_input is not None:
            api_key = user_input[CONF_API_KEY].strip()
            email, errors = await self._async_validate(api_key)
            if email is not None:
                await self.async_set_unique_id(email)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=email, data={CONF_API_KEY: api_key}
                )
        return self.async_show_form(
            step_id="user", data_schema=API_KEY_SCHEMA, errors=errors
        )

    async def async_step_reauth(
        self,
        entry_data: Mapping[str, Any],  # noqa: ARG002
    ) -> ConfigFlowResult:
        """Start reauthentication after OSO Energy refused the stored key."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new key of the same account."""
        return await self._async_step_replace_key(
            "reauth_confirm", self._get_reauth_entry(), user_input
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user change the key of a configured account."""
        return await self._async_step_replace_key(
            "reconfigure", self._get_reconfigure_entry(), user_input
        )

    async def _async_step_replace_key(
        self, step_id: str, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Validate a new key for `entry`'s account, store it and reload the entry."""
        errors: dict[str, str] = {}
        if user_input is not None:
            api_key = user_input[CONF_API_KEY].strip()
            email, errors = await self._async_validate(api_key, entry.data)
            if email is not None:
                await self.async_set_unique_id(email, raise_on_progress=False)
                self._abort_if_unique_id_mismatch()
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_API_KEY: api_key}
                )
        return self.async_show_form(
            step_id=step_id,
            data_schema=API_KEY_SCHEMA,
            errors=errors,
            description_placeholders={"email": entry.unique_id or entry.title},
        )

    async def _async_validate(
        self, api_key: str, entry_data: Mapping[str, Any] | None = None
    ) -> tuple[str | None, dict[str, str]]:
        """Return the account e-mail of `api_key`, or None and the form errors.

        An existing entry's data (a development API host) is kept for the check.
        """
        client = create_client(self.hass, {**(entry_data or {}), CONF_API_KEY: api_key})
        try:
            details = await client.get_user_details()
        except OSOEnergyAuthenticationError:
            return None, {CONF_API_KEY: "invalid_auth"}
        except OSOEnergyRateLimitError:
            return None, {"base": "rate_limited"}
        except OSOEnergyError:
            return None, {"base": "cannot_connect"}
        except Exception:  # noqa: BLE001 - any other failure is shown as "unknown"
            LOGGER.exception("Unexpected error while checking the subscription key")
            return None, {"base": "unknown"}
        return details.email, {}


class OSOEnergyOptionsFlow(OptionsFlow):
    """Change the polling interval (applied from the next poll, no reload)."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the interval in seconds, within the allowed range."""
        low = int(SCAN_INTERVAL.total_seconds())
        high = int(MAX_SCAN_INTERVAL.total_seconds())
        errors: dict[str, str] = {}
        if user_input is not None:
            seconds = float(user_input[CONF_SCAN_INTERVAL])
            if seconds.is_integer() and low <= seconds <= high:
                return self.async_create_entry(
                    data={**self.config_entry.options, CONF_SCAN_INTERVAL: int(seconds)}
                )
            errors[CONF_SCAN_INTERVAL] = "scan_interval_out_of_range"
        current = int(scan_interval(self.config_entry).total_seconds())
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA, user_input or {CONF_SCAN_INTERVAL: current}
            ),
            errors=errors,
            description_placeholders={"min": str(low), "max": str(high)},
        )
