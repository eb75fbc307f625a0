"""ec2 (stub)."""

from store import Service


class Handler(Service):
    model = 'ec2'
