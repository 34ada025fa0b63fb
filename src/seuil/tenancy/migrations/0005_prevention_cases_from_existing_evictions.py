"""The eviction procedures already in the database become prevention cases (as
`seuil.tenancy.prevention.cases_from_evictions` does after an import): a case of the stay's
sub-lease opened on `started_on` with the stage « assignation », closed on `ended_on` with
the outcome « procédure close (issue non précisée) ». A stay without a sub-lease has none."""

from django.db import migrations


def forwards(apps, schema_editor):
    EvictionProcedure = apps.get_model("housing", "EvictionProcedure")
    PreventionCase = apps.get_model("tenancy", "PreventionCase")
    PreventionStep = apps.get_model("tenancy", "PreventionStep")
    SubLease = apps.get_model("tenancy", "SubLease")
    sub_leases = {s.stay_id: s for s in SubLease.objects.all()}
    done = set(
        PreventionCase.objects.filter(eviction_procedure__isnull=False).values_list(
            "eviction_procedure_id", flat=True
        )
    )
    for procedure in EvictionProcedure.objects.order_by("pk"):
        sub_lease = sub_leases.get(procedure.stay_id)
        if sub_lease is None or procedure.pk in done:
            continue
        case = PreventionCase.objects.create(
            organisation_id=sub_lease.organisation_id,
            sub_lease=sub_lease,
            opened_on=procedure.started_on,
            closed_on=procedure.ended_on,
            outcome="procedure_ended" if procedure.ended_on else "",
            eviction_procedure=procedure,
        )
        PreventionStep.objects.create(case=case, stage="summons", on=procedure.started_on)


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0004_documents_regularisation_benefit_and_imported_evictions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
