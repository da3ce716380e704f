"""OAI-PMH 2.0: the records file the build writes, resumption tokens, and the protocol itself.

The protocol is pure functions from a request's arguments and the records to an XML response
(``protocol.respond``), so it is tested without a server; ``edition.server`` only carries HTTP.
"""
