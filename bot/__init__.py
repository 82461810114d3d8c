"""Sitrep's Slack-facing half and command line."""
