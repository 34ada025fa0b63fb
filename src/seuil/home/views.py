from django.shortcuts import render
from django.utils import timezone

from seuil.core.views_policy import policy

from .figures import day_figures


@policy(read=None)
def home(request):
    """Home page: the day's figures of the user's organisation, fitted to the role."""
    figures = day_figures(request.user, timezone.localdate())
    return render(request, "home/home.html", {"figures": figures})
