"""Production settings: the same as base, but refuse to start with any insecure default and say which."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import ALLOWED_HOSTS, DATABASES, DEBUG, INSECURE_SECRET_KEY, SECRET_KEY
from config.settings.env import env_bool, env_int


def _refuse(variable: str, why: str) -> None:
    raise ImproperlyConfigured(f"Refusing to start in production: {variable} {why}")


if SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50:
    _refuse("SECRET_KEY", "is unset or shorter than 50 characters; set a long random value.")
if DEBUG:
    _refuse("DEBUG", "is on; set DEBUG=false.")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    _refuse("ALLOWED_HOSTS", "is empty or '*'; list the host names that serve Koshiqon.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    _refuse("DATABASE_URL", "does not point at PostgreSQL, the production database.")

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
