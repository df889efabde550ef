"""Config-flow steps shared by the entry kinds tied to an account.

A cost tracker or tariff comparison starts from the `user` menu: first the
account (`{kind}_account`, a dropdown of the configured accounts in upper case,
skipped when there is only one), then the kind's own form. The account entry
must be loaded (the forms list its meters), else the flow aborts with
`account_not_found`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)
import voluptuous as vol

from .compat import form_schema
from .const import CONF_ACCOUNT_ID, CONF_KIND
from .data import OctopusEnergyData
from .entry_kinds import account_entries, account_runtime, entry_kind

NAME_PATTERN = r"^[a-z0-9_]+$"


def dropdown(options: list[SelectOptionDict]) -> SelectSelector:
    """A dropdown of fixed options."""
    return SelectSelector(
        SelectSelectorConfig(options=options, mode=SelectSelectorMode.DROPDOWN)
    )


class ChildEntryFlow(ConfigFlow):
    """The account choice and account lookup of child-entry steps."""

    _account_id: str | None = None

    async def _async_step_choose_account(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        next_step: Callable[[], Awaitable[ConfigFlowResult]],
    ) -> ConfigFlowResult:
        """Pick the account (skipped with one account)."""
        accounts = sorted(
            {str(entry.data[CONF_ACCOUNT_ID]) for entry in account_entries(self.hass)}
        )
        if user_input is not None or len(accounts) == 1:
            self._account_id = (
                str(user_input[CONF_ACCOUNT_ID]) if user_input else accounts[0]
            )
            return await next_step()
        return self.async_show_form(
            step_id=step_id,
            data_schema=form_schema(
                {
                    vol.Required(CONF_ACCOUNT_ID): dropdown(
                        [
                            SelectOptionDict(value=account, label=account.upper())
                            for account in accounts
                        ]
                    )
                }
            ),
        )

    def _account(self) -> OctopusEnergyData | None:
        """The chosen account's runtime data (loaded entries only)."""
        return account_runtime(self.hass, self._account_id or "")

    def _names_in_use(self, kind: str, exclude: str | None = None) -> set[str]:
        """The names of the other entries of a kind."""
        return {
            str(entry.data.get("name"))
            for entry in self.hass.config_entries.async_entries(self.handler)
            if entry_kind(entry) == kind and entry.entry_id != exclude
        }

    @staticmethod
    def child_data(
        kind: str, account_id: str, values: dict[str, Any]
    ) -> dict[str, Any]:
        """Entry data in the community layout."""
        return {CONF_KIND: kind, CONF_ACCOUNT_ID: account_id, **values}
