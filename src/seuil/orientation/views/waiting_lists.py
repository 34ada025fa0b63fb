"""Pages of the waiting lists, and the SIAO's priority weights."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from seuil.core.forms import run_service
from seuil.core.permissions import can_view_households
from seuil.core.policy import Action, Scope
from seuil.core.views_policy import policy

from .. import permissions, waiting
from ..forms.waiting_lists import CompareForm, PriorityWeightsForm
from ..models import PriorityWeights, Referral
from ..services import waiting_lists as actions
from . import lookup

DAY = datetime.timedelta(days=1)


@policy(read=Action.VIEW_WAITING_LISTS)
def waiting_list_index(request):
    today = timezone.localdate()
    programmes = list(waiting.programmes_with_lists(request.user).order_by("name", "pk"))
    waiting_now = Referral.objects.visible_to(request.user).waiting_on(today)
    counts = {}
    for programme_id in waiting_now.values_list("programme_id", flat=True):
        counts[programme_id] = counts.get(programme_id, 0) + 1
    return render(
        request,
        "orientation/waiting_lists.html",
        {
            "rows": [(p, counts.get(p.pk, 0)) for p in programmes],
            "today": today,
            "can_set_weights": permissions.can_set_priority_weights(request.user),
        },
    )


@policy(read=Action.VIEW_WAITING_LISTS)
def waiting_list_detail(request, uuid):
    programme = get_object_or_404(waiting.programmes_with_lists(request.user), uuid=uuid)
    today = timezone.localdate()
    form = CompareForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    day = min(data.get("day") or today, today)
    compared_on = data.get("compared_on") or day - waiting.COMPARE_DAYS * DAY
    lists = waiting.waiting_lists(
        request.user, programme, day, compared_on, page=request.GET.get("page") or 1
    )
    query = request.GET.copy()
    query.pop("page", None)
    actions.read_waiting_lists(lists, acting_user=request.user)
    if not form.is_bound:
        form = CompareForm(initial={"day": day, "compared_on": compared_on})
    return render(
        request,
        "orientation/waiting_list.html",
        {
            "programme": programme,
            "lists": lists,
            "form": form,
            "day": day,
            "compared_on": compared_on,
            "query": query.urlencode() + "&" if query else "",
            "today": today,
            "can_see_households": can_view_households(request.user),
            "can_see_requests": permissions.can_view_requests(request.user),
        },
    )


@policy(Action.SET_PRIORITY_WEIGHTS, scope=Scope.OWN)
def priority_weights(request):
    siao = lookup.user_siao(request.user)
    today = timezone.localdate()
    current = PriorityWeights.weights_on(siao.pk if siao else None, today)
    form = PriorityWeightsForm(
        request.POST or None, initial=PriorityWeightsForm.initial_from(current)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if siao is None:
            form.add_error(None, "Seul un SIAO fixe la pondération de ses listes d'attente.")
        elif run_service(
            form,
            lambda: actions.set_priority_weights(
                siao,
                points_per_month=data["points_per_month"],
                max_waiting_points=data["max_waiting_points"],
                criterion_points=form.criterion_points(),
                acting_user=request.user,
            ),
        ):
            messages.success(
                request, "La pondération est enregistrée ; elle s'applique dès aujourd'hui."
            )
            return redirect("orientation:priority_weights")
    history = (
        PriorityWeights.objects.visible_to(request.user).select_related("set_by")
        if siao
        else PriorityWeights.objects.none()
    )
    return render(
        request,
        "orientation/priority_weights.html",
        {"form": form, "history": history, "siao": siao, "today": today},
    )
