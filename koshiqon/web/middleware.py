"""Kazakh first: the interface speaks Kazakh unless the user chose another language.

Pages follow the language cookie set by the switcher (Django's `set_language`), then Kazakh; a browser's
Accept-Language does not override the Kazakh default. The API also honours Accept-Language, because other
systems state their language there.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _ in settings.LANGUAGES}


def _from_accept_language(header: str) -> str | None:
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in SUPPORTED:
            return code
    return None


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            language = None
        if language is None and request.path_info.startswith("/api/"):
            language = _from_accept_language(request.headers.get("Accept-Language", ""))
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response
