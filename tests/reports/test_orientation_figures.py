"""The `orientation` section of the activity report, on hand-built facts: each figure
checked exactly (docs/orientation.md, "Chiffres de l'orientation")."""

import datetime

from seuil.reports.compute import Facts, compute
from seuil.reports.orientation_figures import (
    REFUSAL_REASONS,
    DecisionFact,
    OrientationFacts,
    ReferralFact,
    RequestFact,
    VacancyFact,
    figure_rows,
    orientation_section,
    refusal_rows,
)

D = datetime.date
START, END = D(2024, 1, 1), D(2024, 12, 31)


def facts(**kwargs):
    return OrientationFacts(**kwargs)


def test_an_empty_period_lists_every_reason_and_has_no_means():
    section = orientation_section(facts(), START, END)
    assert section == {
        "requests_received": 0,
        "admitted": 0,
        "refused": 0,
        "refused_by_reason": {**dict.fromkeys(REFUSAL_REASONS, 0), "unknown": 0},
        "postponed": 0,
        "withdrawn": 0,
        "waiting_at_end": 0,
        "housed": 0,
        "mean_days_admission_to_entry": None,
        "vacancies_closed": 0,
        "mean_vacancy_days": None,
    }


def test_requests_count_on_their_reception_day_both_bounds_included():
    requests = [
        RequestFact(1, D(2023, 12, 31)),
        RequestFact(2, START),
        RequestFact(3, D(2024, 6, 1)),
        RequestFact(4, END),
        RequestFact(5, D(2025, 1, 1)),
    ]
    assert orientation_section(facts(requests=requests), START, END)["requests_received"] == 3


def test_decisions_land_by_outcome_and_refusal_reason():
    decisions = [
        DecisionFact(1, D(2024, 2, 1), "admitted"),
        DecisionFact(2, D(2024, 2, 1), "admitted"),
        DecisionFact(3, D(2024, 3, 1), "refused", "no_rights"),
        DecisionFact(4, D(2024, 3, 1), "refused", "no_rights"),
        DecisionFact(5, D(2024, 3, 1), "refused", "incomplete_file"),
        DecisionFact(6, D(2024, 4, 1), "refused", "nonsense"),
        DecisionFact(7, D(2024, 4, 1), "postponed"),
        DecisionFact(8, D(2023, 12, 31), "refused", "other"),  # before the period
        DecisionFact(9, D(2025, 1, 1), "admitted"),  # after it
    ]
    section = orientation_section(facts(decisions=decisions), START, END)
    assert section["admitted"] == 2
    assert section["postponed"] == 1
    assert section["refused"] == 4
    assert section["refused_by_reason"]["no_rights"] == 2
    assert section["refused_by_reason"]["incomplete_file"] == 1
    assert section["refused_by_reason"]["unknown"] == 1
    assert section["refused_by_reason"]["other"] == 0
    assert sum(section["refused_by_reason"].values()) == section["refused"]


def test_waiting_at_end_withdrawals_and_entries():
    referrals = [
        # waiting on END: admitted before, never closed
        ReferralFact(1, D(2024, 5, 1)),
        # a proposal refused or expired does not close the referral: still waiting
        ReferralFact(2, D(2023, 6, 1)),
        # withdrawn in the period: not waiting, counted as withdrawn
        ReferralFact(3, D(2024, 2, 1), "withdrawn", D(2024, 8, 1)),
        # withdrawn after END: still waiting on END, not withdrawn in the period
        ReferralFact(4, D(2024, 2, 1), "withdrawn", D(2025, 1, 10)),
        # closed on END itself: no longer waiting that day
        ReferralFact(5, D(2024, 2, 1), "withdrawn", END),
        # housed in the period: 10 and 31 days after admission
        ReferralFact(6, D(2024, 3, 1), "housed", D(2024, 3, 11), D(2024, 3, 11)),
        ReferralFact(7, D(2023, 12, 1), "housed", D(2024, 1, 1), D(2024, 1, 1)),
        # housed before the period: not counted
        ReferralFact(8, D(2023, 1, 1), "housed", D(2023, 12, 31), D(2023, 12, 31)),
        # admitted after END: not waiting on END
        ReferralFact(9, D(2025, 1, 2)),
    ]
    section = orientation_section(facts(referrals=referrals), START, END)
    assert section["waiting_at_end"] == 3  # 1, 2, 4
    assert section["withdrawn"] == 2  # 3, 5
    assert section["housed"] == 2
    assert section["mean_days_admission_to_entry"] == 20.5  # (10 + 31) / 2


def test_the_mean_delay_rounds_half_up_to_one_decimal():
    referrals = [
        ReferralFact(1, D(2024, 1, 1), "housed", D(2024, 1, 2), D(2024, 1, 2)),  # 1
        ReferralFact(2, D(2024, 1, 1), "housed", D(2024, 1, 2), D(2024, 1, 2)),  # 1
        ReferralFact(3, D(2024, 1, 1), "housed", D(2024, 1, 3), D(2024, 1, 3)),  # 2
    ]
    # 4 / 3 = 1.333… → 1.3
    section = orientation_section(facts(referrals=referrals), START, END)
    assert section["mean_days_admission_to_entry"] == 1.3


def test_vacancy_days_are_those_of_the_vacancies_closed_in_the_period():
    vacancies = [
        VacancyFact(1, D(2023, 12, 1), D(2024, 1, 15)),  # 45 days
        VacancyFact(2, D(2024, 6, 1), D(2024, 6, 11)),  # 10 days
        VacancyFact(3, D(2024, 12, 1), END),  # 30 days
        VacancyFact(4, D(2024, 11, 1)),  # still open: not counted
        VacancyFact(5, D(2024, 12, 20), D(2025, 1, 5)),  # closed after END
    ]
    section = orientation_section(facts(vacancies=vacancies), START, END)
    assert section["vacancies_closed"] == 3
    assert section["mean_vacancy_days"] == round(85 / 3, 1) == 28.3


def test_compute_adds_the_section_only_when_orientation_facts_are_given():
    assert "orientation" not in compute(Facts(organisation="x"), START, END)
    report = compute(
        Facts(organisation="x", orientation=facts(requests=[RequestFact(1, START)])), START, END
    )
    assert report["orientation"]["requests_received"] == 1
    assert all(check["ok"] for check in report["checks"])


def test_labels_are_french_and_list_every_reason():
    section = orientation_section(facts(), START, END)
    rows = dict(figure_rows(section))
    assert rows["Demandes reçues"] == 0
    assert rows["Délai moyen de l'admission à l'entrée (jours)"] is None
    reasons = [label for label, _ in refusal_rows(section)]
    assert len(reasons) == len(REFUSAL_REASONS) + 1
    assert "Droits au séjour ou ressources non ouverts" in reasons
