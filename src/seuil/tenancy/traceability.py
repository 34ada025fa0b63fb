"""The tenancy records on a household's history and access log (`register_traced`)."""

from .models import (
    BenefitReceipt,
    ChargesRegularisation,
    Inspection,
    InspectionKeys,
    InspectionRoom,
    Insurance,
    MeterReading,
    Payment,
    PreventionCase,
    PreventionStep,
    RentCall,
    RentDocument,
    Repair,
    RepaymentPlan,
    SubLease,
    SubLeaseTerm,
)


def _sub_leases(household):
    return SubLease.objects.filter(stay__household=household)


def describe_sub_lease(sub_lease):
    return f"Sous-location {sub_lease.ref} (logement {sub_lease.stay.unit.ref})"


def describe_term(term):
    return (
        f"Conditions de la sous-location {term.sub_lease.ref} à partir du {term.starts_on:%d/%m/%Y}"
    )


def describe_call(call):
    return f"Appel de loyer de {call.month:%m/%Y} (sous-location {call.sub_lease.ref})"


def describe_payment(payment):
    return f"Paiement du {payment.paid_on:%d/%m/%Y} (sous-location {payment.sub_lease.ref})"


def describe_plan(plan):
    return f"Échéancier convenu le {plan.agreed_on:%d/%m/%Y}"


def describe_inspection(inspection):
    return f"{inspection.get_kind_display()} du {inspection.done_on:%d/%m/%Y}"


# (object_type, model, related to load, describe, the household's uuids)
TRACED = [
    (
        "sublease",
        SubLease,
        ("stay__unit",),
        describe_sub_lease,
        lambda h: _sub_leases(h).values_list("uuid", flat=True),
    ),
    (
        "subleaseterm",
        SubLeaseTerm,
        ("sub_lease",),
        describe_term,
        lambda h: SubLeaseTerm.objects.filter(sub_lease__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "rentcall",
        RentCall,
        ("sub_lease",),
        describe_call,
        lambda h: RentCall.objects.filter(sub_lease__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "payment",
        Payment,
        ("sub_lease",),
        describe_payment,
        lambda h: Payment.objects.filter(sub_lease__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "repaymentplan",
        RepaymentPlan,
        (),
        describe_plan,
        lambda h: RepaymentPlan.objects.filter(sub_lease__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "inspection",
        Inspection,
        (),
        describe_inspection,
        lambda h: Inspection.objects.filter(stay__household=h).values_list("uuid", flat=True),
    ),
    (
        "inspectionroom",
        InspectionRoom,
        ("inspection",),
        lambda room: f"{room.inspection} : pièce « {room.name} »",
        lambda h: InspectionRoom.objects.filter(inspection__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "meterreading",
        MeterReading,
        ("inspection",),
        lambda reading: f"{reading.inspection} : compteur {reading.get_meter_display().lower()}",
        lambda h: MeterReading.objects.filter(inspection__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "inspectionkeys",
        InspectionKeys,
        ("inspection",),
        lambda keys: f"{keys.inspection} : clés « {keys.kind} »",
        lambda h: InspectionKeys.objects.filter(inspection__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "repair",
        Repair,
        (),
        lambda repair: f"Réparation {repair.ref} : {repair.description}",
        lambda h: Repair.objects.filter(stay__household=h).values_list("uuid", flat=True),
    ),
    (
        "insurance",
        Insurance,
        (),
        str,
        lambda h: Insurance.objects.filter(household=h).values_list("uuid", flat=True),
    ),
    (
        "preventioncase",
        PreventionCase,
        (),
        str,
        lambda h: PreventionCase.objects.filter(sub_lease__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "preventionstep",
        PreventionStep,
        (),
        lambda step: f"Prévention des expulsions : {step}",
        lambda h: PreventionStep.objects.filter(case__sub_lease__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "chargesregularisation",
        ChargesRegularisation,
        (),
        str,
        lambda h: ChargesRegularisation.objects.filter(sub_lease__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "benefitreceipt",
        BenefitReceipt,
        (),
        str,
        lambda h: BenefitReceipt.objects.filter(sub_lease__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
    (
        "rentdocument",
        RentDocument,
        ("rent_call",),
        lambda document: f"{document} ({document.rent_call})",
        lambda h: RentDocument.objects.filter(rent_call__sub_lease__stay__household=h).values_list(
            "uuid", flat=True
        ),
    ),
]
