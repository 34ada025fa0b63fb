"""Brute-force lock on the login form (django-axes), keyed on username and address together.

Five failures for one username from one address lock that pair for 15 minutes
(settings `AXES_*`): a colleague on the same shelter network, or the same person from
another address, can still log in. The username is normalised before counting, so
"  Alice " and "alice" are the same target.
"""

from django.conf import settings
from django.shortcuts import render


def normalised_username(request, credentials=None):
    """The username an attempt targets: surrounding spaces trimmed, case folded."""
    username = (credentials or {}).get("username")
    if username is None and request is not None and hasattr(request, "POST"):
        username = request.POST.get("username")
    return str(username or "").strip().casefold()


def client_ip_address(request):
    """The client's address: REMOTE_ADDR, or behind the proxies of a production set-up
    (`SEUIL_PROXY_COUNT`), the address the outermost of them saw in X-Forwarded-For.

    The header is read from the right: whatever the client put in it itself stands on
    the left and is never trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.SEUIL_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    return hops[-proxies]


def lockout_response(request, original_response=None, credentials=None):
    """The French page shown while a username is locked from this address (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
