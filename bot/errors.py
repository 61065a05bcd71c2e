"""The one base class for errors attache reports to a person and exits on."""

from __future__ import annotations


class AttacheError(Exception):
    """An error with a one-line message saying what to do, and the exit code it ends with."""

    exit_code = 2
