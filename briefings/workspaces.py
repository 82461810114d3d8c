"""Workspaces: where a channel lives, written into the one string the store keys channels by.

Sitrep serves one Slack workspace (SLACK_BOT_TOKEN) or, with OAuth, every workspace that installs
it. Channel ids are unique only within a workspace (and a Slack Connect channel has one id in
every workspace that shares it), so in OAuth mode everything a channel owns — subscriptions,
briefing settings, deliveries, alert cursors, its last error — is stored under its *address*,
`"<workspace>/<channel>"` (`"T0123/C0456"`). The workspace is the team id, or the enterprise id
for an org-wide install. In single-workspace mode the address is the bare channel id, so the
data of that mode is unchanged. This module alone knows the format: the web side builds an
address from a request before the store is touched, the worker splits it to pick the
workspace's token and the Slack channel, and rendering shows only the channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Installation", "address", "in_workspace", "split_address", "workspace_id",
           "workspace_prefix"]

SEPARATOR = "/"  # never in a Slack id (upper-case letters and digits)


def workspace_id(team_id: str | None, enterprise_id: str | None = None,
                 is_enterprise_install: bool = False) -> str | None:
    """The workspace a request or an install belongs to: the enterprise of an org-wide install,
    else the team (None when neither is known)."""
    if is_enterprise_install and enterprise_id:
        return enterprise_id
    return team_id or enterprise_id or None


def address(workspace: str | None, channel: str) -> str:
    """The key a channel is stored under: `"T0123/C0456"`, or `"C0456"` without a workspace."""
    if not workspace:
        return channel
    if SEPARATOR in workspace:
        raise ValueError(f"not a workspace id: {workspace!r}")
    return f"{workspace}{SEPARATOR}{channel}"


def split_address(addr: str) -> tuple[str | None, str]:
    """(workspace or None, Slack channel id) of a stored channel key."""
    workspace, separator, channel = addr.partition(SEPARATOR)
    return (workspace, channel) if separator else (None, addr)


def workspace_prefix(workspace: str) -> str:
    """What every address in `workspace` starts with (the store deletes a workspace by it)."""
    return f"{workspace}{SEPARATOR}"


def in_workspace(addr: str, workspace: str | None) -> bool:
    """Whether a stored channel key belongs to `workspace` (None: the bare ids of
    single-workspace mode)."""
    return split_address(addr)[0] == (workspace or None)


@dataclass(frozen=True, slots=True)
class Installation:
    """One workspace's installation of Sitrep, as the store keeps it: its bot token and who
    installed it. `details` holds the rest of Slack's answer (JSON), for the OAuth adapter."""

    workspace: str  # workspace_id(team_id, enterprise_id, is_enterprise_install)
    team_id: str | None
    enterprise_id: str | None
    is_enterprise_install: bool
    bot_token: str
    bot_id: str | None
    bot_user_id: str | None
    bot_scopes: str  # comma-separated, as Slack gives them
    user_id: str | None  # the installer
    installed_at: datetime
    details: str = "{}"
