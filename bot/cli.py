"""The `sitrep` command line."""

import click


@click.group()
def main() -> None:
    """Sitrep: follow a war or crisis through the news, in Slack."""
