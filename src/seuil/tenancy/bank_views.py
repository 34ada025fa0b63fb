"""The bank statement pages: import a statement, book its credit lines as payments (the
reconciliation screen), set the CSV column mapping. RECONCILE_BANK: the tenancy officer and
the manager, not the social worker."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from seuil.core.pages import form_page
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from . import bank
from .forms import CsvMappingForm, StatementForm
from .models import BankLine, CsvMapping, SubLease

PAGE_SIZE = 100


def _mapping(organisation):
    return CsvMapping.objects.filter(organisation=organisation).first() or CsvMapping(
        organisation=organisation
    )


@policy(Action.RECONCILE_BANK)
def statements(request):
    """Import a statement (POST with a file), or book the lines checked (POST action=book);
    GET: the lines to reconcile, with the sub-lease proposed for each."""
    organisation = request.user.organisation
    form = StatementForm()
    if request.method == "POST" and request.POST.get("action") == "book":
        return _book(request)
    if request.method == "POST":
        form = StatementForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["statement"]
            kind = form.cleaned_data["kind"]
            try:
                data = upload.read(bank.MAX_BYTES + 1)
                if kind == "camt053":
                    lines = bank.read_camt053(data)
                else:
                    lines = bank.read_csv(data, _mapping(organisation))
            except bank.StatementError as error:
                form.add_error("statement", str(error))
            else:
                statement = bank.import_statement(
                    organisation, lines, kind=kind, filename=upload.name, by=request.user
                )
                already = statement.lines_found - statement.lines_new
                messages.success(
                    request,
                    f"Relevé importé : {statement.lines_new} ligne(s) de crédit nouvelle(s)"
                    + (f", {already} déjà importée(s) avant (ignorées)." if already else "."),
                )
                return redirect("tenancy:bank")
    lines = BankLine.objects.visible_to(request.user).filter(status=BankLine.Status.TO_RECONCILE)
    page = Paginator(lines.order_by("booked_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    proposals = bank.propose(organisation, list(page.object_list))
    return render(
        request,
        "tenancy/bank.html",
        {"form": form, "page_obj": page, "proposals": proposals, "total": lines.count()},
    )


def _book(request):
    organisation = request.user.organisation
    lines = BankLine.objects.visible_to(request.user, Action.RECONCILE_BANK).filter(
        uuid__in=request.POST.getlist("line")
    )
    sub_leases = {s.ref: s for s in SubLease.objects.filter(organisation=organisation)}
    ignored = 0
    problems, pairs = [], []
    for line in lines:
        choice = request.POST.get(f"choice-{line.uuid}")
        if choice == "ignore":
            bank.ignore(line)
            ignored += 1
        elif choice == "book":
            ref = (request.POST.get(f"ref-{line.uuid}") or "").strip()
            sub_lease = sub_leases.get(ref)
            if sub_lease is None:
                problems.append(f"{line} : sous-location « {ref} » inconnue.")
            else:
                pairs.append((line, sub_lease))
    booked = len(bank.book_many(pairs, by=request.user)) if pairs else 0
    if booked or ignored:
        messages.success(
            request, f"{booked} paiement(s) enregistré(s), {ignored} ligne(s) écartée(s)."
        )
    for problem in problems:
        messages.error(request, problem)
    return redirect("tenancy:bank")


@policy(Action.RECONCILE_BANK)
def csv_mapping(request):
    """Which column of the bank's CSV export holds what (kept for the next imports)."""
    mapping = _mapping(request.user.organisation)
    form = CsvMappingForm(request.POST or None, instance=mapping)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Correspondance des colonnes enregistrée.")
        return redirect("tenancy:bank")
    return form_page(
        request,
        form,
        title="Correspondance des colonnes du relevé CSV",
        crumbs=[
            (reverse("tenancy:month"), "Gestion locative"),
            (reverse("tenancy:bank"), "Relevés bancaires"),
        ],
        intro="Indiquez l'intitulé exact de chaque colonne du fichier exporté par la banque.",
    )
