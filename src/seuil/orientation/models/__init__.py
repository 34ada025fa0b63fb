"""Orientation on dated facts, one module per step: a household's request to the SIAO and
its assessments (`requests`), the commission's meetings and decisions (`commission`), the
referral to a programme and its waiting list (`waiting_lists`), the vacancies of units
(`vacancies`) and the proposals that offer them (`proposals`); the order of a waiting list
on a day, computed once and kept (`ranks`).

Every status is a state machine (`enums.*_TRANSITIONS`, the model's `state_machine`, moved
by `core.transitions.transition`) whose changes are logged with their date and author
(`*Transition`); the dates the figures need are fields of the records themselves
(`Request.received_on`, `Referral.admitted_on` and `closed_on`, `Vacancy.opened_on` and
`closed_on`, `Proposal.proposed_on` and `closed_on`), so that "as of date D" questions are
one filter, like stays.
"""

# Every model is imported here: Django finds an app's models in `<app>.models`.
from .commission import AgendaItem, CommissionMeeting, ReferralDecision
from .proposals import Proposal, ProposalTransition
from .ranks import RANK_RETENTION_DAYS, RankedEntry, RankedList
from .requests import IN_PROGRESS, Assessment, Request, RequestTransition
from .vacancies import Vacancy
from .waiting_lists import PriorityWeights, Referral, ReferralTransition, default_weights

__all__ = [
    "IN_PROGRESS",
    "RANK_RETENTION_DAYS",
    "AgendaItem",
    "Assessment",
    "CommissionMeeting",
    "PriorityWeights",
    "Proposal",
    "ProposalTransition",
    "RankedEntry",
    "RankedList",
    "Referral",
    "ReferralDecision",
    "ReferralTransition",
    "Request",
    "RequestTransition",
    "Vacancy",
    "default_weights",
]
