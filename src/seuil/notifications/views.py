"""The inbox (mark read, mark all read), the e-mail preferences and « Mes tâches ».

Every page is the signed-in user's own: the notifications shown and marked are theirs
(`Notification.objects.visible_to(user)`), another user's answer 404."""

import uuid as uuid_module

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.pages import form_page
from seuil.core.views_policy import policy

from . import services
from .forms import PreferencesForm
from .models import Notification
from .registry import kind_of

PAGE_SIZE = 50


def _mark(request):
    target = request.POST.get("read", "")
    if target == "all":
        count = services.mark_all_read(request.user)
        if count:
            plural = "s" if count > 1 else ""
            messages.success(
                request, f"{count} notification{plural} marquée{plural} comme lue{plural}."
            )
        return
    try:
        notification_uuid = uuid_module.UUID(target)
    except ValueError:
        raise Http404 from None
    if not services.mark_read(request.user, notification_uuid):
        raise Http404


@policy(read=None)
def inbox(request):
    """Mes notifications : les plus récentes d'abord ; marquer lue, tout marquer lu."""
    unread_only = request.GET.get("non_lues") == "1"
    if request.method == "POST":
        _mark(request)
        return redirect(reverse("notifications:inbox") + ("?non_lues=1" if unread_only else ""))
    mine = Notification.objects.visible_to(request.user)
    unread = mine.unread().count()
    shown = (mine.unread() if unread_only else mine).select_related("actor")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(notification, label_of(notification.kind)) for notification in page]
    return render(
        request,
        "notifications/inbox.html",
        {
            "rows": rows,
            "page": page,
            "unread": unread,
            "unread_only": unread_only,
            "query": "non_lues=1&" if unread_only else "",
        },
    )


def label_of(code):
    try:
        return kind_of(code).label
    except LookupError:  # a kind no app registers any more
        return code


@policy(read=None)
def preferences(request):
    """Mes courriels de notification : pour chaque type, tout de suite, dans le résumé
    quotidien ou pas du tout."""
    user = request.user
    kinds = services.kinds_for(user)
    form = PreferencesForm(request.POST or None, kinds=kinds, current=services.preferences_of(user))
    if request.method == "POST" and form.is_valid():
        services.set_preferences(user, form.cleaned_data)
        messages.success(request, "Vos préférences de courriel sont enregistrées.")
        return redirect("notifications:inbox")
    if user.email:
        intro = (
            f"Les courriels partent à l'adresse {user.email}. Chaque notification reste aussi "
            "dans Seuil. Un courriel ne dit jamais rien des personnes accompagnées : il donne "
            "le type de notification et un lien ; connectez-vous pour en savoir plus."
        )
    else:
        intro = (
            "Aucune adresse électronique n'est enregistrée pour votre compte : aucun courriel "
            "ne peut vous être envoyé. Demandez à l'administrateur de votre organisation de "
            "l'ajouter. Vos notifications restent dans Seuil."
        )
    return form_page(
        request,
        form,
        title="Mes courriels de notification",
        crumbs=[(reverse("notifications:inbox"), "Notifications")],
        intro=intro,
    )


@policy(read=None)
def todo(request):
    """Mes tâches : ce que mon rôle doit faire, en retard d'abord, puis à faire."""
    today = timezone.localdate()
    overdue, to_do = services.tasks_of(request.user, today)
    return render(
        request,
        "notifications/todo.html",
        {
            "overdue": [(todo, todo.days_late(today)) for todo in overdue],
            "to_do": to_do,
            "today": today,
        },
    )
