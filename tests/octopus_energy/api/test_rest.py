"""REST operations at the HTTP level: products, rates, standing charges, consumption."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
import re
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from aioresponses import aioresponses
import pytest
from yarl import URL

from custom_components.octopus_energy.api import (
    DEFAULT_USER_AGENT,
    Fuel,
    OctopusEnergyClient,
    OctopusEnergyNotFoundError,
    OctopusEnergyResponseError,
    RateRegister,
)
from custom_components.octopus_energy.api.const import MAX_PAGES

from .conftest import API_KEY, load_json

BASE = "https://api.octopus.energy"
PRODUCT = "AGILE-24-10-01"
TARIFF = "E-1R-AGILE-24-10-01-C"
FROM = datetime(2026, 1, 10, tzinfo=UTC)
TO = datetime(2026, 1, 11, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def rate(start: datetime, minutes: int = 30, value: float = 20.5) -> dict[str, Any]:
    """Build one API rate record."""
    return {
        "value_exc_vat": round(value / 1.05, 4),
        "value_inc_vat": value,
        "valid_from": start.isoformat().replace("+00:00", "Z"),
        "valid_to": (start + timedelta(minutes=minutes))
        .isoformat()
        .replace("+00:00", "Z"),
        "payment_method": None,
    }


def page(results: list[dict[str, Any]], next_url: str | None = None) -> dict[str, Any]:
    """Build one page of a paginated answer."""
    return {"count": 99, "next": next_url, "previous": None, "results": results}


def requests_to(mock_http: aioresponses, method: str = "GET") -> list[tuple[URL, Any]]:
    """Return (url, kwargs) of every request sent with `method`, in order."""
    return [
        (url, call.kwargs)
        for (verb, url), calls in mock_http.requests.items()
        if verb == method
        for call in calls
    ]


async def test_get_product(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """A product lists its tariffs; direct-debit links win over varying ones."""
    mock_http.get(f"{BASE}/v1/products/{PRODUCT}/", payload=load_json("product.json"))
    product = await client.get_product(PRODUCT)
    assert product.code == PRODUCT
    assert product.full_name == "Agile Octopus October 2024 v1"
    assert {t.tariff_code for t in product.tariffs} == {
        TARIFF,
        "E-2R-AGILE-24-10-01-C",
    }
    links = product.rate_links(TARIFF)
    assert links["standard_unit_rates"].endswith(f"{TARIFF}/standard-unit-rates/")
    assert "standing_charges" in links
    assert set(product.rate_links("E-2R-AGILE-24-10-01-C")) == {
        "day_unit_rates",
        "night_unit_rates",
    }
    assert product.rate_links("UNKNOWN") == {}
    ((_, kwargs),) = requests_to(mock_http)
    expected = base64.b64encode(f"{API_KEY}:".encode()).decode()
    assert kwargs["headers"]["Authorization"] == f"Basic {expected}"
    assert kwargs["headers"]["User-Agent"] == DEFAULT_USER_AGENT
    assert kwargs["headers"]["Ha-Integration-Context"] == "get_product"
    assert client.request_counter.by_operation() == {"get_product": 1}


async def test_unknown_product(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """A 404 on the product is a not-found error (the unknown-product repair)."""
    mock_http.get(
        f"{BASE}/v1/products/NOPE/", status=404, payload={"detail": "Not found."}
    )
    with pytest.raises(OctopusEnergyNotFoundError) as info:
        await client.get_product("NOPE")
    assert info.value.status == 404


async def test_product_not_an_object(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """A product body that is not an object is a response error."""
    mock_http.get(f"{BASE}/v1/products/{PRODUCT}/", payload=[1, 2])
    with pytest.raises(OctopusEnergyResponseError):
        await client.get_product(PRODUCT)


async def test_unit_rates_follow_every_page(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """All pages are read and the rates come back oldest first."""
    path = (
        f"{BASE}/v1/products/{PRODUCT}/electricity-tariffs/{TARIFF}/"
        "standard-unit-rates/"
    )
    slots = [FROM + timedelta(minutes=30 * i) for i in range(6)]
    mock_http.get(
        re.compile(re.escape(path) + r"\?period_from=.*"),
        payload=page(
            [rate(slot) for slot in reversed(slots[3:])], f"{path}?page=2&x=1"
        ),
    )
    mock_http.get(
        f"{path}?page=2&x=1",
        payload=page([rate(slot) for slot in reversed(slots[1:3])], f"{path}?page=3"),
    )
    mock_http.get(f"{path}?page=3", payload=page([rate(slots[0]), {"bad": 1}]))
    rates = await client.get_unit_rates(Fuel.ELECTRICITY, PRODUCT, TARIFF, FROM, TO)
    assert [r.valid_from for r in rates] == slots
    assert rates[0].value_inc_vat == 20.5
    assert rates[0].value_exc_vat == pytest.approx(19.5238)
    sent = requests_to(mock_http)
    assert len(sent) == 3
    assert sent[0][0].query["period_from"] == "2026-01-10T00:00:00Z"
    assert sent[0][0].query["period_to"] == "2026-01-11T00:00:00Z"
    assert client.request_counter.by_operation() == {"get_unit_rates": 3}


@pytest.mark.parametrize(
    ("fuel", "register", "segment"),
    [
        (Fuel.ELECTRICITY, RateRegister.DAY, "electricity-tariffs/T/day-unit-rates/"),
        (
            Fuel.ELECTRICITY,
            RateRegister.NIGHT,
            "electricity-tariffs/T/night-unit-rates/",
        ),
        (Fuel.GAS, RateRegister.STANDARD, "gas-tariffs/T/standard-unit-rates/"),
    ],
)
async def test_unit_rate_paths(
    client: OctopusEnergyClient,
    mock_http: aioresponses,
    fuel: Fuel,
    register: RateRegister,
    segment: str,
) -> None:
    """Day, night and gas rates use their own paths, also paginated."""
    path = f"{BASE}/v1/products/P/{segment}"
    mock_http.get(
        re.compile(re.escape(path) + r"\?period.*"),
        payload=page([rate(FROM)], f"{path}?page=2"),
    )
    mock_http.get(f"{path}?page=2", payload=page([rate(FROM - timedelta(hours=1))]))
    rates = await client.get_unit_rates(fuel, "P", "T", FROM, TO, register=register)
    assert len(rates) == 2


async def test_standing_charges(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """Standing charges are read completely, with open-ended records."""
    path = f"{BASE}/v1/products/P/gas-tariffs/G-1R-P-C/standing-charges/"
    open_ended = rate(FROM) | {"valid_to": None, "payment_method": "DIRECT_DEBIT"}
    mock_http.get(
        re.compile(re.escape(path) + ".*"),
        payload=page([open_ended], f"{path}?page=2"),
        repeat=False,
    )
    mock_http.get(f"{path}?page=2", payload=page([rate(FROM) | {"valid_from": None}]))
    charges = await client.get_standing_charges(Fuel.GAS, "P", "G-1R-P-C", FROM, None)
    assert [c.valid_from for c in charges] == [None, FROM]
    assert charges[1].valid_to is None
    assert charges[1].payment_method == "DIRECT_DEBIT"
    assert client.request_counter.by_operation() == {"get_standing_charges": 2}


async def test_rates_from_link_on_injected_host(
    session: aiohttp.ClientSession, mock_http: aioresponses
) -> None:
    """Rate links and `next` pages of the real host go to the injected host."""
    client = OctopusEnergyClient(
        api_key=API_KEY, session=session, base_url="http://sim.local:8080/"
    )
    link = f"{BASE}/v1/products/P/electricity-tariffs/T/standard-unit-rates/"
    local = (
        "http://sim.local:8080/v1/products/P/electricity-tariffs/T/standard-unit-rates/"
    )
    mock_http.get(
        re.compile(re.escape(local) + r"\?period.*"),
        payload=page([rate(FROM)], f"{link}?page=2"),
    )
    mock_http.get(f"{local}?page=2", payload=page([rate(FROM + timedelta(hours=1))]))
    rates = await client.get_rates_from_link(link, FROM, TO)
    assert len(rates) == 2
    assert all(url.host == "sim.local" for url, _ in requests_to(mock_http))


async def test_foreign_next_link_is_followed(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """A `next` link on another host is followed as given."""
    path = f"{BASE}/v1/products/P/gas-tariffs/T/standard-unit-rates/"
    mock_http.get(
        re.compile(re.escape(path) + ".*"),
        payload=page([rate(FROM)], "https://mirror.example/page2"),
    )
    mock_http.get("https://mirror.example/page2", payload=page([]))
    assert len(await client.get_unit_rates(Fuel.GAS, "P", "T", FROM, TO)) == 1


async def test_pagination_guard(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """A `next` link that never ends stops after MAX_PAGES pages."""
    path = f"{BASE}/v1/products/P/gas-tariffs/T/standard-unit-rates/"
    mock_http.get(
        re.compile(re.escape(path) + ".*"),
        payload=page([rate(FROM)], f"{path}?page=again"),
        repeat=True,
    )
    with pytest.raises(OctopusEnergyResponseError, match="pages"):
        await client.get_unit_rates(Fuel.GAS, "P", "T", FROM, TO)
    assert client.request_counter.total == MAX_PAGES


async def test_page_not_an_object(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """A page that is not an object is a response error."""
    path = f"{BASE}/v1/products/P/gas-tariffs/T/standard-unit-rates/"
    mock_http.get(re.compile(re.escape(path) + ".*"), payload=["x"])
    with pytest.raises(OctopusEnergyResponseError):
        await client.get_unit_rates(Fuel.GAS, "P", "T", FROM, TO)


async def test_naive_period_refused(client: OctopusEnergyClient) -> None:
    """Naive datetimes are refused before anything is sent."""
    with pytest.raises(ValueError, match="timezone-aware"):
        await client.get_unit_rates(
            Fuel.GAS, "P", "T", datetime.fromisoformat("2026-01-01T00:00:00"), None
        )


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
async def test_rates_across_clock_change(
    client: OctopusEnergyClient, mock_http: aioresponses, day: date
) -> None:
    """A local day with a clock change has 46 or 50 half-hours, all parsed exactly.

    The records mix `Z` and `+01:00` offsets, as API answers can.
    """
    start = datetime.combine(day, time(), LONDON).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), LONDON).astimezone(UTC)
    slots = int((end - start) / timedelta(minutes=30))
    records = []
    for index in range(slots):
        slot = start + timedelta(minutes=30 * index)
        record = rate(slot, value=10 + index)
        if index % 2:
            local = slot.astimezone(LONDON)
            record["valid_from"] = local.isoformat()
        records.append(record)
    path = f"{BASE}/v1/products/P/electricity-tariffs/T/standard-unit-rates/"
    mock_http.get(
        re.compile(re.escape(path) + ".*"), payload=page(list(reversed(records)))
    )
    rates = await client.get_unit_rates(Fuel.ELECTRICITY, "P", "T", start, end)
    assert len(rates) == (46 if day.month == 3 else 50)
    assert all(r.valid_from is not None and r.valid_from.tzinfo for r in rates)
    starts = [r.valid_from for r in rates]
    assert all(
        b - a == timedelta(minutes=30)  # type: ignore[operator]
        for a, b in pairwise(starts)
    )
    assert [r.value_inc_vat for r in rates] == [10 + i for i in range(slots)]


async def test_consumption_with_period_reads_every_page(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """With a period, all consumption pages are read and sorted by end."""
    path = f"{BASE}/v1/electricity-meter-points/MPAN/meters/SN/consumption/"

    def record(index: int) -> dict[str, Any]:
        start = FROM + timedelta(minutes=30 * index)
        return {
            "consumption": 0.1 * index,
            "interval_start": start.isoformat(),
            "interval_end": (start + timedelta(minutes=30)).isoformat(),
        }

    mock_http.get(
        re.compile(re.escape(path) + r"\?.*page_size=.*"),
        payload=page([record(3), record(2)], f"{path}?page=2"),
    )
    mock_http.get(f"{path}?page=2", payload=page([record(1), {"consumption": 1}]))
    data = await client.get_consumption(
        Fuel.ELECTRICITY, "MPAN", "SN", period_from=FROM, period_to=TO, page_size=2
    )
    assert [c.consumption for c in data] == pytest.approx([0.1, 0.2, 0.3])
    assert data[0].interval_start == FROM + timedelta(minutes=30)
    url, _ = requests_to(mock_http)[0]
    assert url.query["page_size"] == "2"


async def test_latest_consumption_reads_one_page(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """Without a period only the latest page is read (no crawl of all history)."""
    path = f"{BASE}/v1/gas-meter-points/MPRN/meters/SN/consumption/"
    result = {
        "consumption": 1.5,
        "interval_start": "2026-01-10T00:00:00Z",
        "interval_end": "2026-01-10T00:30:00Z",
    }
    mock_http.get(f"{path}?page_size=52", payload=page([result], f"{path}?page=2"))
    data = await client.get_consumption(Fuel.GAS, "MPRN", "SN", page_size=52)
    assert len(data) == 1
    assert data[0].interval_end == datetime(2026, 1, 10, 0, 30, tzinfo=UTC)
    assert client.request_counter.total == 1


async def test_latest_consumption_odd_body(
    client: OctopusEnergyClient, mock_http: aioresponses
) -> None:
    """An empty or odd latest-consumption body gives no records."""
    path = f"{BASE}/v1/gas-meter-points/MPRN/meters/SN/consumption/"
    mock_http.get(path, body="")
    assert await client.get_consumption(Fuel.GAS, "MPRN", "SN") == []
