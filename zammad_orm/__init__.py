"""zammad_orm: the Zammad helpdesk REST API as Python objects.

Connect with :class:`Client`, then work with tickets, users and the rest through the managers
hanging off it (``client.tickets``, ``client.users``, ...). The fake Zammad server for tests
lives in :mod:`zammad_orm.testing`.
"""

from zammad_orm._version import __version__
from zammad_orm.client import Client, InsecureTLSWarning, Pagination
from zammad_orm.display import ResourceList
from zammad_orm.errors import (
    AmbiguousWriteError,
    APIException,
    Attempt,
    BadRequest,
    ConflictError,
    ConnectionFailed,
    Forbidden,
    HTTPError,
    NotFound,
    RateLimited,
    RequestFailed,
    ResourceLookupError,
    ServerError,
    Timeout,
    Unauthorized,
    UnexpectedResponse,
    UnprocessableEntity,
    UnsavedResourceError,
    ZammadError,
)
from zammad_orm.records import Records, to_dataframe, to_records
from zammad_orm.retry import Retry

__all__ = [
    "APIException",
    "AmbiguousWriteError",
    "Attempt",
    "BadRequest",
    "Client",
    "ConflictError",
    "ConnectionFailed",
    "Forbidden",
    "HTTPError",
    "InsecureTLSWarning",
    "NotFound",
    "Pagination",
    "RateLimited",
    "Records",
    "RequestFailed",
    "ResourceList",
    "ResourceLookupError",
    "Retry",
    "ServerError",
    "Timeout",
    "Unauthorized",
    "UnexpectedResponse",
    "UnprocessableEntity",
    "UnsavedResourceError",
    "ZammadError",
    "__version__",
    "to_dataframe",
    "to_records",
]
