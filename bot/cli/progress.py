"""Poll progress for the terminal: a rich bar on a TTY, plain lines otherwise."""

from __future__ import annotations

import sys

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from briefings.models import FeedResult


def describe(result: FeedResult) -> str:
    if result.skipped:
        return f"{result.name}: {result.error}"
    if result.not_modified:
        return f"{result.name}: not modified"
    if result.ok:
        return (f"{result.name}: {result.items} items, {result.new_stories} new, "
                f"{result.figures} figures, {result.quotes} quotes")
    return f"{result.name}: FAILED — {result.error}"


class PollProgress:
    def __init__(self, total: int, *, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self._progress: Progress | None = None
        self._task = None

    def __enter__(self) -> PollProgress:
        if self.stream.isatty():
            self._progress = Progress(
                TextColumn("polling"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("{task.description}"), transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("", total=self.total)
        return self

    def advance(self, result: FeedResult) -> None:
        line = describe(result)
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
            self._progress.update(self._task, advance=1, description=result.name[:40])
        else:
            click.echo(line, file=self.stream)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
