"""Pieces every API router shares: authentication, the error shapes and their handlers, pagination.

Deny by default: the NinjaAPI sets `AUTH` on every operation, so an endpoint answers 401 without a Django
session or a system's bearer token. The status codes follow the pages: 403 when the role lacks the right,
404 for a record outside the user's regions (it is not in the user's querysets), 422 with field-level
messages in the request's language (architecture rule 7).
"""

from collections.abc import Callable, Iterable
from functools import partial, wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf
from pydantic import Field

from koshiqon.accounts.services import api_token_user

PAGE_SIZE_MAX = 100
# Far beyond any table we hold, and inside a signed 64-bit OFFSET on every database we run on.
OFFSET_MAX = 1_000_000_000
ID_MAX = 2**63 - 1
REQUEST_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


# --- Authentication -------------------------------------------------------------------------------------

class BearerToken(HttpBearer):
    """A system calling on behalf of a service user: `Authorization: Bearer kq_...` (see accounts.ApiToken)."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(token)
        if user is not None:
            request.user = user  # so that code reading request.user sees the caller, as with a session
        return user


class SessionCookie(APIKeyCookie):
    """A person signed in to the pages. Unsafe methods need the CSRF token, as the pages' forms do.

    Unlike ninja's SessionAuth, the CSRF check runs only once a session user is found, so a request with no
    credentials at all answers 401 (not 403) whatever its method.
    """

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise PermissionDenied("csrf")
        return user


AUTH = [BearerToken(), SessionCookie()]


def authenticated_view(view: Callable) -> Callable:
    """For the views ninja serves outside operations (the OpenAPI document, the docs page): the same
    authentication as the operations, answering 401 in the API's shape rather than redirecting to login."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        for auth in AUTH:
            try:
                user = auth(request)
            except PermissionDenied:
                return JsonResponse({"detail": _forbidden_message()}, status=403)
            if user:
                request.auth = user
                return view(request, *args, **kwargs)
        return _unauthenticated(JsonResponse({"detail": _unauthenticated_message()}, status=401))

    wrapper.login_required = False  # Django's LoginRequiredMiddleware would redirect to the login page
    return wrapper


# --- Error shapes ---------------------------------------------------------------------------------------

class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str = Field(description="The input field, dotted for nested ones; `__all__` for the whole input.")
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The response map of one operation: its success and the errors it can answer. 401 is always there,
    because every operation needs authentication."""
    out = dict(ok)
    for code in sorted({401, *errors}):
        out.setdefault(code, ERROR_SCHEMAS[code])
    return out


def _unauthenticated_message() -> str:
    return _("Authentication required: sign in, or send an API token as 'Authorization: Bearer <token>'.")


def _forbidden_message() -> str:
    return _("You do not have the right to do this.")


def _unauthenticated(response: HttpResponse) -> HttpResponse:
    response["WWW-Authenticate"] = 'Bearer realm="koshiqon"'
    return response


def field_errors(errors: dict[str, Iterable[str]], rename: dict[str, str] | None = None) -> list[dict[str, str]]:
    rename = rename or {}
    return [
        {"field": rename.get(name, name), "message": str(message)}
        for name, messages in errors.items()
        for message in messages
    ]


def validation_response(api: NinjaAPI, request: HttpRequest, errors: list[dict[str, str]]) -> HttpResponse:
    body = {"detail": _("The input is not valid: see the errors of each field."), "errors": errors}
    return api.create_response(request, body, status=422)


def _field_name(loc: Iterable[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in REQUEST_SOURCES:
        source = parts.pop(0)
        # A JSON body arrives as one named parameter (`payload`); the client knows only the fields inside it.
        if source == "body" and parts:
            parts.pop(0)
    return ".".join(str(p) for p in parts) or NON_FIELD_ERRORS


def pydantic_message(error: dict[str, Any]) -> str:
    """A translated message for a pydantic error, chosen by its stable `type` (pydantic's own `msg` is
    English only)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_long":
        return _("Ensure this value has at most %(max)s characters.") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Ensure this value has at least %(min)s characters.") % {"min": ctx.get("min_length")}
    if kind == "string_pattern_mismatch":
        return _("Enter a value in the expected format.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date as YYYY-MM-DD.")
    if kind.startswith("int") or kind.startswith("float"):
        return _("Enter a whole number.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind in ("literal_error", "enum"):
        # pydantic joins the last two choices with an English "or": a plain list reads in every language.
        choices = str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("Choose one of: %(choices)s.") % {"choices": choices}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Ensure this value is at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Ensure this value is at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind in ("string_type", "string_unicode"):
        return _("Enter text.")
    if kind == "extra_forbidden":
        return _("This field is not accepted here.")
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return _("Send a JSON object.")
    if kind == "list_type":
        return _("Send a list.")
    if kind == "value_error" and ctx.get("error"):
        # Our own validators raise ValueError with an already translated message.
        return str(ctx["error"])
    return _("Enter a valid value.")


# --- Handlers -------------------------------------------------------------------------------------------

def _on_schema_error(request: HttpRequest, exc: NinjaValidationError, api: NinjaAPI) -> HttpResponse:
    errors = [{"field": _field_name(e.get("loc", ())), "message": pydantic_message(e)} for e in exc.errors]
    return validation_response(api, request, errors)


def _on_service_error(request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = field_errors(exc.message_dict)
    else:
        errors = field_errors({NON_FIELD_ERRORS: exc.messages})
    return validation_response(api, request, errors)


def _on_permission_denied(request: HttpRequest, exc: PermissionDenied, api: NinjaAPI) -> HttpResponse:
    if str(exc) == "csrf":
        detail = _("The CSRF token is missing or wrong: send the X-CSRFToken header with the page's token.")
    else:
        detail = _forbidden_message()
    return api.create_response(request, {"detail": detail}, status=403)


def _on_not_found(request: HttpRequest, exc: Http404, api: NinjaAPI) -> HttpResponse:
    # The same answer for "does not exist" and "outside your regions": a 404 must not reveal which.
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def _on_unauthenticated(request: HttpRequest, exc: AuthenticationError, api: NinjaAPI) -> HttpResponse:
    response = api.create_response(request, {"detail": _unauthenticated_message()}, status=401)
    return _unauthenticated(response)


def _on_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if exc.status_code == 400:
        detail = _("The request body could not be read: send a JSON object.")
    else:
        detail = str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


def install_error_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(NinjaValidationError, partial(_on_schema_error, api=api))
    api.add_exception_handler(DjangoValidationError, partial(_on_service_error, api=api))
    api.add_exception_handler(PermissionDenied, partial(_on_permission_denied, api=api))
    api.add_exception_handler(Http404, partial(_on_not_found, api=api))
    api.add_exception_handler(AuthenticationError, partial(_on_unauthenticated, api=api))
    api.add_exception_handler(HttpError, partial(_on_http_error, api=api))


# --- Pagination -----------------------------------------------------------------------------------------

class PageParams(Schema):
    limit: int = Field(25, ge=1, le=PAGE_SIZE_MAX, description="How many records to return.")
    offset: int = Field(0, ge=0, le=OFFSET_MAX, description="How many records to skip.")


class PageOut(Schema):
    count: int = Field(description="How many records match the filters, on all pages.")
    limit: int
    offset: int


def paginate(queryset: QuerySet, params: PageParams) -> dict[str, Any]:
    return {
        "count": queryset.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": list(queryset[params.offset: params.offset + params.limit]),
    }
