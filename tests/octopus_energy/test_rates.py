"""Fetching and normalising rates and standing charges (simulator and stubs)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
import itertools
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
import pytest

from custom_components.octopus_energy.api import (
    Fuel,
    OctopusEnergyClient,
    Rate,
)
from custom_components.octopus_energy.features.rates.fetch import (
    async_fetch_rates,
    async_fetch_standing_charge,
    night_rule,
    preferred_rates,
)
from custom_components.octopus_energy.features.rates.tariff import uk_day_bounds
from custom_components.octopus_energy.models import AccountSettings, ActiveMeter

from .conftest import API_KEY, OctopusSim
from .rates_helpers import AGILE, FIXED_EXPORT, GAS, make_meter, utc

TODAY = date(2026, 11, 23)
WINDOW = (
    uk_day_bounds(TODAY - timedelta(days=1))[0],
    uk_day_bounds(TODAY + timedelta(days=1))[1],
)
DAY_NIGHT = make_meter(product="VAR-22-11-01", tariff="E-2R-VAR-22-11-01-C")


@pytest.fixture
async def client(
    octopus_sim: OctopusSim, freezer: FrozenDateTimeFactory
) -> AsyncIterator[OctopusEnergyClient]:
    """A client of the simulator at 12:00 UK time on a GMT day."""
    freezer.move_to(utc(2026, 11, 23, 12))
    async with aiohttp.ClientSession() as session:
        yield OctopusEnergyClient(
            api_key=API_KEY,
            session=session,
            base_url=str(octopus_sim.server.make_url("/octopus")),
        )


async def test_agile_until_published_then_tomorrow(
    client: OctopusEnergyClient,
    octopus_sim: OctopusSim,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Agile: up to 23:00 UK today before 16:00, to 23:00 tomorrow after; pages."""
    slots = await async_fetch_rates(client, AGILE, AccountSettings(), *WINDOW)
    assert len(slots) == 48 + 46
    assert slots[0].start == WINDOW[0]
    assert all(b.start == a.end for a, b in itertools.pairwise(slots))
    assert any(slot.value < 0 for slot in slots)
    freezer.move_to(utc(2026, 11, 23, 16, 5))
    slots = await async_fetch_rates(client, AGILE, AccountSettings(), *WINDOW)
    assert len(slots) == 48 + 48 + 46
    assert slots[-1].end == utc(2026, 11, 24, 23)
    assert octopus_sim.count("octopus.rest.products") == 0
    assert octopus_sim.count("octopus.rest.rates") == 3  # 94 rows: 1 page; 142: 2


async def test_price_cap(client: OctopusEnergyClient) -> None:
    """Prices above the cap are clamped and flagged; negative prices are kept."""
    settings = AccountSettings(electricity_price_cap=20.0)
    slots = await async_fetch_rates(client, AGILE, settings, *WINDOW)
    assert max(slot.value for slot in slots) == 0.2
    assert any(slot.is_capped for slot in slots)
    assert all(slot.value == 0.2 for slot in slots if slot.is_capped)
    assert any(slot.value < 0 and not slot.is_capped for slot in slots)


@pytest.mark.parametrize(("favour", "pence"), [(True, 15.3), (False, 16.065)])
async def test_payment_method(
    client: OctopusEnergyClient, favour: bool, pence: float
) -> None:
    """Direct-debit rows, or non-direct-debit rows, as the settings prefer."""
    settings = AccountSettings(favour_direct_debit_rates=favour)
    slots = await async_fetch_rates(client, FIXED_EXPORT, settings, *WINDOW)
    assert len(slots) == 144
    assert {round(slot.value * 100, 4) for slot in slots} == {pence}


def test_preferred_rates_keeps_the_only_method() -> None:
    """Without a row of the preferred method, the other method's rows are kept."""
    rows = [
        Rate(
            value_inc_vat=10,
            value_exc_vat=None,
            valid_from=utc(2026, 1, 1),
            valid_to=None,
            payment_method="NON_DIRECT_DEBIT",
            raw={},
        ),
        Rate(
            value_inc_vat=9,
            value_exc_vat=None,
            valid_from=utc(2026, 2, 1),
            valid_to=None,
            payment_method=None,
            raw={},
        ),
    ]
    assert preferred_rates(rows, favour_direct_debit=True) == rows


async def test_gas_rates_and_standing_charge(client: OctopusEnergyClient) -> None:
    """Gas: one price for three days; today's standing charge in GBP/day."""
    slots = await async_fetch_rates(client, GAS, AccountSettings(), *WINDOW)
    assert len(slots) == 144
    assert len({slot.value for slot in slots}) == 1
    charge = await async_fetch_standing_charge(client, GAS, AccountSettings(), TODAY)
    assert charge is not None
    assert 0.2 < charge.value < 0.5
    assert charge.end is None


@pytest.mark.parametrize(
    ("smart", "night_start", "night_end"),
    [
        (True, utc(2026, 11, 23, 0, 30), utc(2026, 11, 23, 7, 30)),
        (False, utc(2026, 11, 23, 0), utc(2026, 11, 23, 7)),
    ],
)
async def test_day_night_registers(
    client: OctopusEnergyClient,
    smart: bool,
    night_start: datetime,
    night_end: datetime,
) -> None:
    """Day and night registers combine into one slot list per the night rules."""
    meter = make_meter(
        product="VAR-22-11-01", tariff="E-2R-VAR-22-11-01-C", smart=smart
    )
    start, end = uk_day_bounds(TODAY)
    slots = await async_fetch_rates(client, meter, AccountSettings(), start, end)
    assert len(slots) == 48
    night = [slot for slot in slots if slot.value == min(s.value for s in slots)]
    assert (night[0].start, night[-1].end) == (night_start, night_end)
    assert len(night) == (night_end - night_start) / timedelta(minutes=30)
    charge = await async_fetch_standing_charge(client, meter, AccountSettings(), TODAY)
    assert charge is not None


def test_night_rule_iog_tou() -> None:
    """IOG-SMB-TOU nights are 23:30-05:30 UK time."""
    meter = make_meter(
        product="IOG-SMB-TOU-25-12-12", tariff="E-1R-IOG-SMB-TOU-25-12-12-H"
    )
    is_night = night_rule(meter)
    assert is_night(utc(2026, 6, 1, 22, 30))  # 23:30 BST
    assert not is_night(utc(2026, 6, 1, 4, 30))  # 05:30 BST
    assert is_night(utc(2026, 6, 1, 4))


class StubClient:
    """A client answering rate paths from a table (the product is never asked)."""

    def __init__(self, rates: dict[str, list[Rate]]) -> None:
        """Answer each path suffix with its rates."""
        self.rates = rates
        self.hrefs: list[str] = []

    async def get_rates_from_link(
        self, href: str, *_args: Any, **_kwargs: Any
    ) -> list[Rate]:
        """The rates of the path's kind."""
        self.hrefs.append(href)
        kind = href.rstrip("/").rsplit("/", 1)[-1]
        return self.rates.get(kind, [])


def _rate(pence: float, start: datetime, end: datetime | None) -> Rate:
    return Rate(
        value_inc_vat=pence,
        value_exc_vat=None,
        valid_from=start,
        valid_to=end,
        payment_method=None,
        raw={},
    )


async def test_fallback_paths_day_night_and_missing_charge() -> None:
    """A `2R` tariff asks the day/night paths; no standing charge → None."""
    start, end = uk_day_bounds(TODAY)
    stub = StubClient(
        {
            "day-unit-rates": [_rate(30, utc(2026, 1, 1), None)],
            "night-unit-rates": [_rate(10, utc(2026, 1, 1), None)],
        }
    )
    meter: ActiveMeter = make_meter(
        product="VAR-22-11-01", tariff="E-2R-VAR-22-11-01-Z", smart=False
    )
    slots = await async_fetch_rates(stub, meter, AccountSettings(), start, end)  # type: ignore[arg-type]
    assert [slot.value for slot in slots].count(0.1) == 14
    assert stub.hrefs == [
        "/v1/products/VAR-22-11-01/electricity-tariffs/E-2R-VAR-22-11-01-Z/day-unit-rates/",
        "/v1/products/VAR-22-11-01/electricity-tariffs/E-2R-VAR-22-11-01-Z/night-unit-rates/",
    ]
    assert (
        await async_fetch_standing_charge(stub, meter, AccountSettings(), TODAY) is None
    )  # type: ignore[arg-type]


async def test_night_only_slots_and_future_standing_charge() -> None:
    """Night rows without a day row count; else the later standing charge is taken."""
    start, end = uk_day_bounds(TODAY)
    stub = StubClient(
        {
            "day-unit-rates": [_rate(30, utc(2026, 11, 23, 6), None)],
            "night-unit-rates": [_rate(10, utc(2026, 11, 23), None)],
            "standing-charges": [_rate(50, utc(2026, 11, 23, 12), None)],
        }
    )
    meter = make_meter(Fuel.ELECTRICITY, product="P", tariff="E-2R-P-C", smart=False)
    slots = await async_fetch_rates(stub, meter, AccountSettings(), start, end)  # type: ignore[arg-type]
    assert slots[0].value == 0.1
    assert len(slots) == 48
    charge = await async_fetch_standing_charge(stub, meter, AccountSettings(), TODAY)  # type: ignore[arg-type]
    assert charge is not None
    assert charge.value == 0.5
