import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers


class CurrentOrganisationMiddleware:
    """Resolve the current organisation and role once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        request.organisation = user.organisation if authenticated else None
        request.role = user.role if authenticated else ""
        return self.get_response(request)


LOGIN_TIME_KEY = "_seuil_login_time"
SESSION_TOO_OLD_MESSAGE = (
    "Votre session a dépassé la durée maximale de 12 heures : veuillez vous reconnecter."
)


def _now():
    return int(time.time())


@receiver(user_logged_in, dispatch_uid="seuil.core.middleware.stamp_login_time")
def stamp_login_time(sender, request, user, **kwargs):
    """Start the absolute session clock at each login (a re-login restarts it)."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_TIME_KEY] = _now()


class SessionLifetimeMiddleware:
    """End authenticated sessions SESSION_ABSOLUTE_AGE seconds after login (ASVS 3.3.2).

    Inactivity is Django's own: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.
    The user is logged out here, before any view runs, so LoginRequiredMiddleware
    sends them to the login page, where the message says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            login_time = request.session.get(LOGIN_TIME_KEY)
            if login_time is None:
                # A session opened before this middleware existed: its clock starts now.
                request.session[LOGIN_TIME_KEY] = _now()
            elif _now() - int(login_time) > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                messages.warning(request, SESSION_TOO_OLD_MESSAGE)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and API answers show people's files: neither the browser nor a proxy keeps a
    copy (`Cache-Control: no-store`, with Django's `add_never_cache_headers`), so the back
    button of a shared computer shows nothing after logging out. Static files are served
    before this middleware and keep their long cache; a view that sets its own
    Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
