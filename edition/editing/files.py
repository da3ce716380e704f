"""Writing several files as one step: all are prepared in temporary files beside their targets, and only
when every one is ready are they moved into place (``os.replace``, atomic on one file system). A failure
before that leaves every target as it was."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_all(files: Mapping[Path, str]) -> None:
    """Write every ``path → text`` (UTF-8, newlines as given), or none of them."""
    prepared: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, kept for the move
                "wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
            )
            temporary = Path(handle.name)
            prepared.append((temporary, path))
            with handle:
                handle.write(text.encode("utf-8"))
            if path.exists():
                shutil.copymode(path, temporary)
            else:
                os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        for temporary, _ in prepared:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise
    for temporary, path in prepared:
        os.replace(temporary, path)
