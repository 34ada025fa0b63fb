from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from .figures import day_figures
from .views_policy import policy


@policy(read=None)
def home(request):
    """Home page: the day's figures of the user's organisation, fitted to the role."""
    figures = day_figures(request.user, timezone.localdate())
    return render(request, "core/home.html", {"figures": figures})


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")
