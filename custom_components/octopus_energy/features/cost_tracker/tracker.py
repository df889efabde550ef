"""A running cost tracker: follows its source entity, prices, rolls over, stores.

- **Source.** Every state change of the target entity becomes a reading in kWh
  (any energy unit; other units and non-numeric states are ignored) and is booked
  in the half hour it happened (`Ledger.add`). At start the current state of an
  accumulative source is compared with the stored last reading, so consumption
  while Home Assistant was stopped is counted once, in the first half hour after
  the start.
- **Prices.** The account meter's rates coordinator, looked up at each use (so an
  account reload is followed), gives the half hour's price and tier (tiers on
  days with 2 or 3 distinct rates). A half hour without a known price is costed
  when it becomes known.
- **Time.** At every half hour the periods roll over (UK midnight, the week day,
  the day of the month) and unpriced half hours are priced again.
- **Storage.** The ledger is one document (`octopus_energy.{entry_id}_cost_tracker`),
  saved a few seconds after each change and at unload and shutdown, so a
  restart neither loses nor double-counts a half hour.
- **Switching over.** Without a stored ledger, the totals a community cost
  tracker left in its sensors' restored attributes are taken over once.
- **Renames.** When the target entity's id is changed in the registry, the entry
  is rewritten with the new id and reloaded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Final

from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfEnergy,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers import entity_registry as er, restore_state
from homeassistant.helpers.event import (
    async_track_entity_registry_updated_event,
    async_track_state_change_event,
    async_track_utc_time_change,
)
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import EnergyConverter

from ...api import Fuel
from ...const import DOMAIN, LOGGER
from ...entity import entity_id_for
from ...entry_kinds import ChildConfigEntry, account_runtime, find_meter
from ...timeutil import uk_day
from ..rates import RatesFeature
from ..rates.tariff import day_slots, rate_tiers
from .model import (
    CONF_TARGET_ENTITY_ID,
    Ledger,
    Period,
    Reading,
    TrackerConfig,
    adjust_row,
    from_community,
    from_stored,
    new_ledger,
    to_stored,
)

STORE_VERSION: Final = 1
SAVE_DELAY: Final = 5
"""Seconds between a change and its save (HA's final write saves what is due)."""
NOT_A_NUMBER: Final = (STATE_UNAVAILABLE, STATE_UNKNOWN)


def reading_of(state: State | None) -> Reading | None:
    """The state as a reading in kWh, or None (not a number, not energy)."""
    if state is None or state.state in NOT_A_NUMBER:
        return None
    try:
        value = float(state.state)
    except ValueError:
        return None
    unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
    if unit not in EnergyConverter.VALID_UNITS:
        return None
    last_reset = state.attributes.get("last_reset")
    return Reading(
        kwh=EnergyConverter.convert(value, unit, UnitOfEnergy.KILO_WATT_HOUR),
        last_reset=None if last_reset is None else str(last_reset),
        state_class=state.attributes.get("state_class"),
    )


class CostTracker:
    """The ledger of one cost-tracker entry and what keeps it current."""

    def __init__(
        self, hass: HomeAssistant, entry: ChildConfigEntry, config: TrackerConfig
    ) -> None:
        """Nothing is loaded or followed before `async_start`."""
        self.hass = hass
        self.entry = entry
        self.config = config
        self.meter_key: str | None = None
        self.ledger = new_ledger(dt_util.utcnow(), config)
        self._store: Store[dict[str, Any]] = Store(
            hass, STORE_VERSION, f"{DOMAIN}.{entry.entry_id}_cost_tracker"
        )
        self._listeners: list[CALLBACK_TYPE] = []
        self._unsubs: list[CALLBACK_TYPE] = []

    # -- lifecycle -------------------------------------------------------------

    async def async_start(self, meter_key: str) -> None:
        """Load the ledger, catch up with the source, follow it and the clock."""
        self.meter_key = meter_key
        stored = await self._store.async_load()
        now = dt_util.utcnow()
        if isinstance(stored, dict) and (ledger := from_stored(stored)) is not None:
            self.ledger = ledger
        elif stored is None and (community := self._community_ledger(now)):
            LOGGER.info("Took over the totals of a community cost tracker")
            self.ledger = community
        self.ledger.roll(now, self.config)
        self.ledger.reprice(self.rate_lookup)
        if self.config.accumulative and (
            reading := reading_of(self.hass.states.get(self.config.target_entity_id))
        ):
            self._book(reading, now, after_unavailable=False)
        self._schedule_save()
        target = self.config.target_entity_id
        self._unsubs = [
            async_track_state_change_event(self.hass, [target], self._on_source),
            async_track_utc_time_change(
                self.hass, self._on_half_hour, minute=(0, 30), second=0
            ),
            async_track_entity_registry_updated_event(
                self.hass, [target], self._on_registry
            ),
        ]

    def _community_ledger(self, now: datetime) -> Ledger | None:
        """The totals a community tracker left in its sensors' restored states."""
        registry = er.async_get(self.hass)
        restored = restore_state.async_get(self.hass).last_states
        attributes = []
        for suffix in ("", "_week", "_month"):
            unique_id = f"octopus_energy_cost_tracker_{self.config.name}{suffix}"
            entity_id = registry.async_get_entity_id(
                "sensor", DOMAIN, unique_id
            ) or entity_id_for("sensor", unique_id)
            last = restored.get(entity_id)
            attributes.append(dict(last.state.attributes) if last else None)
        return from_community(now, self.config, *attributes)

    async def async_stop(self) -> None:
        """Stop following; save now."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs = []
        await self._store.async_save(self._document())

    def _document(self) -> dict[str, Any]:
        return to_stored(self.ledger)

    def _schedule_save(self) -> None:
        self._store.async_delay_save(self._document, SAVE_DELAY)

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> Callable[[], None]:
        """Call `update` after every change; returns the remover."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @callback
    def _changed(self) -> None:
        self._schedule_save()
        for update in list(self._listeners):
            update()

    # -- prices ----------------------------------------------------------------

    def rate_lookup(self, start: datetime) -> tuple[float, str | None] | None:
        """The price and tier of the half hour starting at `start`, if known."""
        runtime = account_runtime(self.hass, self.config.account_id)
        feature = runtime.feature(RatesFeature) if runtime else None
        rates = feature.rates_for(self.meter_key or "") if feature else None
        if rates is None or rates.data is None:
            return None
        for slot in rates.data.slots:
            if slot.start == start:
                tiers = rate_tiers(day_slots(rates.data.slots, uk_day(start)))
                return slot.value, tiers.get(slot.value)
        return None

    # -- events ----------------------------------------------------------------

    def _book(
        self, reading: Reading, now: datetime, *, after_unavailable: bool
    ) -> bool:
        kwh = self.ledger.consumption_of(
            reading,
            accumulative=self.config.accumulative,
            after_unavailable=after_unavailable,
        )
        self.ledger.roll(now, self.config)
        self.ledger.add(now, kwh, self.rate_lookup)
        return kwh > 0

    @callback
    def _on_source(self, event: Event[EventStateChangedData]) -> None:
        new_state = event.data["new_state"]
        new = reading_of(new_state)
        if new is None or new_state is None:
            return
        self._book(
            new,
            new_state.last_updated,
            after_unavailable=reading_of(event.data["old_state"]) is None,
        )
        self._changed()

    @callback
    def _on_half_hour(self, now: datetime) -> None:
        rolled = self.ledger.roll(now, self.config)
        repriced = self.ledger.reprice(self.rate_lookup)
        if rolled or repriced:
            self._changed()

    @callback
    def _on_registry(self, event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        data = event.data
        if data["action"] != "update" or "old_entity_id" not in data:
            return
        new_id = data["entity_id"]
        LOGGER.info("The entity a cost tracker follows was renamed; following it")
        self.hass.config_entries.async_update_entry(
            self.entry, data={**self.entry.data, CONF_TARGET_ENTITY_ID: new_id}
        )
        self.hass.config_entries.async_schedule_reload(self.entry.entry_id)

    # -- actions ---------------------------------------------------------------

    @callback
    def set_tracking(self, enabled: bool) -> None:
        """`update_cost_tracker`."""
        self.ledger.is_tracking = enabled
        self._changed()

    @callback
    def reset_day(self) -> None:
        """`reset_cost_tracker` on the day sensor."""
        self.ledger.reset_day(dt_util.utcnow())
        self._changed()

    @callback
    def reset_period(self, period: str) -> None:
        """`reset_cost_tracker` on the week or month sensor."""
        target: Period = getattr(self.ledger, period)
        target.since, target.rows = uk_day(dt_util.utcnow()), {}
        self._changed()

    @callback
    def adjust(self, moment: datetime, kwh: float) -> bool:
        """`adjust_cost_tracker`: False when no tracked half hour contains it."""
        if not self.ledger.adjust(moment, kwh):
            return False
        self._changed()
        return True

    @callback
    def adjust_row(self, period: str, day: date, kwh: float, cost: float) -> bool:
        """`adjust_accumulative_cost_tracker`: False when the day has no row."""
        if not adjust_row(getattr(self.ledger, period), day, kwh, cost):
            return False
        self._changed()
        return True

    def diagnostics(self) -> dict[str, Any]:
        """Counts only (no entity ids or meter ids)."""
        ledger: Ledger = self.ledger
        return {
            "accumulative": self.config.accumulative,
            "manual_reset": self.config.manual_reset,
            "weekday_reset": self.config.weekday_reset,
            "month_day_reset": self.config.month_day_reset,
            "is_tracking": ledger.is_tracking,
            "tracked_half_hours": len(ledger.tracked),
            "untracked_half_hours": len(ledger.untracked),
            "unpriced_half_hours": sum(
                1 for c in ledger.tracked.values() if c.rate is None
            ),
            "week_days": len(ledger.week.rows),
            "month_days": len(ledger.month.rows),
        }


def tracker_meter_key(hass: HomeAssistant, config: TrackerConfig) -> str | None:
    """The key of the account's electricity meter on the tracker's MPAN."""
    runtime = account_runtime(hass, config.account_id)
    meter = find_meter(runtime, config.mpan, (Fuel.ELECTRICITY,)) if runtime else None
    return meter.key if meter else None
