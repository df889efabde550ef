"""Run one scenario for a simulated day inside Home Assistant's test harness.

The caller provides a Home Assistant with the recorder on a sqlite file (`hass`,
`recorder_mock`), time frozen at the start of the day (`freezer`) and the simulator
thread. The run:

1. measures the database, then sets the entry up (directly, or through the config
   flow) with `latency` seconds per request, marking where the flow, setup
   (`async_setup` of the entry until it returns) and settling begin and end in the
   simulator's request log, and records when every entity first shows data (real
   wall time);
2. steps the frozen clock by `step` through `hours` hours, firing Home Assistant's
   timers at every step and running the scenario's actions when due, and measures the
   main thread's CPU time (`time.thread_time`) over that loop;
3. waits for the recorder and measures the database again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import homeassistant.util.dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from .clock import fire_time_changed
from .imports import fresh_import, restore_modules
from .measure import (
    NO_DATA,
    DatabaseUsage,
    EntityFigures,
    ReadinessTracker,
    RequestStats,
    SetupMarks,
    database_usage,
    real_monotonic,
    request_stats,
)
from .scenarios import FlowEntry, Scenario
from .simserver import SimulatorThread

TIME_ZONE = "Europe/London"
SETTLE_QUIET = 1.0
"""Seconds without a new entity showing data after which setup counts as settled."""
SETTLE_MAX = 15.0
SETTLE_POLL = 0.05


class ScenarioNotReadyError(Exception):
    """The scenario's entry could not be set up."""


@dataclass
class RunConfig:
    """How long and how finely to simulate, and the latency during setup."""

    start: datetime
    hours: int = 24
    step: timedelta = timedelta(seconds=30)
    latency: float = 0.1
    fresh_import: bool = False
    """Import the integration afresh (as a new Home Assistant process would), so
    module-level caches filled earlier in the process do not save requests; the
    modules imported before are put back afterwards."""


@dataclass
class ScenarioResult:
    """Every figure of one scenario's simulated period."""

    name: str
    title: str
    start: str
    hours: int
    requests: RequestStats
    entities: EntityFigures
    db_before: DatabaseUsage
    db_after: DatabaseUsage
    setup_seconds: float | None
    """Wall time from setup start to the last entity with data showing it."""
    setup_cpu_seconds: float
    day_cpu_seconds: float
    """Main-thread CPU time of the stepped period (after setup)."""
    day_wall_seconds: float
    latency: float
    actions: list[str] = field(default_factory=list)
    budgets: str | None = None
    """Which Octopus budgets apply (the scenario's `budgets`)."""
    agile_products: list[str] = field(default_factory=list)
    """The simulator's Agile product codes (for the unit-rates budget)."""


@dataclass
class _Setup:
    began_at: datetime
    entry: ConfigEntry | None
    tracker: ReadinessTracker
    seconds: float | None
    cpu: float
    marks: SetupMarks
    ready: set[str]


async def run_scenario(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorThread,
    scenario: Scenario,
    *,
    config: RunConfig,
    db_path: Path,
) -> ScenarioResult:
    """Set the scenario up and simulate `config.hours` hours (see module docstring)."""
    # The harness runs the loop in asyncio's debug mode (a stack trace per callback);
    # a real Home Assistant does not.
    hass.loop.set_debug(False)
    await hass.config.async_set_time_zone(TIME_ZONE)
    await async_wait_recording_done(hass)
    db_before = await hass.async_add_executor_job(database_usage, db_path)
    saved = None
    if config.fresh_import and scenario.domain is not None:
        saved = await hass.async_add_executor_job(fresh_import, scenario.domain)
    try:
        setup = await _async_setup(hass, freezer, simulator, scenario, config.latency)
        try:
            cpu, wall, done = await _async_run_day(
                hass, freezer, scenario, setup, config
            )
        finally:
            setup.tracker.stop()
    finally:
        if saved is not None:
            restore_modules(saved)
    await async_wait_recording_done(hass)
    db_after = await hass.async_add_executor_job(database_usage, db_path)
    return ScenarioResult(
        name=scenario.name,
        title=scenario.title,
        start=config.start.isoformat(),
        hours=config.hours,
        requests=request_stats(
            list(simulator.sim.faults.log), config.start, config.hours, setup.marks
        ),
        entities=entity_figures(hass, setup),
        db_before=db_before,
        db_after=db_after,
        setup_seconds=setup.seconds,
        setup_cpu_seconds=setup.cpu,
        day_cpu_seconds=cpu,
        day_wall_seconds=wall,
        latency=config.latency,
        actions=done,
        budgets=scenario.budgets,
        agile_products=simulator.agile_products(),
    )


async def _async_setup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: SimulatorThread,
    scenario: Scenario,
    latency: float,
) -> _Setup:
    tracker = ReadinessTracker(hass)
    began_at = dt_util.utcnow()
    log = simulator.sim.faults.log
    if scenario.entry is None and scenario.flow is None:
        return _Setup(began_at, None, tracker, None, 0.0, SetupMarks(), set())
    simulator.latency = latency
    try:
        cpu = time.thread_time()
        timing = _SetupTiming(flow=len(log))
        with _SetupWatch(hass, timing, lambda: len(log), scenario.flow):
            if scenario.flow is not None:
                entry = await _async_flow(hass, scenario)
            else:
                mock = _entry(scenario)
                mock.add_to_hass(hass)
                entry = mock
                await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done(wait_background_tasks=True)
        if entry.state is not ConfigEntryState.LOADED:
            msg = f"{scenario.domain} entry not loaded: {entry.state} {entry.reason}"
            raise ScenarioNotReadyError(msg)
        ready = await _async_settle(hass, freezer, tracker, entry)
        cpu = time.thread_time() - cpu
    finally:
        simulator.latency = 0.0
    began = timing.began if timing.began is not None else real_monotonic()
    last = max((tracker.first_data[e] for e in ready), default=began)
    marks = SetupMarks(
        flow=timing.flow,
        setup=timing.setup if timing.setup is not None else timing.flow,
        returned=timing.returned if timing.returned is not None else len(log),
        settled=len(log),
    )
    return _Setup(began_at, entry, tracker, last - began, cpu, marks, ready)


def _entry(scenario: Scenario) -> MockConfigEntry:
    if scenario.entry is None:
        msg = f"{scenario.name} has neither an entry nor a flow"
        raise ScenarioNotReadyError(msg)
    return scenario.entry()


async def _async_flow(hass: HomeAssistant, scenario: Scenario) -> ConfigEntry:
    """Create the entry through the config flow's user step (which sets it up)."""
    if scenario.domain is None or scenario.flow is None:
        msg = f"{scenario.name} has no config flow"
        raise ScenarioNotReadyError(msg)
    flow = hass.config_entries.flow
    result = await flow.async_init(scenario.domain, context={"source": "user"})
    result = await flow.async_configure(result["flow_id"], scenario.flow.user_input)
    entry = result.get("result")
    if not isinstance(entry, ConfigEntry):
        msg = f"the config flow did not create an entry: {dict(result)}"
        raise ScenarioNotReadyError(msg)
    return entry


@dataclass
class _SetupTiming:
    """Request-log positions and the real time around the first `async_setup`."""

    flow: int
    setup: int | None = None
    returned: int | None = None
    began: float | None = None


class _SetupWatch:
    """Wrap `hass.config_entries.async_setup` to mark the first entry setup.

    With a config flow, the flow's new entry gets the flow's `options` just before
    its setup starts, as if the user had chosen them while adding it.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        timing: _SetupTiming,
        position: Callable[[], int],
        flow: FlowEntry | None,
    ) -> None:
        self._entries = hass.config_entries
        self._timing = timing
        self._position = position
        self._flow = flow
        self._original: Callable[..., Awaitable[bool]] = self._entries.async_setup

    def __enter__(self) -> None:
        self._entries.async_setup = self._async_setup  # type: ignore[method-assign]

    def __exit__(self, *_: object) -> None:
        self._entries.async_setup = self._original  # type: ignore[method-assign]

    async def _async_setup(self, entry_id: str, *args: Any, **kwargs: Any) -> bool:
        first = self._timing.setup is None
        if first:
            entry = self._entries.async_get_entry(entry_id)
            if self._flow is not None and entry is not None:
                self._entries.async_update_entry(entry, options=self._flow.options)
            self._timing.setup = self._position()
            self._timing.began = real_monotonic()
        try:
            return await self._original(entry_id, *args, **kwargs)
        finally:
            if first:
                self._timing.returned = self._position()


async def _async_settle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    tracker: ReadinessTracker,
    entry: ConfigEntry,
) -> set[str]:
    """Wait until no further entity shows data; the clock follows real time."""
    deadline = real_monotonic() + SETTLE_MAX
    seen = len(tracker.first_data)
    quiet_since = last = real_monotonic()
    while last < deadline:
        await hass.async_add_executor_job(time.sleep, SETTLE_POLL)
        freezer.tick(timedelta(seconds=real_monotonic() - last))
        last = real_monotonic()
        fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        if len(tracker.first_data) != seen:
            seen, quiet_since = len(tracker.first_data), real_monotonic()
        elif real_monotonic() - quiet_since >= SETTLE_QUIET:
            break
    return {e for e in _enabled_entities(hass, entry) if e in tracker.first_data}


async def _async_run_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    scenario: Scenario,
    setup: _Setup,
    config: RunConfig,
) -> tuple[float, float, list[str]]:
    """Step through the period; return main-thread CPU, wall seconds, actions run."""
    end = config.start + timedelta(hours=config.hours)
    pending = sorted(scenario.actions, key=lambda action: action.at)
    done: list[str] = []
    cpu, wall = time.thread_time(), real_monotonic()
    while (now := dt_util.utcnow()) + config.step < end:
        freezer.tick(config.step)
        fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        now = dt_util.utcnow()
        while pending and setup.entry and config.start + pending[0].at <= now:
            action = pending.pop(0)
            await action.run(hass, setup.entry)
            await hass.async_block_till_done(wait_background_tasks=True)
            local = now.astimezone(dt_util.get_default_time_zone())
            done.append(f"{local:%H:%M} {action.label}")
    return time.thread_time() - cpu, real_monotonic() - wall, done


def _enabled_entities(hass: HomeAssistant, entry: ConfigEntry) -> list[str]:
    registry = er.async_get(hass)
    return [
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.disabled_by is None
    ]


def entity_figures(hass: HomeAssistant, setup: _Setup) -> EntityFigures:
    """Count the entry's entities and devices and how they showed data."""
    if setup.entry is None:
        return EntityFigures()
    entries = er.async_entries_for_config_entry(
        er.async_get(hass), setup.entry.entry_id
    )
    enabled = [e.entity_id for e in entries if e.disabled_by is None]
    by_domain: dict[str, int] = {}
    for e in entries:
        by_domain[e.domain] = by_domain.get(e.domain, 0) + 1
    seen = setup.tracker.first_data
    return EntityFigures(
        total=len(entries),
        enabled=len(enabled),
        disabled=len(entries) - len(enabled),
        devices=len(
            dr.async_entries_for_config_entry(dr.async_get(hass), setup.entry.entry_id)
        ),
        with_data_at_setup=len(setup.ready),
        data_later={
            e: (setup.tracker.first_data_at[e] - setup.began_at).total_seconds()
            for e in sorted(enabled)
            if e in seen and e not in setup.ready
        },
        never_data=sorted(e for e in enabled if e not in seen and _no_data(hass, e)),
        by_domain=dict(sorted(by_domain.items())),
    )


def _no_data(hass: HomeAssistant, entity_id: str) -> bool:
    state = hass.states.get(entity_id)
    return state is None or state.state in NO_DATA
