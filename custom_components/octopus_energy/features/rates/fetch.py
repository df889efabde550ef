"""Fetch and normalise unit rates and standing charges (no Home Assistant state).

`async_fetch_rates` turns a tariff's REST rates into half-hour `RateSlot`s in GBP/kWh
and `async_fetch_standing_charge` returns the GBP/day charge of one UK day. Both work
for electricity (import or export) and gas alike: the tariff code says which
registers exist.

Rate paths
----------
A tariff's rates live at the well-known REST paths
`/v1/products/{product}/{fuel}-tariffs/{tariff}/{register}/` (the links of the
product document name exactly these): `standard-unit-rates`, or `day-unit-rates`
and `night-unit-rates` when the tariff code's register part is `2R`, and
`standing-charges`. The product document itself is therefore never requested,
and there is nothing to cache. A product or tariff Octopus does not know answers
404 (the rates feature raises the `unknown_product` repair).

Normalisation
-------------
- Payment method: per validity period, when rows of the preferred method exist
  (`DIRECT_DEBIT` with `favour_direct_debit_rates`, else `NON_DIRECT_DEBIT`) rows of
  the other method are dropped; rows without a method (Agile) are always kept.
- Price cap (pence/kWh, per fuel): a higher price is clamped and `is_capped`.
- Negative prices are kept, gas included (the community integration rejected gas
  retrievals with a negative price).
- Day/night registers are combined into one slot list: a slot is "night" in
  23:30-05:30 UK time on IOG-SMB-TOU products, 00:30-07:30 UTC on smart meters, and
  00:00-07:00 UK time otherwise (the community integration's rules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time

from ...api import Fuel, OctopusEnergyClient, Rate
from ...models import AccountSettings, ActiveMeter, RateSlot, StandingCharge
from ...timeutil import SLOT, UK_TZ, floor_slot, uk_day_bounds

LINK_STANDARD = "standard_unit_rates"
LINK_DAY = "day_unit_rates"
LINK_NIGHT = "night_unit_rates"
LINK_STANDING_CHARGES = "standing_charges"
DIRECT_DEBIT = "DIRECT_DEBIT"
NON_DIRECT_DEBIT = "NON_DIRECT_DEBIT"


def _fallback_path(meter: ActiveMeter, kind: str) -> str:
    """The well-known REST path of a tariff's rates (`kind` like `day-unit-rates`)."""
    return (
        f"/v1/products/{meter.product_code}/{meter.fuel.value}-tariffs/"
        f"{meter.tariff_code}/{kind}/"
    )


def _is_dual_register(meter: ActiveMeter) -> bool:
    parts = meter.tariff_code.split("-")
    return meter.fuel is Fuel.ELECTRICITY and len(parts) > 1 and parts[1] == "2R"


def _link(meter: ActiveMeter, rel: str) -> str:
    return _fallback_path(meter, rel.replace("_", "-"))


def preferred_rates(rates: Iterable[Rate], *, favour_direct_debit: bool) -> list[Rate]:
    """Keep, per validity start, the preferred payment method's rows when present."""
    preferred = DIRECT_DEBIT if favour_direct_debit else NON_DIRECT_DEBIT
    rates = list(rates)
    starts_with_preferred = {
        rate.valid_from for rate in rates if rate.payment_method == preferred
    }
    return [
        rate
        for rate in rates
        if rate.payment_method in (None, preferred)
        or rate.valid_from not in starts_with_preferred
    ]


def _slot_values(
    rates: Iterable[Rate], start: datetime, end: datetime
) -> dict[datetime, float]:
    """Pence per half hour in [start, end); later rows win where rows overlap."""
    values: dict[datetime, float] = {}
    for rate in sorted(
        rates, key=lambda r: r.valid_from or datetime.min.replace(tzinfo=UTC)
    ):
        slot = floor_slot(max(rate.valid_from or start, start))
        stop = min(rate.valid_to or end, end)
        while slot < stop:
            values[slot] = rate.value_inc_vat
            slot += SLOT
    return values


def night_rule(meter: ActiveMeter) -> Callable[[datetime], bool]:
    """Whether a slot (by its UTC start) is on the night register of this meter."""
    if "IOG-SMB-TOU" in meter.product_code:
        return lambda slot: _within(slot.astimezone(UK_TZ), time(23, 30), time(5, 30))
    if meter.is_smart:
        return lambda slot: _within(slot.astimezone(UTC), time(0, 30), time(7, 30))
    return lambda slot: _within(slot.astimezone(UK_TZ), time(0), time(7))


def _within(moment: datetime, start: time, end: time) -> bool:
    clock = moment.time()
    if start <= end:
        return start <= clock < end
    return clock >= start or clock < end


def _to_slots(
    values: dict[datetime, float], cap: float | None, tariff_code: str
) -> list[RateSlot]:
    return [
        RateSlot(
            start=slot,
            end=slot + SLOT,
            value=round((min(pence, cap) if cap is not None else pence) / 100, 6),
            is_capped=cap is not None and pence > cap,
            tariff_code=tariff_code,
        )
        for slot, pence in sorted(values.items())
    ]


async def _fetch(
    client: OctopusEnergyClient,
    href: str,
    settings: AccountSettings,
    window: tuple[datetime, datetime],
    operation: str = "get_unit_rates",
) -> list[Rate]:
    rates = await client.get_rates_from_link(
        href, window[0], window[1], operation=operation
    )
    return preferred_rates(
        rates, favour_direct_debit=settings.favour_direct_debit_rates
    )


async def async_fetch_rates(
    client: OctopusEnergyClient,
    meter: ActiveMeter,
    settings: AccountSettings,
    start: datetime,
    end: datetime,
) -> list[RateSlot]:
    """The meter's half-hour rates (GBP/kWh inc VAT, capped) in [start, end) UTC.

    Sorted by start; half hours without a published price are absent (e.g. Agile
    before ~16:00 UK for tomorrow).
    """
    start, end = floor_slot(start), end.astimezone(UTC)
    window = (start, end)
    if _is_dual_register(meter):
        day = _slot_values(
            await _fetch(client, _link(meter, LINK_DAY), settings, window),
            start,
            end,
        )
        night = _slot_values(
            await _fetch(client, _link(meter, LINK_NIGHT), settings, window),
            start,
            end,
        )
        is_night = night_rule(meter)
        values = {
            slot: night[slot] if is_night(slot) and slot in night else pence
            for slot, pence in day.items()
        }
        values.update({s: p for s, p in night.items() if s not in day and is_night(s)})
    else:
        rates = await _fetch(client, _link(meter, LINK_STANDARD), settings, window)
        values = _slot_values(rates, start, end)
    return _to_slots(values, settings.price_cap(meter.fuel), meter.tariff_code)


async def async_fetch_standing_charge(
    client: OctopusEnergyClient,
    meter: ActiveMeter,
    settings: AccountSettings,
    day: date,
) -> StandingCharge | None:
    """The standing charge (GBP/day inc VAT) valid on the UK day `day`, if any."""
    start, end = uk_day_bounds(day)
    rates = await _fetch(
        client,
        _link(meter, LINK_STANDING_CHARGES),
        settings,
        (start, end),
        operation="get_standing_charges",
    )
    valid = [
        rate
        for rate in rates
        if (rate.valid_from is None or rate.valid_from <= start)
        and (rate.valid_to is None or rate.valid_to > start)
    ]
    chosen = valid[-1] if valid else (rates[-1] if rates else None)
    if chosen is None:
        return None
    return StandingCharge(
        value=round(chosen.value_inc_vat / 100, 6),
        start=chosen.valid_from,
        end=chosen.valid_to,
    )
