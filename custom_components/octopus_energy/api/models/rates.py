"""Models of the REST API: products, unit rates, standing charges and consumption.

Money is in **pence** (GBP minor unit) as floats, exactly as the API gives
`value_inc_vat` / `value_exc_vat`; times are aware datetimes in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from ._parse import as_datetime, as_dict, as_dicts, as_float, as_str


class Fuel(StrEnum):
    """A supply: selects REST paths and GraphQL enum values."""

    ELECTRICITY = "electricity"
    GAS = "gas"


class RateRegister(StrEnum):
    """Which unit rates of an electricity tariff (the REST path segment)."""

    STANDARD = "standard-unit-rates"
    DAY = "day-unit-rates"
    NIGHT = "night-unit-rates"


TARIFF_GROUPS: tuple[str, ...] = (
    "single_register_electricity_tariffs",
    "dual_register_electricity_tariffs",
    "four_rate_ev_electricity_tariffs",
    "single_register_gas_tariffs",
)
"""Product sections listing tariffs per region and payment method."""


@dataclass(frozen=True, kw_only=True)
class Rate:
    """One unit rate or standing charge window (pence, including and excluding VAT).

    `valid_to` is None for an open-ended rate.
    """

    value_inc_vat: float
    value_exc_vat: float | None
    valid_from: datetime | None
    valid_to: datetime | None
    payment_method: str | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rate | None:
        """Parse one element of `results`; None without a price."""
        value = as_float(data.get("value_inc_vat"))
        if value is None:
            return None
        return cls(
            value_inc_vat=value,
            value_exc_vat=as_float(data.get("value_exc_vat")),
            valid_from=as_datetime(data.get("valid_from")),
            valid_to=as_datetime(data.get("valid_to")),
            payment_method=as_str(data.get("payment_method")),
            raw=data,
        )


@dataclass(frozen=True, kw_only=True)
class Consumption:
    """One metered interval: kWh for electricity; m³ or kWh for gas (per meter)."""

    consumption: float
    interval_start: datetime
    interval_end: datetime
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Consumption | None:
        """Parse one element of `results`; None when incomplete."""
        value = as_float(data.get("consumption"))
        start = as_datetime(data.get("interval_start"))
        end = as_datetime(data.get("interval_end"))
        if value is None or start is None or end is None:
            return None
        return cls(consumption=value, interval_start=start, interval_end=end, raw=data)


@dataclass(frozen=True, kw_only=True)
class ProductTariff:
    """One tariff of a product: region, payment method and rate links (rel → URL)."""

    tariff_code: str
    group: str
    region: str
    payment: str
    links: dict[str, str]


def _tariffs(group: str, regions: Any) -> list[ProductTariff]:
    tariffs = []
    for region, payments in as_dict(regions).items():
        for payment, tariff in as_dict(payments).items():
            code = as_str(as_dict(tariff).get("code"))
            if code is None:
                continue
            links = {
                rel: href
                for link in as_dicts(as_dict(tariff).get("links"))
                if (rel := as_str(link.get("rel")))
                and (href := as_str(link.get("href")))
            }
            tariffs.append(
                ProductTariff(
                    tariff_code=code,
                    group=group,
                    region=region,
                    payment=payment,
                    links=links,
                )
            )
    return tariffs


@dataclass(frozen=True, kw_only=True)
class Product:
    """A product (`/v1/products/{code}/`) with all its tariffs."""

    code: str
    full_name: str | None
    tariffs: list[ProductTariff]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_dict(cls, code: str, data: dict[str, Any]) -> Product:
        """Parse the product document."""
        tariffs = [
            tariff
            for group in TARIFF_GROUPS
            for tariff in _tariffs(group, data.get(group))
        ]
        return cls(
            code=as_str(data.get("code")) or code,
            full_name=as_str(data.get("full_name")),
            tariffs=tariffs,
            raw=data,
        )

    def rate_links(self, tariff_code: str) -> dict[str, str]:
        """Return the rate links of one tariff (empty when the tariff is unknown).

        Keys are the `rel` values, e.g. `standard_unit_rates`, `day_unit_rates`.
        `direct_debit_monthly` wins over `varying` when both list the tariff.
        """
        links: dict[str, str] = {}
        for tariff in sorted(
            (t for t in self.tariffs if t.tariff_code == tariff_code),
            key=lambda t: t.payment == "direct_debit_monthly",
        ):
            links.update(tariff.links)
        return links
