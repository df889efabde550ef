"""Config flow of the Octopus Energy integration: user, reauth, reconfigure, options.

With an account configured, `user` is a menu: another account, or a cost
tracker or tariff comparison (steps in `features/<kind>/flow.py`), tied to an
account. `reconfigure`
dispatches on the entry's kind; only account entries have options.

Entries keep the community integration's VERSION 9 layout (`kind`, `account_id`,
`api_key`, `calorific_value`, `favour_direct_debit_rates`, `home_mini_settings`,
`price_cap_settings`, `intelligent_settings`), so its entries load unchanged and a
user can switch back. The unique id is the account number as typed (trimmed), as
the community integration's entity unique ids use it. Settings edited here go to
the options (they win over data, see `AccountSettings.from_entry`).

Account numbers are trimmed and upper-cased (`a-aaaa1111 ` is `A-AAAA1111`); an
existing entry keeps its number as stored (its unique ids are built from it) and
the client sends it upper-cased. An account the key may not see (KT-CT-1111) is
its own error, "no account A-... for this API key", not a refused key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_API_KEY
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .api import (
    Account,
    OctopusEnergyAuthenticationError,
    OctopusEnergyError,
    OctopusEnergyNotFoundError,
    OctopusEnergyRateLimitError,
    normalize_account_number,
)
from .compat import form_schema
from .connection import async_hand_over, create_client, dev_urls
from .const import (
    CONF_ACCOUNT_ID,
    CONF_CALORIFIC_VALUE,
    CONF_ELECTRICITY_PRICE_CAP,
    CONF_FAVOUR_DIRECT_DEBIT_RATES,
    CONF_GAS_PRICE_CAP,
    CONF_HOME_MINI_SETTINGS,
    CONF_KIND,
    CONF_LIVE_ELECTRICITY_REFRESH,
    CONF_LIVE_GAS_REFRESH,
    CONF_PRICE_CAP_SETTINGS,
    CONF_SUPPORTS_LIVE_CONSUMPTION,
    CONFIG_VERSION,
    DEFAULT_CALORIFIC_VALUE,
    DEFAULT_LIVE_ELECTRICITY_REFRESH,
    DEFAULT_LIVE_GAS_REFRESH,
    DOMAIN,
    KIND_ACCOUNT,
    KIND_COST_TRACKER,
    KIND_TARIFF_COMPARISON,
    LOGGER,
)
from .entry_kinds import account_entries, entry_kind
from .features import FEATURES as FEATURE_REGISTRY
from .features.cost_tracker.flow import CostTrackerFlow
from .features.tariff_comparison.flow import TariffComparisonFlow
from .models import AccountSettings

MENU = ["account", "cost_tracker_account", "tariff_comparison_account"]
"""The `user` menu once an account is configured (community step ids)."""
CONF_FEATURES = "features"
"""Options-form section of the feature switches (stored flat in the options)."""
PASSWORD = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)
USER_SCHEMA = form_schema(
    {
        vol.Required(CONF_ACCOUNT_ID): TextSelector(),
        vol.Required(CONF_API_KEY): PASSWORD,
    }
)
API_KEY_SCHEMA = form_schema({vol.Required(CONF_API_KEY): PASSWORD})
MINUTES = NumberSelector(
    NumberSelectorConfig(
        min=1, step=1, mode=NumberSelectorMode.BOX, unit_of_measurement="min"
    )
)
PENCE = NumberSelector(
    NumberSelectorConfig(
        step="any", mode=NumberSelectorMode.BOX, unit_of_measurement="p/kWh"
    )
)
"""A price cap in pence per kWh; its range is checked by `_options_errors` (with a
translated message) rather than by the selector."""
PRICE_CAP_MAX = 1000.0
"""The largest cap accepted (p/kWh): a higher one is a typing error."""


def new_entry_data(account_id: str, api_key: str) -> dict[str, Any]:
    """A new entry in the community integration's VERSION 9 layout."""
    return {
        CONF_KIND: KIND_ACCOUNT,
        CONF_ACCOUNT_ID: account_id,
        CONF_API_KEY: api_key,
        CONF_CALORIFIC_VALUE: DEFAULT_CALORIFIC_VALUE,
        CONF_FAVOUR_DIRECT_DEBIT_RATES: True,
        CONF_HOME_MINI_SETTINGS: {
            CONF_SUPPORTS_LIVE_CONSUMPTION: False,
            CONF_LIVE_ELECTRICITY_REFRESH: DEFAULT_LIVE_ELECTRICITY_REFRESH,
            CONF_LIVE_GAS_REFRESH: DEFAULT_LIVE_GAS_REFRESH,
        },
        CONF_PRICE_CAP_SETTINGS: {},
        "intelligent_settings": {},
        **dev_urls(),
    }


class OctopusEnergyConfigFlow(
    CostTrackerFlow, TariffComparisonFlow, ConfigFlow, domain=DOMAIN
):
    """Add an Octopus Energy account, or an entry tied to one (menu)."""

    VERSION = CONFIG_VERSION

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlow:  # noqa: ARG004
        """The account's settings."""
        return OctopusEnergyOptionsFlow()

    @classmethod
    @callback
    def async_supports_options_flow(cls, config_entry: ConfigEntry) -> bool:
        """Only account entries have options."""
        return entry_kind(config_entry) == KIND_ACCOUNT

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The account form; with an account configured, a menu of entry kinds."""
        if user_input is None and account_entries(self.hass):
            return self.async_show_menu(step_id="user", menu_options=MENU)
        return await self._async_step_account("user", user_input)

    async def async_step_account(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Menu → "Additional account"."""
        return await self._async_step_account("account", user_input)

    async def _async_step_account(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Ask for the account number and the API key, and check them."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            account_id = normalize_account_number(user_input[CONF_ACCOUNT_ID])
            api_key = user_input[CONF_API_KEY].strip()
            await self.async_set_unique_id(account_id)
            self._abort_if_unique_id_configured()
            for entry in self._async_current_entries(include_ignore=False):
                stored = str(entry.data.get(CONF_ACCOUNT_ID, ""))
                if normalize_account_number(stored) == account_id:
                    return self.async_abort(reason="already_configured")
            errors = await self._async_validate(
                account_id, {CONF_API_KEY: api_key}, CONF_ACCOUNT_ID
            )
            if not errors:
                return self.async_create_entry(
                    title=account_id, data=new_entry_data(account_id, api_key)
                )
            placeholders = {"account_id": account_id}
            user_input = {**user_input, CONF_ACCOUNT_ID: account_id}
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reauth(
        self,
        entry_data: Mapping[str, Any],  # noqa: ARG002
    ) -> ConfigFlowResult:
        """Octopus Energy refused the stored key."""
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
        """Change an account's key, or the settings of an entry tied to one."""
        entry = self._get_reconfigure_entry()
        kind = entry_kind(entry)
        if kind == KIND_COST_TRACKER:
            return await self.async_step_reconfigure_cost_tracker()
        if kind == KIND_TARIFF_COMPARISON:
            return await self.async_step_reconfigure_tariff_comparison()
        if kind != KIND_ACCOUNT:
            return self.async_abort(reason="reconfigure_not_supported")
        return await self._async_step_replace_key("reconfigure", entry, user_input)

    async def _async_step_replace_key(
        self, step_id: str, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Check a new key against the entry's own account, store it, reload."""
        errors: dict[str, str] = {}
        account_id = str(entry.data[CONF_ACCOUNT_ID])
        if user_input is not None:
            api_key = user_input[CONF_API_KEY].strip()
            errors = await self._async_validate(
                account_id, {**entry.data, CONF_API_KEY: api_key}, "base"
            )
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_API_KEY: api_key}
                )
        return self.async_show_form(
            step_id=step_id,
            data_schema=API_KEY_SCHEMA,
            errors=errors,
            description_placeholders={
                "account_id": normalize_account_number(account_id)
            },
        )

    async def _async_validate(
        self, account_id: str, data: Mapping[str, Any], account_field: str
    ) -> dict[str, str]:
        """Fetch the account with the key; return the form errors.

        `account_field` carries the "no such account for this key" error (the
        account-number field, or `base` on forms without it).
        """
        client = create_client(self.hass, data)
        try:
            account = await client.get_account(account_id)
        except OctopusEnergyAuthenticationError:
            return {CONF_API_KEY: "invalid_auth"}
        except OctopusEnergyNotFoundError:
            return {account_field: "account_not_found"}
        except OctopusEnergyRateLimitError:
            return {"base": "rate_limited"}
        except OctopusEnergyError:
            return {"base": "cannot_connect"}
        except Exception:  # noqa: BLE001 - any other failure is shown as "unknown"
            LOGGER.exception("Unexpected error while checking the account")
            return {"base": "unknown"}
        async_hand_over(self.hass, account_id, client, account)
        return {}


def _home_mini_fields(settings: AccountSettings) -> dict[Any, Any]:
    return {
        vol.Required(
            CONF_SUPPORTS_LIVE_CONSUMPTION, default=settings.live_consumption
        ): BooleanSelector(),
        vol.Required(
            CONF_LIVE_ELECTRICITY_REFRESH,
            default=settings.live_electricity_refresh_minutes,
        ): MINUTES,
        vol.Required(
            CONF_LIVE_GAS_REFRESH, default=settings.live_gas_refresh_minutes
        ): MINUTES,
    }


def _cap_fields(settings: AccountSettings) -> dict[Any, Any]:
    """Optional caps; the current one is suggested so it can be cleared."""
    caps: dict[Any, Any] = {}
    for key, value in (
        (CONF_ELECTRICITY_PRICE_CAP, settings.electricity_price_cap),
        (CONF_GAS_PRICE_CAP, settings.gas_price_cap),
    ):
        description = {"suggested_value": value} if value is not None else None
        caps[vol.Optional(key, description=description)] = PENCE
    return caps


def switchable_features(account: Account | None) -> list[str]:
    """The options switches of the features the account has (registry order)."""
    return [
        feature.option
        for feature in FEATURE_REGISTRY
        if feature.option and (account is None or feature.available(account))
    ]


def _feature_fields(settings: AccountSettings, switches: list[str]) -> dict[Any, Any]:
    return {
        vol.Required(key, default=settings.feature_enabled(key)): BooleanSelector()
        for key in switches
    }


def _options_schema(settings: AccountSettings, switches: list[str]) -> Any:
    """The options form: top-level settings and sections (features: if any)."""
    fields: dict[Any, Any] = {}
    if switches:
        fields[vol.Required(CONF_FEATURES)] = section(
            form_schema(_feature_fields(settings, switches)), {"collapsed": False}
        )
    return form_schema(
        {
            vol.Required(
                CONF_CALORIFIC_VALUE, default=settings.calorific_value
            ): NumberSelector(
                NumberSelectorConfig(min=0, step="any", mode=NumberSelectorMode.BOX)
            ),
            vol.Required(
                CONF_FAVOUR_DIRECT_DEBIT_RATES,
                default=settings.favour_direct_debit_rates,
            ): BooleanSelector(),
            vol.Required(CONF_HOME_MINI_SETTINGS): section(
                form_schema(_home_mini_fields(settings)), {"collapsed": False}
            ),
            vol.Required(CONF_PRICE_CAP_SETTINGS): section(
                form_schema(_cap_fields(settings)), {"collapsed": True}
            ),
            **fields,
        }
    )


def _options_errors(user_input: Mapping[str, Any]) -> dict[str, str]:
    """Checks the selectors cannot express (refresh >= 1 they do).

    A price cap is in p/kWh between 0 and `PRICE_CAP_MAX`: a negative cap, or one in
    the thousands (or a typing error), is refused.
    """
    if float(user_input[CONF_CALORIFIC_VALUE]) <= 0:
        return {CONF_CALORIFIC_VALUE: "value_greater_than_zero"}
    caps = user_input[CONF_PRICE_CAP_SETTINGS]
    for key in (CONF_ELECTRICITY_PRICE_CAP, CONF_GAS_PRICE_CAP):
        value = caps.get(key)
        if value is not None and not 0 <= float(value) <= PRICE_CAP_MAX:
            return {key: "price_cap_out_of_range"}
    return {}


def _options(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Options in the community layout; feature switches flat."""
    home_mini = user_input[CONF_HOME_MINI_SETTINGS]
    caps = user_input[CONF_PRICE_CAP_SETTINGS]
    return {
        CONF_CALORIFIC_VALUE: float(user_input[CONF_CALORIFIC_VALUE]),
        CONF_FAVOUR_DIRECT_DEBIT_RATES: user_input[CONF_FAVOUR_DIRECT_DEBIT_RATES],
        CONF_HOME_MINI_SETTINGS: {
            CONF_SUPPORTS_LIVE_CONSUMPTION: home_mini[CONF_SUPPORTS_LIVE_CONSUMPTION],
            CONF_LIVE_ELECTRICITY_REFRESH: int(
                home_mini[CONF_LIVE_ELECTRICITY_REFRESH]
            ),
            CONF_LIVE_GAS_REFRESH: int(home_mini[CONF_LIVE_GAS_REFRESH]),
        },
        # None (not absent) clears a cap that the entry data still holds
        CONF_PRICE_CAP_SETTINGS: {
            key: (float(caps[key]) if caps.get(key) is not None else None)
            for key in (CONF_ELECTRICITY_PRICE_CAP, CONF_GAS_PRICE_CAP)
        },
        **{
            key: bool(value) for key, value in user_input.get(CONF_FEATURES, {}).items()
        },
    }


class OctopusEnergyOptionsFlow(OptionsFlow):
    """Edit the account's settings; saving reloads the entry."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One form with sections."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = _options_errors(user_input)
            if not errors:
                return self.async_create_entry(data=_options(user_input))
        entry = self.config_entry
        settings = AccountSettings.from_entry(entry.data, entry.options)
        account = (
            entry.runtime_data.account.data
            if entry.state is ConfigEntryState.LOADED
            else None
        )
        schema = _options_schema(settings, switchable_features(account))
        if user_input is not None:
            schema = self.add_suggested_values_to_schema(schema, user_input)
        return self.async_show_form(step_id="init", data_schema=schema, errors=errors)
