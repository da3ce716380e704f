"""A TEI-XML edition builder, and the correspondence of the Cuban Missile Crisis it builds by default."""

__version__ = "0.1.0"
