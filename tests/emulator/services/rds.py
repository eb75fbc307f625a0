"""rds (stub)."""

from store import Service


class Handler(Service):
    model = 'rds'
