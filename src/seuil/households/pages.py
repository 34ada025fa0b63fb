"""The form page and the return to the household's file, shared by the household views."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse


def form_page(request, form, *, title, household=None, intro="", submit="Enregistrer"):
    cancel_url = (
        reverse("households:detail", args=[household.uuid])
        if household
        else reverse("households:list")
    )
    return render(
        request,
        "households/form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "household": household,
            "submit": submit,
            "cancel_url": cancel_url,
        },
    )


def to_file(request, household, message):
    messages.success(request, message)
    return redirect("households:detail", uuid=household.uuid)
