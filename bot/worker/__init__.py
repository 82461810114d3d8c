"""The worker: its jobs, the outbox that posts exactly once, and the scheduler."""
