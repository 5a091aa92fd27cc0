"""The single source of zammad_orm's version number."""

__version__ = "0.1.0"
