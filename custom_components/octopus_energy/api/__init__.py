"""HA-free async client for the Octopus Energy (Kraken) REST and GraphQL APIs.

Create one `OctopusEnergyClient(api_key=..., session=...)` per account, with Home
Assistant's shared `aiohttp.ClientSession`. `base_url` and `backend_url` can point
at a simulator. Every request has a timeout (`request_timeout`, 20 s) and sends
`User-Agent: home-assistant-octopus-energy/<version>` and an
`Ha-Integration-Context` header naming the operation (as the incumbent does, so
Octopus can attribute traffic).

Operations
----------
REST (HTTP Basic with the API key; every list follows `next` to the last page):
`get_product`, `get_unit_rates` (electricity standard/day/night, gas),
`get_rates_from_link`, `get_standing_charges`, `get_consumption`.

GraphQL on `api.octopus.energy` (variables only, never values in the text):
`get_account` (properties, meter points, meters, agreements, Octoplus enrolment),
`get_smart_meter_telemetry` (several Home Mini devices in one request),
`get_intelligent_devices`, `get_device_catalogue`, `get_intelligent_dispatches`
(KT-CT-4340 = "no data"), `get_device_settings`, `set_device_preferences`,
`set_charge_target`, `boost_charge`, `set_smart_control`, `get_loyalty_points`,
`redeem_loyalty_points`.

GraphQL on `api.backend.octopus.energy`: `get_saving_sessions`,
`join_saving_session`, `get_wheel_of_fortune_spins`, `spin_wheel_of_fortune`,
`get_greener_nights_forecast`, `get_heat_pump_controllers`, `get_heat_pump`
(status, configuration, live and lifetime performance), `set_heat_pump_zone_mode`,
`set_heat_pump_flow_temperature`, `set_heat_pump_hush_mode`.

Exceptions
----------
`OctopusEnergyError` → `OctopusEnergyConnectionError` (→ `OctopusEnergyTimeoutError`)
and `OctopusEnergyResponseError` (`status`, GraphQL `codes`) →
`OctopusEnergyAuthenticationError` (KT-CT-1139/1143/1134/1135, OE-010x, 401,
JSON 403), `OctopusEnergyRateLimitError` (KT-CT-1199, 429, CloudFront 403 "Request
blocked", token budget; `retry_after` seconds), `OctopusEnergyNotFoundError` (404,
no account; `OctopusEnergyNotVisibleError`: KT-CT-1111, the key may not see the
account), `OctopusEnergyServerError` (5xx, any other HTML 403 page of a gateway),
`OctopusEnergyBoostRefusedError`
(`reasons`). Non-JSON bodies raise `OctopusEnergyResponseError`. Messages carry no
key, token, account number or meter identifier.

Token policy
------------
One `obtainKrakenToken` at a time (concurrent callers share it); expiry read from
the JWT; each token is used for its whole life and renewed only once it has
expired (at most 24 a day with a call due every minute); the refresh token while
valid, then the API key; at most 3 token requests in 10 minutes whatever the
errors, then an authentication error (key refused) or a rate-limit error with
`retry_after`. A GraphQL call whose token is refused (e.g. KT-CT-1124, expired
while the call was on its way) is retried once with a new token.
`client.tokens.key_refused_for_good` tells when the key is refused for good: at
least `KEY_REFUSALS_FOR_REAUTH` (3) consecutive refused token requests with the API
key spanning at least `KEY_REFUSAL_PERIOD` (2 hours); a granted token starts over.

Units
-----
Money is in **pence** (GBP minor unit) as floats, VAT included unless named
`..._exc_vat`: unit rates p/kWh, standing charges p/day, wheel prizes in pence.
Octopoints are integers. Home Mini energy is kWh (the API's Wh / 1000), demand W.
Times are timezone-aware datetimes (UTC as the API gives them).

Request counter
---------------
`client.request_counter` counts every HTTP request (token requests included) over
a sliding hour: `requests_last_hour`, `by_operation()`, `total`, `as_dict()`.
"""

from .auth import KeyRefusals, KrakenToken, TokenManager
from .client import OctopusEnergyClient
from .const import DEFAULT_BACKEND_URL, DEFAULT_BASE_URL, DEFAULT_USER_AGENT, VERSION
from .counter import RequestCounter
from .exceptions import (
    OctopusEnergyAuthenticationError,
    OctopusEnergyBoostRefusedError,
    OctopusEnergyConnectionError,
    OctopusEnergyError,
    OctopusEnergyNotFoundError,
    OctopusEnergyNotVisibleError,
    OctopusEnergyRateLimitError,
    OctopusEnergyResponseError,
    OctopusEnergyServerError,
    OctopusEnergyTimeoutError,
)
from .graphql import normalize_account_number
from .intelligent import DAYS_OF_WEEK
from .models import (
    BOOST_REFUSAL_REASONS,
    Account,
    Agreement,
    CatalogueModel,
    ChargeSchedule,
    CompletedDispatch,
    Consumption,
    DeviceCatalogue,
    DeviceSettings,
    Fuel,
    GreenerNight,
    HeatPump,
    HeatPumpConfiguration,
    HeatPumpPerformance,
    IntelligentDevice,
    IntelligentDeviceState,
    IntelligentDispatches,
    IntelligentState,
    JoinedSavingSession,
    Meter,
    MeterPoint,
    PlannedDispatch,
    Product,
    ProductTariff,
    Property,
    Quantity,
    Rate,
    RateRegister,
    SavingSessionEvent,
    SavingSessions,
    SensorConfiguration,
    SensorStatus,
    SmartDevice,
    TelemetryReading,
    WheelOfFortuneSpins,
    ZoneConfiguration,
    ZoneStatus,
)

__all__ = [
    "BOOST_REFUSAL_REASONS",
    "DAYS_OF_WEEK",
    "DEFAULT_BACKEND_URL",
    "DEFAULT_BASE_URL",
    "DEFAULT_USER_AGENT",
    "VERSION",
    "Account",
    "Agreement",
    "CatalogueModel",
    "ChargeSchedule",
    "CompletedDispatch",
    "Consumption",
    "DeviceCatalogue",
    "DeviceSettings",
    "Fuel",
    "GreenerNight",
    "HeatPump",
    "HeatPumpConfiguration",
    "HeatPumpPerformance",
    "IntelligentDevice",
    "IntelligentDeviceState",
    "IntelligentDispatches",
    "IntelligentState",
    "JoinedSavingSession",
    "KeyRefusals",
    "KrakenToken",
    "Meter",
    "MeterPoint",
    "OctopusEnergyAuthenticationError",
    "OctopusEnergyBoostRefusedError",
    "OctopusEnergyClient",
    "OctopusEnergyConnectionError",
    "OctopusEnergyError",
    "OctopusEnergyNotFoundError",
    "OctopusEnergyNotVisibleError",
    "OctopusEnergyRateLimitError",
    "OctopusEnergyResponseError",
    "OctopusEnergyServerError",
    "OctopusEnergyTimeoutError",
    "PlannedDispatch",
    "Product",
    "ProductTariff",
    "Property",
    "Quantity",
    "Rate",
    "RateRegister",
    "RequestCounter",
    "SavingSessionEvent",
    "SavingSessions",
    "SensorConfiguration",
    "SensorStatus",
    "SmartDevice",
    "TelemetryReading",
    "TokenManager",
    "WheelOfFortuneSpins",
    "ZoneConfiguration",
    "ZoneStatus",
    "normalize_account_number",
]
