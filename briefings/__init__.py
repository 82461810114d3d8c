"""Sitrep's news pipeline: feeds, articles, extraction, storage and briefings (no Slack here)."""
