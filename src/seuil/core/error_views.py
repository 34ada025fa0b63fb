"""The CSRF failure page in French, in the site's layout (Django's own is English)."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form posted without a valid CSRF token: say what to do, nothing was saved."""
    return render(request, "403_csrf.html", status=403)
