"""The Deliverer every posting command builds: the store, Slack's Web API and the settings'
grace and claim lease. With one workspace it posts with SLACK_BOT_TOKEN; in OAuth mode
(SLACK_CLIENT_ID and SLACK_CLIENT_SECRET) with each workspace's own bot token."""

from __future__ import annotations

from datetime import timedelta

from bot.context import Context
from bot.worker.outbox import Deliverer, WorkspaceClients, slack_client
from briefings.errors import ConfigError
from briefings.settings import MISSING_BOT_TOKEN


def build_deliverer(context: Context) -> Deliverer:
    settings = context.settings
    if settings.oauth:
        clients = WorkspaceClients(context.store, settings)
    elif settings.slack_bot_token:
        clients = slack_client(settings)
    else:
        raise ConfigError(MISSING_BOT_TOKEN)
    return Deliverer(
        context.store, clients, clock=context.clock,
        grace=timedelta(minutes=settings.briefing_grace_minutes),
        lease=timedelta(seconds=settings.briefing_claim_lease_seconds),
    )
