"""Page scaffolding shared by the views of every app: the form page, the object of the URL."""

import uuid as uuid_module

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, render


def form_page(
    request,
    form,
    *,
    title,
    crumbs=(),
    intro="",
    submit="Enregistrer",
    cancel_url=None,
    template="ui/form_page.html",
    context=None,
):
    """The page of one form (`ui/form_page.html`): breadcrumb, title, intro, the form.

    `crumbs` are the (URL, label) pairs of the breadcrumb above the page (the title is the
    current page); "Annuler" goes back to the last of them unless `cancel_url` says where.
    `template` may extend `ui/form_page.html` (its block `before_form` holds, say, a slot
    the apps above fill), with the variables of `context`.
    """
    crumbs = list(crumbs)
    if cancel_url is None:
        cancel_url = crumbs[-1][0] if crumbs else ""
    return render(
        request,
        template,
        {
            **(context or {}),
            "form": form,
            "title": title,
            "crumbs": crumbs,
            "intro": intro,
            "submit": submit,
            "cancel_url": cancel_url,
        },
    )


def is_uuid(value):
    """Whether `value` (a parameter of a URL, say) reads as a uuid."""
    try:
        uuid_module.UUID(str(value))
    except ValueError:
        return False
    return True


def object_or_404(request, model, uuid, action=None):
    """The object of the URL if `request.user` may reach it for `action`, through
    `visible_to`; 404 when it is unknown, of another organisation, outside the user's scope,
    or when `uuid` is not one. `model` may be a queryset of the model (to select or annotate
    what the page shows).

    By default `action` is the one the page declares for this request (`@policy`: its
    `write` action for a change, its `read` action otherwise), so that a page that changes
    a household reaches only the households it may change (scope own), not those it may
    only read (scope linked); without a declaration, the model's reading action."""
    try:
        uuid = uuid_module.UUID(str(uuid))
    except ValueError:
        raise Http404 from None
    queryset = model if isinstance(model, QuerySet) else model.objects.all()
    action = action or getattr(request, "policy_action", None)
    return get_object_or_404(queryset.visible_for_lookup(request.user, action), uuid=uuid)
