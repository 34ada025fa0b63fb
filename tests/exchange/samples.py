"""Exchange files used by the tests, in canonical form (the form the export writes)."""

import copy


def member(ref, role, **fields):
    return {
        "ref": ref,
        "role": role,
        "sex": fields.get("sex"),
        "birth_date": fields.get("birth_date"),
        "first_name": fields.get("first_name"),
        "last_name": fields.get("last_name"),
        "joined_on": fields.get("joined_on"),
        "joined_reason": fields.get("joined_reason"),
        "left_on": fields.get("left_on"),
        "legal_status": fields.get("legal_status", []),
    }


def unit(ref, **fields):
    return {
        "ref": ref,
        "programme": fields.get("programme", "iml-r"),
        "typology": fields.get("typology", "T3"),
        "parent": fields.get("parent"),
        "address": fields.get("address", "12 rue des Jacobins"),
        "commune": fields.get("commune", "80021"),
        "sector": fields.get("sector", "grand-amienois"),
        "landlord": fields.get("landlord", "opac80"),
        "rent": fields.get("rent", 420.5),
        "charges": fields.get("charges", 60),
        "surface_m2": fields.get("surface_m2", 62),
        "accessible": fields.get("accessible", False),
        "captured_on": fields.get("captured_on", "2022-03-01"),
        "returned_on": fields.get("returned_on"),
    }


def stay(ref, household, unit_ref, entered_on, **fields):
    return {
        "ref": ref,
        "household": household,
        "unit": unit_ref,
        "programme": fields.get("programme", "iml-r"),
        "entered_on": entered_on,
        "exited_on": fields.get("exited_on"),
        "exit_destination": fields.get("exit_destination"),
        "lease_transferred": fields.get("lease_transferred", False),
        "support_intensity": fields.get("support_intensity", "standard"),
    }


RICH = {
    "format": "seuil-exchange/1",
    "organisation": {
        "ref": "apremis",
        "name": "APREMIS – Association d'aide",
        "kind": "operator",
        "department": "80",
    },
    "programmes": [
        {"ref": "iml-r", "name": "IML Réfugiés", "kind": "iml", "max_support_months": 18},
        {
            "ref": "mobilite",
            "name": "Mobilité nationale",
            "kind": "mobility",
            "max_support_months": None,
        },
    ],
    "sectors": [
        {"ref": "grand-amienois", "name": "Grand Amiénois", "communes": ["80021", "80001"]},
    ],
    "landlords": [
        {"ref": "opac80", "name": "OPAC de la Somme", "kind": "social"},
        {"ref": "particulier", "name": "M. Lefèvre d'Hautecourt", "kind": "private"},
    ],
    "housing_units": [
        unit("L01"),
        unit("L02", typology="T4", rent=610, charges=80.25, surface_m2=81.5),
        unit("L02-A", typology="room", parent="L02", rent=290, surface_m2=12),
        unit("L02-B", typology="room", parent="L02", rent=295.75, surface_m2=13),
        unit(
            "L03",
            programme="mobilite",
            typology="T2",
            landlord="particulier",
            sector=None,
            commune=None,
            address=None,
            rent=None,
            charges=None,
            surface_m2=None,
            accessible=True,
            captured_on="2021-01-15",
            returned_on="2024-02-01",
        ),
    ],
    "households": [
        {
            "ref": "M01",
            "prior_situation": "specialised_shelter",
            "resources": [
                {"on": "2023-11-15", "types": ["family_benefits", "rsa"]},
                {"on": "2024-06-01", "types": ["activity_bonus", "family_benefits", "salary"]},
            ],
            "members": [
                member(
                    "P01",
                    "head",
                    sex="F",
                    birth_date="1988-04-02",
                    first_name="Aïcha",
                    last_name="N'Diaye",
                    legal_status=[
                        {"since": "2020-02-10", "status": "asylum_seeker"},
                        {"since": "2021-06-01", "status": "refugee"},
                    ],
                ),
                member(
                    "P02",
                    "child",
                    sex="M",
                    birth_date="2012-09-30",
                    first_name="Moussa",
                    last_name="N'Diaye",
                    legal_status=[{"since": "2021-06-01", "status": "refugee"}],
                ),
                member(
                    "P03",
                    "child",
                    sex="F",
                    birth_date="2024-03-12",
                    first_name="Éléonore",
                    last_name="N'Diaye",
                    joined_on="2024-03-12",
                    joined_reason="birth",
                ),
            ],
        },
        {
            "ref": "M02",
            "prior_situation": None,
            "resources": [],
            "members": [
                member("P04", "head", sex="M", first_name="Gökhan", last_name="Öztürk"),
            ],
        },
        {
            "ref": "M03",
            "prior_situation": "street_or_115",
            "resources": [{"on": "2021-02-01", "types": ["none"]}],
            "members": [
                member(
                    "P05",
                    "head",
                    sex="X",
                    birth_date="1975-12-31",
                    first_name="Éléonore",
                    last_name="D'Almeida",
                    legal_status=[{"since": "2019-05-05", "status": "subsidiary_protection"}],
                ),
                member(
                    "P06",
                    "partner",
                    sex="M",
                    birth_date="1970-01-01",
                    first_name="Jérôme",
                    last_name="D'Almeida",
                    joined_on="2022-01-10",
                    joined_reason="family_reunification",
                    left_on="2023-06-30",
                ),
            ],
        },
    ],
    "stays": [
        stay("S01", "M01", "L01", "2023-11-15", support_intensity="reinforced"),
        stay("S02", "M02", "L02-A", "2023-01-02", programme=None),
        stay(
            "S03",
            "M03",
            "L03",
            "2021-02-01",
            programme="mobilite",
            exited_on="2024-02-01",
            exit_destination="social_landlord",
            lease_transferred=True,
        ),
    ],
    "eviction_procedures": [
        {"stay": "S01", "started_on": "2024-05-02", "ended_on": None},
        {"stay": "S03", "started_on": "2023-01-10", "ended_on": "2023-09-01"},
    ],
    # The tenancy lists (EXCHANGE.md §1.1): an export writes every list, even empty.
    "sub_leases": [],
    "rent_calls": [],
    "payments": [],
    "repayment_plans": [],
    "inspections": [],
    "support_contracts": [
        {
            "ref": "C01",
            "stay": "S01",
            "signed_on": "2023-12-01",
            "starts_on": "2023-12-01",
            "ends_on": "2024-05-31",
            "amendments": [
                {"ref": "C01-1", "signed_on": "2024-05-20", "ends_on": "2024-11-30"},
                {"ref": "C01-2", "signed_on": "2024-11-15", "ends_on": "2025-05-14"},
            ],
        },
        {
            "ref": "C03",
            "stay": "S03",
            "signed_on": "2021-03-15",
            "starts_on": "2021-03-01",
            "ends_on": "2021-08-31",
            "amendments": [],
        },
    ],
    "contacts": [
        {"ref": "K01", "household": "M01", "on": "2023-12-12", "kind": "home_visit"},
        {"ref": "K02", "household": "M01", "on": "2024-01-09", "kind": "joint_home_visit"},
        {"ref": "K03", "household": "M03", "on": "2021-02-01", "kind": "office_appointment"},
    ],
    "objectives": [
        {
            "ref": "O01",
            "household": "M01",
            "domain": "budget",
            "set_on": "2023-12-01",
            "closed_on": None,
            "outcome": None,
        },
        {
            "ref": "O02",
            "household": "M03",
            "domain": "family_reunification",
            "set_on": "2021-03-15",
            "closed_on": "2022-01-10",
            "outcome": "achieved",
        },
    ],
    "follow_ups": [
        {
            "ref": "F01",
            "stay": "S03",
            "on": "2025-01-20",
            "housed": True,
            "same_home": True,
            "employed": None,
            "satisfaction": 4,
        },
    ],
}


def rich():
    """A fresh deep copy of the rich file."""
    return copy.deepcopy(RICH)


def minimal(org="asso-min"):
    """The smallest useful file: one unit, one household of one person, one stay."""
    return {
        "format": "seuil-exchange/1",
        "organisation": {"ref": org, "name": "Association minimale"},
        "housing_units": [{"ref": "L1", "typology": "T1", "captured_on": "2022-01-01"}],
        "households": [{"ref": "M1", "members": [{"ref": "P1", "role": "head"}]}],
        "stays": [{"ref": "S1", "household": "M1", "unit": "L1", "entered_on": "2022-02-01"}],
    }


# The tenancy of the rich file, in canonical form: S01 (present, tripartite, with a rent
# revision), S03 (exited, a debt left).
TENANCY = {
    "sub_leases": [
        {
            "ref": "B01",
            "stay": "S01",
            "signed_on": "2023-11-15",
            "tripartite": True,
            "deposit": 420,
            "due_day": 5,
            "terms": [
                {"from": "2023-11-15", "rent": 420.5, "charges": 60, "housing_benefit": 310},
                {"from": "2024-07-01", "rent": 430.5, "charges": 60, "housing_benefit": 310},
            ],
        },
        {
            "ref": "B03",
            "stay": "S03",
            "signed_on": "2021-02-01",
            "tripartite": False,
            "deposit": None,
            "due_day": None,
            "terms": [{"from": "2021-02-01", "rent": 500, "charges": 0, "housing_benefit": 0}],
        },
    ],
    "rent_calls": [
        {
            "sub_lease": "B01",
            "month": "2023-12",
            "due_on": "2023-12-05",
            "rent": 420.5,
            "charges": 60,
            "housing_benefit": 310,
        },
        {
            "sub_lease": "B01",
            "month": "2024-01",
            "due_on": "2024-01-05",
            "rent": 420.5,
            "charges": 60,
            "housing_benefit": 310,
        },
        {
            "sub_lease": "B03",
            "month": "2024-01",
            "due_on": "2024-01-01",
            "rent": 500,
            "charges": 0,
            "housing_benefit": 0,
        },
    ],
    "payments": [
        {
            "ref": "R01",
            "sub_lease": "B01",
            "paid_on": "2023-12-07",
            "amount": 170.5,
            "method": "transfer",
        },
        {"ref": "R02", "sub_lease": "B03", "paid_on": "2024-01-20", "amount": 100, "method": None},
    ],
    "repayment_plans": [
        {
            "ref": "E01",
            "sub_lease": "B03",
            "agreed_on": "2024-01-25",
            "debt": 400,
            "instalments": [
                {"due_on": "2024-02-25", "amount": 200},
                {"due_on": "2024-03-25", "amount": 200},
            ],
        }
    ],
    "inspections": [
        {"ref": "I01", "unit": "L01", "stay": "S01", "kind": "entry", "done_on": "2023-11-15"},
        {"ref": "I02", "unit": "L03", "stay": None, "kind": "exit", "done_on": "2024-02-01"},
    ],
}


def rich_with_tenancy():
    """The rich file with its tenancy lists filled in."""
    return {**rich(), **copy.deepcopy(TENANCY)}
