"""Slack installations (one per workspace, or per enterprise for org-wide installs) and the
OAuth state values of installs in progress: what slack_sdk's installation and state stores keep,
in our database (bot/slack/oauth.py adapts them to slack_sdk's interfaces).

The tables are written once, as portable SQL (`INSTALLATION_TABLES`), run by the SQLite
migration m012 and usable as they are on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from briefings.store._db import Database, transaction
from briefings.store._time import from_db, to_db
from briefings.store.values import FAILED, OPEN_STATES
from briefings.workspaces import Installation, workspace_prefix

INSTALLATION_TABLES: tuple[str, ...] = (
    "create table if not exists slack_installations ("
    " workspace text primary key,"  # briefings.workspaces.workspace_id
    " team_id text,"
    " enterprise_id text,"
    " is_enterprise_install integer not null default 0,"
    " bot_token text not null,"
    " bot_id text,"
    " bot_user_id text,"
    " bot_scopes text not null default '',"
    " user_id text,"
    " installed_at text not null,"
    " details text not null default '{}'"  # the rest of Slack's oauth.v2.access answer, JSON
    ")",
    "create table if not exists slack_oauth_states ("
    " state text primary key,"
    " expires_at text not null"
    ")",
)

_COLUMNS = ("workspace", "team_id", "enterprise_id", "is_enterprise_install", "bot_token",
            "bot_id", "bot_user_id", "bot_scopes", "user_id", "installed_at", "details")


class InstallationsMixin:
    db: Database

    # --- installations ---------------------------------------------------------------------

    def save_installation(self, installation: Installation) -> None:
        """Record a workspace's installation; a reinstall replaces the one before."""
        updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:])
        with transaction(self.db):
            self.db.execute(
                f"insert into slack_installations ({', '.join(_COLUMNS)}) values "
                f"({', '.join('?' for _ in _COLUMNS)}) "
                f"on conflict (workspace) do update set {updates}",
                [installation.workspace, installation.team_id, installation.enterprise_id,
                 int(installation.is_enterprise_install), installation.bot_token,
                 installation.bot_id, installation.bot_user_id, installation.bot_scopes,
                 installation.user_id, to_db(installation.installed_at), installation.details],
            )

    def installation(self, workspace: str) -> Installation | None:
        """The workspace's installation, or None when Sitrep is not installed there."""
        rows = list(self.db.query(
            f"select {', '.join(_COLUMNS)} from slack_installations where workspace = ?",
            [workspace]))
        return _installation(rows[0]) if rows else None

    def installed_workspaces(self) -> list[str]:
        """Every workspace with an installation, by id."""
        return [row["workspace"] for row in self.db.query(
            "select workspace from slack_installations order by workspace", [])]

    def delete_installation(self, workspace: str) -> bool:
        """Forget a workspace's tokens; False when there were none."""
        with transaction(self.db):
            cursor = self.db.execute("delete from slack_installations where workspace = ?",
                                     [workspace])
        return cursor.rowcount > 0

    def forget_workspace(self, workspace: str, now: datetime, reason: str) -> int:
        """The app left a workspace (uninstalled, or its bot token revoked): in one transaction,
        its tokens are deleted, its open deliveries fail with `reason`, and its channels'
        subscriptions, alert cursors and briefing settings are removed, so nothing more is
        recorded or posted for it. Its posted deliveries stay as history. The open deliveries
        failed."""
        prefix = workspace_prefix(workspace)
        mine = "substr(channel, 1, ?) = ?"
        with transaction(self.db):
            self.db.execute("delete from slack_installations where workspace = ?", [workspace])
            cursor = self.db.execute(
                f"update deliveries set state = ?, error = ?, attempted = ?, owner = null, "
                f"lease_until = null where state in (?, ?) and {mine}",
                [FAILED, reason[:500], to_db(now), *OPEN_STATES, len(prefix), prefix],
            )
            for table in ("subscriptions", "alert_cursors", "channels"):
                self.db.execute(f"delete from {table} where {mine}", [len(prefix), prefix])
        return cursor.rowcount

    # --- OAuth states ----------------------------------------------------------------------

    def issue_oauth_state(self, state: str, expires_at: datetime, now: datetime) -> None:
        """Remember a state value handed to a browser starting an install (expired ones go)."""
        with transaction(self.db):
            self.db.execute("delete from slack_oauth_states where expires_at <= ?", [to_db(now)])
            self.db.execute(
                "insert into slack_oauth_states (state, expires_at) values (?, ?) "
                "on conflict (state) do nothing", [state, to_db(expires_at)])

    def consume_oauth_state(self, state: str, now: datetime) -> bool:
        """Use up a state value: True once, for a state issued here and not yet expired."""
        with transaction(self.db):
            cursor = self.db.execute(
                "delete from slack_oauth_states where state = ? and expires_at > ?",
                [state, to_db(now)])
        return cursor.rowcount > 0


def _installation(row: dict) -> Installation:
    return Installation(
        workspace=row["workspace"], team_id=row["team_id"], enterprise_id=row["enterprise_id"],
        is_enterprise_install=bool(row["is_enterprise_install"]), bot_token=row["bot_token"],
        bot_id=row["bot_id"], bot_user_id=row["bot_user_id"], bot_scopes=row["bot_scopes"] or "",
        user_id=row["user_id"], installed_at=from_db(row["installed_at"]),
        details=row["details"] or "{}",
    )
