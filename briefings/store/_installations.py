"""Slack installations (one per workspace, or per enterprise for org-wide installs) and the
OAuth state values of installs in progress: what slack_sdk's installation and state stores keep,
in our database (bot/slack/oauth.py adapts them to slack_sdk's interfaces)."""

from __future__ import annotations


class InstallationsMixin:
    pass
