"""The one error editing commands raise: its message says what is wrong and what to do."""

from __future__ import annotations


class EditingError(Exception):
    """Nothing was written; ``str(error)`` is the message for the editor."""
