"""One module per emulated AWS service; each defines `Handler(store.Service)`.

server.SERVICE_MODULES lists them; a handler's methods are named exactly like
the AWS operations they implement.
"""
