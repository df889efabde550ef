"""REST operations: products, unit rates, standing charges and consumption.

REST calls authenticate with HTTP Basic (the API key, empty password) and need no
token. Every list follows `next` to the last page, so no page is ever dropped.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .const import DEFAULT_BASE_URL, MAX_PAGES
from .exceptions import OctopusEnergyResponseError
from .graphql import iso_utc
from .models import Consumption, Fuel, Product, Rate, RateRegister
from .models._parse import as_dicts, as_str
from .transport import Transport


def basic_auth(api_key: str) -> str:
    """Build the HTTP Basic `Authorization` value: the key and an empty password."""
    return "Basic " + base64.b64encode(f"{api_key}:".encode()).decode("ascii")


def _period(period_from: datetime | None, period_to: datetime | None) -> dict[str, str]:
    params = {}
    if period_from is not None:
        params["period_from"] = iso_utc(period_from)
    if period_to is not None:
        params["period_to"] = iso_utc(period_to)
    return params


def _sorted_rates(items: list[dict[str, Any]]) -> list[Rate]:
    rates = [rate for item in items if (rate := Rate.from_dict(item)) is not None]
    return sorted(
        rates, key=lambda rate: (rate.valid_from is not None, rate.valid_from)
    )


class RestMixin:
    """REST operations on the main host."""

    api_key: str
    base_url: str
    _transport: Transport

    def _url(self, path: str) -> str:
        """Build a URL on the configured host.

        Absolute URLs of the real host (rate links, `next` pages) are moved to the
        configured host too.
        """
        base = self.base_url.rstrip("/")
        if path.startswith(DEFAULT_BASE_URL):
            path = path.removeprefix(DEFAULT_BASE_URL)
        if path.startswith(("http://", "https://")):
            return path
        return f"{base}/{path.lstrip('/')}"

    async def _get(
        self, path: str, operation: str, params: Mapping[str, str] | None = None
    ) -> Any:
        return await self._transport.request(
            "GET",
            self._url(path),
            operation=operation,
            params=params,
            headers={"Authorization": basic_auth(self.api_key)},
        )

    async def _get_all(
        self, path: str, operation: str, params: Mapping[str, str]
    ) -> list[dict[str, Any]]:
        """Collect `results` of every page, following `next`."""
        results: list[dict[str, Any]] = []
        next_url: str | None = path
        query: Mapping[str, str] | None = params
        pages = 0
        while next_url is not None:
            if pages == MAX_PAGES:
                msg = f"More than {MAX_PAGES} pages ({operation})"
                raise OctopusEnergyResponseError(msg)
            body = await self._get(next_url, operation, query)
            if not isinstance(body, dict):
                msg = f"The page is not an object ({operation})"
                raise OctopusEnergyResponseError(msg)
            results.extend(as_dicts(body.get("results")))
            next_url, query, pages = as_str(body.get("next")), None, pages + 1
        return results

    async def get_product(self, product_code: str) -> Product:
        """Return a product with its tariffs and rate links (404: not found)."""
        body = await self._get(f"/v1/products/{product_code}/", "get_product")
        if not isinstance(body, dict):
            msg = "The product is not an object (get_product)"
            raise OctopusEnergyResponseError(msg)
        return Product.from_dict(product_code, body)

    async def get_rates_from_link(
        self,
        href: str,
        period_from: datetime | None,
        period_to: datetime | None,
        *,
        operation: str = "get_unit_rates",
    ) -> list[Rate]:
        """Return every rate of a rate link (`Product.rate_links`), oldest first."""
        items = await self._get_all(href, operation, _period(period_from, period_to))
        return _sorted_rates(items)

    async def get_unit_rates(
        self,
        fuel: Fuel,
        product_code: str,
        tariff_code: str,
        period_from: datetime | None,
        period_to: datetime | None,
        *,
        register: RateRegister = RateRegister.STANDARD,
    ) -> list[Rate]:
        """Return unit rates (pence/kWh) of a tariff, all pages, oldest first.

        `register` selects standard, day or night rates (gas has standard only).
        """
        path = (
            f"/v1/products/{product_code}/{fuel.value}-tariffs/{tariff_code}/"
            f"{register.value}/"
        )
        return await self.get_rates_from_link(path, period_from, period_to)

    async def get_standing_charges(
        self,
        fuel: Fuel,
        product_code: str,
        tariff_code: str,
        period_from: datetime | None,
        period_to: datetime | None,
    ) -> list[Rate]:
        """Return standing charges (pence/day) of a tariff, all pages, oldest first."""
        path = (
            f"/v1/products/{product_code}/{fuel.value}-tariffs/{tariff_code}/"
            "standing-charges/"
        )
        return await self.get_rates_from_link(
            path, period_from, period_to, operation="get_standing_charges"
        )

    async def get_consumption(
        self,
        fuel: Fuel,
        mpxn: str,
        serial_number: str,
        *,
        period_from: datetime | None = None,
        period_to: datetime | None = None,
        page_size: int | None = None,
    ) -> list[Consumption]:
        """Return metered consumption, sorted by interval end.

        With a period, every page is read. Without one, only the first page: the
        latest `page_size` intervals (the API default is 100).
        """
        params = _period(period_from, period_to)
        if page_size is not None:
            params["page_size"] = str(page_size)
        path = (
            f"/v1/{fuel.value}-meter-points/{mpxn}/meters/{serial_number}/consumption/"
        )
        if period_from is None and period_to is None:
            body = await self._get(path, "get_consumption", params)
            items = as_dicts(body.get("results")) if isinstance(body, dict) else []
        else:
            items = await self._get_all(path, "get_consumption", params)
        parsed = (Consumption.from_dict(item) for item in items)
        records = [c for c in parsed if c is not None]
        return sorted(records, key=lambda record: record.interval_end)
