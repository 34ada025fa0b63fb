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


# (object_type, model, related to load, describe, the lookup path from a record to its household)
TRACED = [
    (
        "sublease",
        SubLease,
        ("stay__unit",),
        describe_sub_lease,
        "stay__household",
    ),
    (
        "subleaseterm",
        SubLeaseTerm,
        ("sub_lease",),
        describe_term,
        "sub_lease__stay__household",
    ),
    (
        "rentcall",
        RentCall,
        ("sub_lease",),
        describe_call,
        "sub_lease__stay__household",
    ),
    (
        "payment",
        Payment,
        ("sub_lease",),
        describe_payment,
        "sub_lease__stay__household",
    ),
    (
        "repaymentplan",
        RepaymentPlan,
        (),
        describe_plan,
        "sub_lease__stay__household",
    ),
    (
        "inspection",
        Inspection,
        (),
        describe_inspection,
        "stay__household",
    ),
    (
        "inspectionroom",
        InspectionRoom,
        ("inspection",),
        lambda room: f"{room.inspection} : pièce « {room.name} »",
        "inspection__stay__household",
    ),
    (
        "meterreading",
        MeterReading,
        ("inspection",),
        lambda reading: f"{reading.inspection} : compteur {reading.get_meter_display().lower()}",
        "inspection__stay__household",
    ),
    (
        "inspectionkeys",
        InspectionKeys,
        ("inspection",),
        lambda keys: f"{keys.inspection} : clés « {keys.kind} »",
        "inspection__stay__household",
    ),
    (
        "repair",
        Repair,
        (),
        lambda repair: f"Réparation {repair.ref} : {repair.description}",
        "stay__household",
    ),
    (
        "insurance",
        Insurance,
        (),
        str,
        "household",
    ),
    (
        "preventioncase",
        PreventionCase,
        (),
        str,
        "sub_lease__stay__household",
    ),
    (
        "preventionstep",
        PreventionStep,
        (),
        lambda step: f"Prévention des expulsions : {step}",
        "case__sub_lease__stay__household",
    ),
    (
        "chargesregularisation",
        ChargesRegularisation,
        (),
        str,
        "sub_lease__stay__household",
    ),
    (
        "benefitreceipt",
        BenefitReceipt,
        (),
        str,
        "sub_lease__stay__household",
    ),
    (
        "rentdocument",
        RentDocument,
        ("rent_call",),
        lambda document: f"{document} ({document.rent_call})",
        "rent_call__sub_lease__stay__household",
    ),
]
