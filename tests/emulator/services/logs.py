"""logs (stub)."""

from store import Service


class Handler(Service):
    model = 'logs'
