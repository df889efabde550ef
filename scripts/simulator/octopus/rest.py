"""The REST half of api.octopus.energy: products, rates, standing charges, consumption.

Paths are the real ones under the `/octopus` prefix, with or without the trailing
slash. Lists are paginated like Django REST framework: `count`, `next`,
`previous`, `results`, newest first; `page` and `page_size` choose the page.
Consumption needs HTTP Basic auth with the API key as user name.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiohttp import web
from yarl import URL

from ..core import SIM_KEY as SIM_APP_KEY
from .rows import Rows, Window, consumption_rows, rate_rows
from .state import REGIONS, VENDOR, TariffCode, find_meter, tariff_plan
from .timeutil import iso_utc, parse_datetime
from .values import VAT, region_factor

PREFIX = "/octopus"
RATE_PAGE_SIZE = (100, 1500)  # default, maximum
CONSUMPTION_PAGE_SIZE = (100, 25000)
NOT_FOUND = {"detail": "Not found."}
Body = dict[str, Any]
Handler = Callable[[web.Request, dict[str, Any], datetime], Body]


class RestError(Exception):
    """An error answer: status and JSON body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        """Keep the answer."""
        super().__init__(status)
        self.status = status
        self.body = body

    def response(self) -> web.Response:
        """The answer to send."""
        return web.json_response(self.body, status=self.status)


def _window(request: web.Request) -> Window:
    values = {}
    for key in ("period_from", "period_to"):
        text = request.query.get(key)
        if text:
            try:
                values[key] = parse_datetime(text)
            except ValueError:
                raise RestError(400, {key: ["Enter a valid date/time."]}) from None
    return Window(values.get("period_from"), values.get("period_to"))


def _positive_int(request: web.Request, key: str, default: int) -> int:
    text = request.query.get(key)
    if text is None:
        return default
    if not text.isdigit() or int(text) < 1:
        if key == "page":
            raise RestError(404, {"detail": "Invalid page."})
        return default
    return int(text)


def paginate(
    request: web.Request, rows: Rows, sizes: tuple[int, int]
) -> dict[str, Any]:
    """One page of `rows` with `next`/`previous` links back to this simulator."""
    size = min(_positive_int(request, "page_size", sizes[0]), sizes[1])
    page = _positive_int(request, "page", 1)
    pages = max(1, -(-rows.count // size))
    if page > pages:
        raise RestError(404, {"detail": "Invalid page."})

    def link(number: int) -> str | None:
        if not 1 <= number <= pages:
            return None
        query = dict(request.query)
        if number == 1:
            query.pop("page", None)
        else:
            query["page"] = str(number)
        return str(request.url.with_query(query))

    start = (page - 1) * size
    return {
        "count": rows.count,
        "next": link(page + 1),
        "previous": link(page - 1),
        "results": rows.page(start, start + size),
    }


def _tariff_entry(
    base: URL, fuel: str, tariff: TariffCode, plan: dict[str, Any]
) -> dict[str, Any]:
    href = base / "v1" / "products" / tariff.product / f"{fuel}-tariffs" / tariff.code()
    kinds = {
        "single": ["standard-unit-rates"],
        "dual": ["day-unit-rates", "night-unit-rates"],
    }[tariff.register]
    links = [
        {"href": f"{href}/{kind}/", "method": "GET", "rel": kind.replace("-", "_")}
        for kind in [*kinds, "standing-charges"]
    ]
    charge = plan["standing_charge"][-1]["value"] * region_factor(tariff.region)
    return {
        "code": tariff.code(),
        "standing_charge_exc_vat": round(charge / VAT, 4),
        "standing_charge_inc_vat": round(charge, 4),
        "online_discount_exc_vat": 0,
        "online_discount_inc_vat": 0,
        "dual_fuel_discount_exc_vat": 0,
        "dual_fuel_discount_inc_vat": 0,
        "exit_fees_exc_vat": 0,
        "exit_fees_inc_vat": 0,
        "exit_fees_type": "NONE",
        "links": links,
    }


PRODUCT_FIELDS = (
    "full_name",
    "display_name",
    "description",
    "is_variable",
    "is_green",
    "is_tracker",
    "is_prepay",
    "is_business",
    "is_restricted",
    "term",
    "available_from",
    "available_to",
)
TARIFF_GROUPS = {
    ("electricity", "single"): "single_register_electricity_tariffs",
    ("electricity", "dual"): "dual_register_electricity_tariffs",
    ("gas", "single"): "single_register_gas_tariffs",
}


def _endpoint(
    operation: str | Callable[[web.Request], str],
) -> Callable[[Handler], Callable[[web.Request], Awaitable[web.StreamResponse]]]:
    """Count the request, apply faults, and turn a `RestError` into its answer."""

    def wrap(
        handler: Handler,
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def endpoint(request: web.Request) -> web.StreamResponse:
            sim = request.app[SIM_APP_KEY]
            name = operation if isinstance(operation, str) else operation(request)
            target = _target(request)
            if (fault := await sim.enter(name, request, target=target)) is not None:
                return fault
            try:
                body = handler(request, sim.state[VENDOR], sim.clock.now())
            except RestError as err:
                return err.response()
            return web.json_response(body)

        return endpoint

    return wrap


def _target(request: web.Request) -> str:
    """`kind/tariff` of a rate request (logged with it), else ""."""
    info = request.match_info
    return f"{info['kind']}/{info['tariff']}" if "tariff" in info else ""


def _found[T](value: T | None) -> T:
    if value is None:
        raise RestError(404, NOT_FOUND)
    return value


@_endpoint("octopus.rest.products")
def product(request: web.Request, state: dict[str, Any], now: datetime) -> Body:
    """`GET /v1/products/{product_code}/`."""
    code = request.match_info["product"]
    data = state["products"].get(code)
    if data is None:
        raise RestError(404, {"detail": "No EnergyProduct matches the given query."})
    base = request.url.origin() / PREFIX.strip("/")
    body: Body = {"code": code, "direction": data.get("direction", "IMPORT")}
    body.update({key: data.get(key) for key in PRODUCT_FIELDS})
    body["tariffs_active_at"] = iso_utc(now)
    body["four_rate_ev_electricity_tariffs"] = {}
    for (fuel, register), group in TARIFF_GROUPS.items():
        plan = data.get(fuel, {}).get(register)
        body[group] = (
            {
                f"_{region}": {
                    "direct_debit_monthly": _tariff_entry(
                        base, fuel, TariffCode(fuel, register, code, region), plan
                    )
                }
                for region in REGIONS
            }
            if plan
            else {}
        )
    self_link = f"{base}/v1/products/{code}/"
    body["links"] = [{"href": self_link, "method": "GET", "rel": "self"}]
    return body


def _rates_operation(request: web.Request) -> str:
    charges = request.match_info["kind"] == "standing-charges"
    return "octopus.rest.standing_charges" if charges else "octopus.rest.rates"


@_endpoint(_rates_operation)
def rates(request: web.Request, state: dict[str, Any], now: datetime) -> Body:
    """Unit rates and standing charges of one tariff."""
    code, fuel = request.match_info["product"], request.match_info["fuel"]
    plan, tariff = _found(tariff_plan(state, code, fuel, request.match_info["tariff"]))
    product_data = state["products"][code]
    kind, window = request.match_info["kind"], _window(request)
    rows = _found(
        rate_rows(product_data, plan, tariff, kind=kind, window=window, now=now)
    )
    return paginate(request, rows, RATE_PAGE_SIZE)


def _check_basic_auth(request: web.Request, api_key: str) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise RestError(
            401, {"detail": "Authentication credentials were not provided."}
        )
    try:
        user = base64.b64decode(encoded, validate=True).decode().partition(":")[0]
    except (binascii.Error, UnicodeDecodeError):
        user = None
    if user is None:
        raise RestError(401, {"detail": "Invalid basic header."})
    if user != api_key:
        raise RestError(401, {"detail": "Invalid API key."})


def _order(request: web.Request) -> bool:
    """Whether `order_by` asks for oldest first (`period`; default `-period`)."""
    order = request.query.get("order_by", "-period")
    if order not in ("period", "-period"):
        choice = f"Select a valid choice. {order} is not one of the available choices."
        raise RestError(400, {"order_by": [choice]})
    return order == "period"


@_endpoint("octopus.rest.consumption")
def consumption(request: web.Request, state: dict[str, Any], now: datetime) -> Body:
    """`GET /v1/{fuel}-meter-points/{mpxn}/meters/{serial}/consumption/`."""
    _check_basic_auth(request, state["api_key"])
    fuel, info = request.match_info["fuel"], request.match_info
    point = _found(find_meter(state, fuel, info["mpxn"], info["serial"]))
    ascending = _order(request)
    rows = consumption_rows(point, fuel, _window(request), now, ascending=ascending)
    return paginate(request, rows, CONSUMPTION_PAGE_SIZE)


def add_routes(app: web.Application) -> None:
    """Register the REST routes under `/octopus`."""
    slash = "{slash:/?}"
    app.router.add_get(f"{PREFIX}/v1/products/{{product}}{slash}", product)
    app.router.add_get(
        f"{PREFIX}/v1/products/{{product}}/{{fuel:electricity|gas}}-tariffs/{{tariff}}/"
        f"{{kind:standard-unit-rates|day-unit-rates|night-unit-rates|standing-charges}}{slash}",
        rates,
    )
    app.router.add_get(
        f"{PREFIX}/v1/{{fuel:electricity|gas}}-meter-points/{{mpxn}}/meters/{{serial}}/consumption{slash}",
        consumption,
    )
