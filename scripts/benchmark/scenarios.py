"""The reference scenarios of the day benchmark.

A scenario is one config entry (or none, for the baseline) set up against the
simulator, plus the actions a user takes during the day. The Octopus scenarios run
once `custom_components/octopus_energy` is a loadable integration with a config flow;
until then they are reported as not available.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
import importlib
import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID, ATTR_TEMPERATURE, CONF_API_KEY
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

ROOT = Path(__file__).resolve().parents[2]
OCTOPUS_UNAVAILABLE = "octopus_energy integration not available yet"

OSO_KEY = "sim-oso-demo-key"
OSO_EMAIL = "demo@example.com"
OCTOPUS_ACCOUNT = "A-AAAA1111"
OCTOPUS_KEY = "sk_live_simulatorAAAA1111"

BUDGETS_HOME_MINI = "home_mini"
"""The reference account's budgets (1-minute electricity telemetry)."""
BUDGETS_NO_HOME_MINI = "no_home_mini"
"""The budgets of the reference account with Home Mini live consumption off."""
BUDGETS_FEATURES = "features"
"""The per-day budgets and the feature budgets (Octoplus, heat pump), without the
hourly budgets of the Home Mini scenarios."""

type ActionRun = Callable[[HomeAssistant, ConfigEntry], Awaitable[None]]


@dataclass(frozen=True)
class Action:
    """Something a user does at a moment of the simulated day."""

    at: timedelta
    label: str
    run: ActionRun


@dataclass(frozen=True)
class FlowEntry:
    """An entry created through the integration's config flow, as a user does.

    `user_input` answers the flow's first (user) step. `options` are the settings
    the user wants (the flow does not ask for them): they are stored as the entry's
    options when its first setup starts, so that setup already runs with them.
    """

    user_input: dict[str, Any]
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """One reference scenario."""

    name: str
    title: str
    domain: str | None = None
    """None: the baseline (Home Assistant with no integration loaded)."""
    entry: Callable[[], MockConfigEntry] | None = None
    """A ready-made entry (as an existing installation has), set up directly."""
    flow: FlowEntry | None = None
    """Or: the entry is created through the config flow."""
    env: Callable[[str], dict[str, str]] = lambda _url: {}
    """Environment variables the integration needs, from the simulator's root URL."""
    actions: tuple[Action, ...] = ()
    budgets: str | None = None
    """Which Octopus budgets apply: BUDGETS_HOME_MINI, BUDGETS_NO_HOME_MINI or None."""
    unavailable: Callable[[], str | None] = lambda: None
    """A reason why the scenario cannot run now, or None."""


# --- OSO Energy --------------------------------------------------------------------


def _oso_entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain="osoenergy",
        title=OSO_EMAIL,
        unique_id=OSO_EMAIL,
        version=1,
        data={CONF_API_KEY: OSO_KEY},
    )


def _oso_env(url: str) -> dict[str, str]:
    return {"OSOENERGY_DEV_API_URL": f"{url}/oso/water-heater-api"}


def _first_water_heater(hass: HomeAssistant, entry: ConfigEntry) -> str:
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return min(e.entity_id for e in entries if e.domain == "water_heater")


def _water_heater_action(service: str, **data: Any) -> ActionRun:
    async def _run(hass: HomeAssistant, entry: ConfigEntry) -> None:
        target = {ATTR_ENTITY_ID: _first_water_heater(hass, entry)}
        await hass.services.async_call(
            "water_heater", service, {**target, **data}, blocking=True
        )

    return _run


OSO_ACTIONS = (
    Action(timedelta(hours=6, minutes=30), "heat now", _water_heater_action("turn_on")),
    Action(
        timedelta(hours=12),
        "set temperature 60 °C",
        _water_heater_action("set_temperature", **{ATTR_TEMPERATURE: 60}),
    ),
    Action(timedelta(hours=22), "pause heating", _water_heater_action("turn_off")),
)


# --- Octopus Energy ----------------------------------------------------------------


def octopus_unavailable() -> str | None:
    """Why the Octopus integration cannot be set up yet, or None when it can."""
    manifest = ROOT / "custom_components" / "octopus_energy" / "manifest.json"
    if not manifest.exists():
        return f"{OCTOPUS_UNAVAILABLE} (no manifest.json)"
    if not json.loads(manifest.read_text()).get("config_flow"):
        return f"{OCTOPUS_UNAVAILABLE} (the manifest has no config flow)"
    try:
        module = importlib.import_module("custom_components.octopus_energy")
        importlib.import_module("custom_components.octopus_energy.config_flow")
    except Exception as err:  # noqa: BLE001  (any import error means "not yet")
        return f"{OCTOPUS_UNAVAILABLE} (import failed: {err!r})"
    if not hasattr(module, "async_setup_entry"):
        return f"{OCTOPUS_UNAVAILABLE} (no async_setup_entry)"
    return None


def home_mini_settings(*, home_mini: bool) -> dict[str, Any]:
    """Home Mini live consumption on (1-minute electricity, 2-minute gas) or off."""
    return {
        "supports_live_consumption": home_mini,
        "live_electricity_consumption_refresh_in_minutes": 1,
        "live_gas_consumption_refresh_in_minutes": 2,
    }


def octopus_entry_data(*, home_mini: bool) -> dict[str, Any]:
    """The reference account's entry in the community integration's layout (v9).

    The same layout as `community_entry_data` in tests/octopus_energy/conftest.py.
    """
    return {
        "kind": "account",
        "account_id": OCTOPUS_ACCOUNT,
        "api_key": OCTOPUS_KEY,
        "calorific_value": 40.0,
        "favour_direct_debit_rates": True,
        "home_mini_settings": home_mini_settings(home_mini=home_mini),
        "intelligent_settings": {},
        "price_cap_settings": {},
    }


FEATURES = (
    "feature_octoplus",
    "feature_wheel_of_fortune",
    "feature_greenness_forecast",
    "feature_intelligent",
    "feature_heat_pump",
)
"""The integration's feature switches (entry options)."""


def octopus_options(*on: str) -> dict[str, bool]:
    """The feature switches with the ones named on and every other one off.

    The reference account uses Octoplus only (`octopus_options("feature_octoplus")`).
    """
    unknown = set(on) - set(FEATURES)
    if unknown:
        msg = f"unknown feature switches {sorted(unknown)}; one of {FEATURES}"
        raise ValueError(msg)
    return {feature: feature in on for feature in FEATURES}


OCTOPUS_OPTIONS = octopus_options("feature_octoplus")
"""The reference account: Octoplus, none of the features it does not have."""


def _octopus_entry(
    *, home_mini: bool, options: dict[str, bool] = OCTOPUS_OPTIONS
) -> Callable[[], MockConfigEntry]:
    def _make() -> MockConfigEntry:
        return MockConfigEntry(
            domain="octopus_energy",
            title=OCTOPUS_ACCOUNT,
            version=9,
            data=octopus_entry_data(home_mini=home_mini),
            options=dict(options),
        )

    return _make


def octopus_flow(
    *, home_mini: bool, options: dict[str, bool] = OCTOPUS_OPTIONS
) -> FlowEntry:
    """The reference account added through the config flow, with these settings."""
    return FlowEntry(
        user_input={"account_id": OCTOPUS_ACCOUNT, "api_key": OCTOPUS_KEY},
        options={
            "home_mini_settings": home_mini_settings(home_mini=home_mini),
            **options,
        },
    )


def _octopus_env(url: str) -> dict[str, str]:
    return {
        "OCTOPUS_ENERGY_DEV_API_URL": f"{url}/octopus",
        "OCTOPUS_ENERGY_DEV_BACKEND_URL": f"{url}/octopus-backend",
    }


# --- the list ----------------------------------------------------------------------

BASELINE = Scenario(
    name="baseline",
    title="Home Assistant with the recorder and no integration loaded",
)
SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        BASELINE,
        Scenario(
            name="oso",
            title="OSO Energy: default simulator account, 2 heaters",
            domain="osoenergy",
            entry=_oso_entry,
            env=_oso_env,
            actions=OSO_ACTIONS,
        ),
        Scenario(
            name="octopus_reference",
            title=(
                "Octopus Energy reference account added through the config flow: "
                "Agile import + gas with Home Minis (1-min electricity telemetry), "
                "fixed export, Octoplus"
            ),
            domain="octopus_energy",
            flow=octopus_flow(home_mini=True),
            env=_octopus_env,
            budgets=BUDGETS_HOME_MINI,
            unavailable=octopus_unavailable,
        ),
        Scenario(
            name="octopus_reference_community",
            title=(
                "Octopus Energy reference account from a community-integration "
                "entry (v9), same settings"
            ),
            domain="octopus_energy",
            entry=_octopus_entry(home_mini=True),
            env=_octopus_env,
            budgets=BUDGETS_HOME_MINI,
            unavailable=octopus_unavailable,
        ),
        Scenario(
            name="octopus_features",
            title=(
                "Octopus Energy reference account with Octoplus, wheel of fortune, "
                "greenness forecast and the heat pump on, Home Mini off"
            ),
            domain="octopus_energy",
            entry=_octopus_entry(
                home_mini=False,
                options=octopus_options(
                    "feature_octoplus",
                    "feature_wheel_of_fortune",
                    "feature_greenness_forecast",
                    "feature_heat_pump",
                ),
            ),
            env=_octopus_env,
            budgets=BUDGETS_FEATURES,
            unavailable=octopus_unavailable,
        ),
        Scenario(
            name="octopus_no_home_mini",
            title="Octopus Energy reference account, Home Mini live consumption off",
            domain="octopus_energy",
            entry=_octopus_entry(home_mini=False),
            env=_octopus_env,
            budgets=BUDGETS_NO_HOME_MINI,
            unavailable=octopus_unavailable,
        ),
    )
}
