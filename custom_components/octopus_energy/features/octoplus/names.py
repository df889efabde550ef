"""The names of Power Down and Power Up in both generations (octopus-energy.md B.3.3a).

v19 (August 2026) renamed Saving Sessions to Power Down and Free Electricity to
Power Up. Every entry gets the v19 entities; an entry migrated from the community
integration whose entity registry already holds a v18 entity keeps that one too
(same data), and a repair explains the rename. Both join actions are always
registered and do the same thing. Bus events are fired under both names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from ...const import EVENT_PREFIX

SERVICE_JOIN: Final = "join_octoplus_power_down_session_event"
SERVICE_JOIN_V18: Final = "join_octoplus_saving_session_event"
ATTR_EVENT_CODE: Final = "event_code"
ISSUE_RENAMED: Final = "octoplus_renamed"


class Programme(StrEnum):
    """The two Octoplus session programmes."""

    POWER_DOWN = "power_down"
    POWER_UP = "power_up"


@dataclass(frozen=True, kw_only=True)
class Names:
    """One generation's names of one programme."""

    programme: Programme
    legacy: bool
    event_suffix: str
    """unique-id suffix of the event entity, after `octopus_energy_{ACC}`."""
    calendar_suffix: str
    baseline_suffix: str
    """unique-id suffix of a meter's baseline sensor, after `{meter}[_export]`."""
    all_event: str
    new_event: str
    calendar_summary: str


NAMES: Final = (
    Names(
        programme=Programme.POWER_DOWN,
        legacy=False,
        event_suffix="_octoplus_power_down_events",
        calendar_suffix="_octoplus_power_down",
        baseline_suffix="_octoplus_power_down_baseline",
        all_event=f"{EVENT_PREFIX}_all_octoplus_power_down_sessions",
        new_event=f"{EVENT_PREFIX}_new_octoplus_power_down_session",
        calendar_summary="Octopus Energy Power Down",
    ),
    Names(
        programme=Programme.POWER_UP,
        legacy=False,
        event_suffix="_octoplus_power_up_events",
        calendar_suffix="_octoplus_power_up",
        baseline_suffix="_octoplus_power_up_baseline",
        all_event=f"{EVENT_PREFIX}_all_octoplus_power_up_sessions",
        new_event=f"{EVENT_PREFIX}_new_octoplus_power_up_session",
        calendar_summary="Octopus Energy Power Up",
    ),
    Names(
        programme=Programme.POWER_DOWN,
        legacy=True,
        event_suffix="_octoplus_saving_session_events",
        calendar_suffix="_octoplus_saving_sessions",
        baseline_suffix="_octoplus_saving_session_baseline",
        all_event=f"{EVENT_PREFIX}_all_octoplus_saving_sessions",
        new_event=f"{EVENT_PREFIX}_new_octoplus_saving_session",
        calendar_summary="Octopus Energy Saving Session",
    ),
    Names(
        programme=Programme.POWER_UP,
        legacy=True,
        event_suffix="_octoplus_free_electricity_session_events",
        calendar_suffix="_octoplus_free_electricity_session",
        baseline_suffix="_octoplus_free_electricity_session_baseline",
        all_event=f"{EVENT_PREFIX}_all_octoplus_free_electricity_sessions",
        new_event=f"{EVENT_PREFIX}_new_octoplus_free_electricity_session",
        calendar_summary="Octopus Energy Free Electricity",
    ),
)


def names_of(programme: Programme) -> tuple[Names, ...]:
    """Both generations of a programme (v19 first)."""
    return tuple(n for n in NAMES if n.programme is programme)


def account_prefix(account_number: str) -> str:
    """`octopus_energy_{ACC}` (unique ids of account entities)."""
    return f"octopus_energy_{account_number}"
