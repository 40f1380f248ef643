"""Event contracts of every service: one module per publishing service."""

from shared.contracts import helpdesk, pokja, registrasi  # noqa: F401
