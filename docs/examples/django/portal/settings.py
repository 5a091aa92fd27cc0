"""Settings of the example portal; the Zammad connection comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("SECRET_KEY", "change me")
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "zammad_orm.contrib.django",
    "portal",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zammad_orm.contrib.django.middleware.ZammadMiddleware",
]
ROOT_URLCONF = "portal.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

ZAMMAD = {
    "URL": os.environ.get("ZAMMAD_URL", "http://127.0.0.1:8080/api/v1"),
    "HTTP_TOKEN": os.environ.get("ZAMMAD_HTTP_TOKEN", "secret"),
    # requests of a logged-in Django user act as the Zammad user with the same email
    "IMPERSONATE": "email",
    "WEBHOOK_SECRET": os.environ.get("ZAMMAD_WEBHOOK_SECRET", "hook-secret"),
}
