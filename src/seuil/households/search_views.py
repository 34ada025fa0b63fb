"""The search page (`/recherche/`) and the search box of every page's header.

The query is sent by POST and kept in the session under a random key; the page of results
is `/recherche/?r=<key>`: no name, birth date or phone number in an address, so none in
the web server's logs, the browser's history or a `Referer`. The results shown are recorded
in the access log as a list page's are (one row per household or person shown), never the
query itself.
"""

import secrets

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from seuil.core.audit import record_reads
from seuil.core.plausibility import validate_text
from seuil.core.views_policy import policy

from .search import MAX_QUERY_LENGTH, search, search_kinds

SESSION_KEY = "seuil_searches"
KEPT = 10  # the last searches of the session that « Précédent » can come back to


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        strip=True,
        help_text="Un nom et un prénom (dans l'ordre que vous voulez, sans vous soucier des "
        "accents ni des majuscules), une référence, une date (12/03/1985) ou une année de "
        "naissance.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        validators=[validate_text],
    )


def box(request, **arguments):
    """The header's search box: for a user who may search something."""
    user = request.user
    if not user.is_authenticated or not search_kinds(user):
        return None
    return {"search_url": reverse("search")}


def _remember(session, text):
    kept = dict(session.get(SESSION_KEY, {}))
    key = secrets.token_urlsafe(9)
    kept[key] = text
    session[SESSION_KEY] = dict(list(kept.items())[-KEPT:])
    return key


@policy(read=None)
@require_http_methods(["GET", "POST"])
def search_page(request):
    if request.method == "POST":
        form = SearchForm(request.POST)
        text = form.cleaned_data["q"] if form.is_valid() else ""
        text = " ".join(text.split())
        if not text:
            return redirect("search")
        return redirect(f"{reverse('search')}?r={_remember(request.session, text)}")
    key = request.GET.get("r", "")
    text = request.session.get(SESSION_KEY, {}).get(key, "") if key else ""
    groups = search(request.user, text) if text else []
    record_reads(request.user, [obj for g in groups for r in g.results for obj in r.shows])
    return render(
        request,
        "households/search.html",
        {
            "form": SearchForm(initial={"q": text}),
            "text": text,
            "expired": bool(key) and not text,
            "groups": groups,
            "total": sum(len(g.results) for g in groups),
            "kinds": search_kinds(request.user),
        },
    )
