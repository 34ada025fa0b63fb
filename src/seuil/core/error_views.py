"""Error pages in French, in the site's layout (Django's own are English); under /api/,
the same errors as JSON `{"detail": "…"}` (`seuil.core.api_errors`)."""

from django.shortcuts import render
from django.views import defaults

from .api_errors import api_bad_request, api_not_found, api_server_error

API_PREFIX = "/api/"


def csrf_failure(request, reason=""):
    """A form posted without a valid CSRF token: say what to do, nothing was saved."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception):
    """400 of a request Django refuses before any view (a host it does not serve, a body
    too large): Django's page, or JSON under /api/."""
    if request.path.startswith(API_PREFIX):
        return api_bad_request(request)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    """404: the site's page (404.html), or JSON under /api/."""
    if request.path.startswith(API_PREFIX):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """500: the site's page (500.html), or JSON under /api/."""
    if request.path.startswith(API_PREFIX):
        return api_server_error(request)
    return defaults.server_error(request)
