"""Sitrep's Slack faces: the Bolt app, the App Home tab, HTTP and Socket Mode."""
