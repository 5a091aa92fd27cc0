"""zammad_orm: the Zammad helpdesk REST API as Python objects.

Connect with :class:`Client`, then work with tickets, users and the rest through the managers
hanging off it (``client.tickets``, ``client.users``, ...). The fake Zammad server for tests
lives in :mod:`zammad_orm.testing`.
"""

from zammad_orm._version import __version__
from zammad_orm.client import Client, Pagination
from zammad_orm.display import ResourceList
from zammad_orm.errors import (
    APIException,
    BadRequest,
    Forbidden,
    NotFound,
    RateLimited,
    ResourceLookupError,
    ServerError,
    Unauthorized,
    UnprocessableEntity,
    UnsavedResourceError,
    ZammadError,
)
from zammad_orm.records import Records, to_dataframe, to_records

__all__ = [
    "APIException",
    "BadRequest",
    "Client",
    "Forbidden",
    "NotFound",
    "Pagination",
    "RateLimited",
    "Records",
    "ResourceList",
    "ResourceLookupError",
    "ServerError",
    "Unauthorized",
    "UnprocessableEntity",
    "UnsavedResourceError",
    "ZammadError",
    "__version__",
    "to_dataframe",
    "to_records",
]
