"""Rendering: Block Kit (one builder, Slack's limits), mrkdwn escaping, and terminal text."""
