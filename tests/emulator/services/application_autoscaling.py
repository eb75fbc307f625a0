"""application-autoscaling (stub)."""

from store import Service


class Handler(Service):
    model = 'application-autoscaling'
