"""The Deliverer every posting command builds: the store, Slack's Web API and the settings'
grace and claim lease."""

from __future__ import annotations

from datetime import timedelta

from bot.context import Context
from bot.worker.outbox import Deliverer, slack_client
from briefings.errors import ConfigError
from briefings.settings import MISSING_BOT_TOKEN


def build_deliverer(context: Context) -> Deliverer:
    settings = context.settings
    if not settings.slack_bot_token:
        raise ConfigError(MISSING_BOT_TOKEN)
    return Deliverer(
        context.store, slack_client(settings), clock=context.clock,
        grace=timedelta(minutes=settings.briefing_grace_minutes),
        lease=timedelta(seconds=settings.briefing_claim_lease_seconds),
    )
