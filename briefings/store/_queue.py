"""What the job queue's tasks claim in the store (bot/worker/queue.py): a feed's poll per
interval, and the mark up to which stories are extracted."""

from __future__ import annotations


class QueueMixin:
    pass
