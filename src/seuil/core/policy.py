"""The one permission policy of Seuil: which role may do which action, on which scope.

Read each line of `POLICY` as "a user of role R may do action A on the records of scope S".
A role and action pair missing from the table is refused. Pages, API, exports and
commands all ask this table, through `scope_of()` / `allows()` and the small rules of
`seuil.core.permissions`; querysets narrow themselves with `visible_to()` (`core/scoping`).

Scopes (DOMAIN.md §2; CASF L.345-2-10: strictly what the decision requires):

- ``own``: the records of the user's own organisation: the household files it *holds* (it
  created them, or they were handed over to it) and the records it keeps itself (its
  stays, its requests received, its units…);
- ``linked``: what ``own`` covers, plus every record of the households the organisation
  holds or is *linked* to today: a SIAO by a request it received, an operator by an
  admitted referral to one of its programmes or a stay in one of its units, a former holder
  for a while after a handover (`households.links`: dated link rows, each ending with its
  reason). A link gives what this scope gives and nothing more: the household's identity,
  composition, statuses, resources and stays, never its social note, sensitive details,
  consents, history or access log, which stay on scope ``own``;
- ``referred``: only the records referred to the user: the households a manager referred
  to a psychologist, the units a landlord owns (and, later, the proposals for them);
- ``consented``: only the households that gave a recorded, unexpired, unrevoked consent
  for this sharing (a landlord reading a social note, the national platform a mobility
  file);
- ``aggregate``: counts only, over the organisations the user steers, small cells (< 5)
  hidden, never a name.
"""

from enum import StrEnum

from .enums import Role


class Scope(StrEnum):
    OWN = "own"
    LINKED = "linked"
    REFERRED = "referred"
    CONSENTED = "consented"
    AGGREGATE = "aggregate"


class Action(StrEnum):
    VIEW_HOUSEHOLDS = "view_households"  # identity, composition, status, resources, stays
    HAND_OVER = "hand_over"  # hand a household's file over to another organisation
    MERGE_HOUSEHOLDS = "merge_households"  # merge two files (households, persons), undo it
    CHANGE_HOUSEHOLDS = "change_households"
    VIEW_SOCIAL_NOTE = "view_social_note"
    CHANGE_SOCIAL_NOTE = "change_social_note"  # and the sensitive details
    VIEW_SENSITIVE_DETAILS = "view_sensitive_details"  # violence, health: never shared out
    RECORD_CONSENT = "record_consent"
    VIEW_CLINICAL_NOTES = "view_clinical_notes"
    WRITE_CLINICAL_NOTES = "write_clinical_notes"
    REFER_TO_PSYCHOLOGIST = "refer_to_psychologist"
    VIEW_UNITS = "view_units"
    CHANGE_UNITS = "change_units"
    CHANGE_STAYS = "change_stays"  # entries and exits
    VIEW_ACTIVITY_REPORT = "view_activity_report"
    VIEW_AGGREGATES = "view_aggregates"  # the steering dashboard
    VIEW_DATA_QUALITY = "view_data_quality"  # missing, implausible, duplicate records
    EXPORT_ORGANISATION = "export_organisation"  # the organisation's exchange file (JSON, XLSX)
    IMPORT_ORGANISATION = "import_organisation"  # import an exchange file (the XLSX workbook)
    EXPORT_PERSON = "export_person"  # right of access (RGPD art. 15)
    VIEW_ACCESS_LOG = "view_access_log"  # "qui a consulté ce dossier"
    VIEW_HISTORY = "view_history"  # before/after of every change
    MANAGE_TOKENS = "manage_tokens"  # the API tokens of the organisation's users
    VIEW_USERS = "view_users"  # the organisation's accounts: role, active, last login
    MANAGE_USERS = "manage_users"  # invite, change a role, deactivate, reset the second factor
    # The organisation's settings: programmes, sectors, landlord records, partners
    MANAGE_SETTINGS = "manage_settings"
    # The SIAO and national platform it works with; the landlords' spaces in Seuil (their
    # organisation and its first account)
    MANAGE_ORGANISATION = "manage_organisation"
    # Orientation (DOMAIN.md §3, steps 1–4)
    RECORD_REQUEST = "record_request"  # a household's request to the SIAO
    ASSESS = "assess"  # write the assessment
    DECIDE_REFERRAL = "decide_referral"  # commission meetings and decisions
    VIEW_WAITING_LISTS = "view_waiting_lists"
    SET_PRIORITY_WEIGHTS = "set_priority_weights"
    DECLARE_VACANCY = "declare_vacancy"
    MAKE_PROPOSAL = "make_proposal"
    VIEW_PROPOSALS = "view_proposals"  # the housing proposals (a landlord: its units')
    ANSWER_PROPOSAL = "answer_proposal"  # record the household's or the landlord's answer
    VIEW_ORIENTATION_DASHBOARD = "view_orientation_dashboard"
    # matching
    RUN_MATCHING = "run_matching"  # compute a plan, turn its pairs into proposals
    SET_EMPLOYMENT_SCORES = "set_employment_scores"  # the platform's data per territory
    # tenancy (gestion locative adaptée)
    VIEW_TENANCY = "view_tenancy"  # sub-leases, rent calls, payments, plans: the account
    CHANGE_TENANCY = "change_tenancy"  # sub-leases, rent calls, payments, plans, inspections
    RECONCILE_BANK = "reconcile_bank"  # import bank statements, book their credit lines
    # support (seuil.support): contracts and amendments, objectives, contacts, referents
    VIEW_SUPPORT = "view_support"  # contracts, objectives (not their free text), referents
    VIEW_SUPPORT_NOTES = "view_support_notes"  # objectives' and contacts' free text
    VIEW_CONTACTS = "view_contacts"  # contacts and the week's agenda
    CHANGE_SUPPORT = "change_support"  # write contracts, objectives, contacts, referents
    MANAGE_CASELOADS = "manage_caseloads"  # targets per programme, reassign a worker's files
    VIEW_REVIEWS = "view_reviews"  # the monthly reviews of a household (and their text)
    WRITE_REVIEWS = "write_reviews"  # record a monthly review
    VIEW_MEETINGS = "view_meetings"  # coordination cells, steering committees, their minutes
    CHANGE_MEETINGS = "change_meetings"  # record a meeting, its agenda and minutes
    # outcomes: exit preparation and the follow-up after exit
    VIEW_FOLLOW_UPS = "view_follow_ups"  # the follow-ups after exit, those due
    RECORD_FOLLOW_UP = "record_follow_up"  # and the household's one-time link
    PREPARE_EXIT = "prepare_exit"  # the exit checklist
    VIEW_OUTCOMES = "view_outcomes"  # retention and returns after exit
    VIEW_MOBILITY = "view_mobility"  # national mobility paths (platform, shelter, arrival)
    RECORD_MOBILITY_STEP = "record_mobility_step"  # a step, a meeting, the handover file
    MANAGE_TERRITORY_SHEETS = "manage_territory_sheets"  # the platform's territory sheets


OWN, LINKED, REFERRED, CONSENTED, AGGREGATE = Scope
A = Action

POLICY = {
    Role.SOCIAL_WORKER: {
        A.VIEW_HOUSEHOLDS: LINKED,
        A.CHANGE_HOUSEHOLDS: OWN,
        A.VIEW_SOCIAL_NOTE: OWN,
        A.CHANGE_SOCIAL_NOTE: OWN,
        A.VIEW_SENSITIVE_DETAILS: OWN,
        A.RECORD_CONSENT: OWN,
        A.VIEW_UNITS: OWN,
        A.CHANGE_STAYS: OWN,
        A.VIEW_ACTIVITY_REPORT: OWN,
        A.VIEW_HISTORY: OWN,
        A.RECORD_REQUEST: OWN,
        A.ASSESS: OWN,
        A.VIEW_WAITING_LISTS: OWN,
        A.VIEW_PROPOSALS: OWN,
        A.ANSWER_PROPOSAL: OWN,
        # tenancy: the account of the households its organisation houses, read only
        A.VIEW_TENANCY: OWN,
        # support
        A.VIEW_SUPPORT: OWN,
        A.VIEW_SUPPORT_NOTES: OWN,
        A.VIEW_CONTACTS: OWN,
        A.CHANGE_SUPPORT: OWN,
        A.VIEW_REVIEWS: OWN,
        A.WRITE_REVIEWS: OWN,
        A.VIEW_MEETINGS: OWN,
        A.CHANGE_MEETINGS: OWN,
        # outcomes
        A.VIEW_FOLLOW_UPS: OWN,
        A.RECORD_FOLLOW_UP: OWN,
        A.PREPARE_EXIT: OWN,
        A.VIEW_OUTCOMES: OWN,
        A.VIEW_MOBILITY: OWN,
        A.RECORD_MOBILITY_STEP: OWN,
    },
    Role.TENANCY_OFFICER: {
        # Households' identity, not their social notes.
        A.VIEW_HOUSEHOLDS: LINKED,
        A.VIEW_UNITS: OWN,
        A.CHANGE_UNITS: OWN,
        A.CHANGE_STAYS: OWN,
        A.VIEW_ACTIVITY_REPORT: OWN,
        A.DECLARE_VACANCY: OWN,
        A.VIEW_PROPOSALS: OWN,  # to let in the household of an accepted one
        # tenancy: all of it, for its organisation
        A.VIEW_TENANCY: OWN,
        A.CHANGE_TENANCY: OWN,
        A.RECONCILE_BANK: OWN,
        # support: contracts and objectives, not their free text; the contacts (joint
        # visits) it takes part in
        A.VIEW_SUPPORT: OWN,
        A.VIEW_CONTACTS: REFERRED,
        # the monthly reviews it takes part in (it records them with the social worker),
        # the coordination cell and the steering committee
        A.VIEW_REVIEWS: REFERRED,
        A.WRITE_REVIEWS: OWN,
        A.VIEW_MEETINGS: OWN,
        A.CHANGE_MEETINGS: OWN,
        # outcomes: the exit checklist (inspection, debts, insurance…)
        A.PREPARE_EXIT: OWN,
    },
    Role.SERVICE_MANAGER: {
        A.VIEW_HOUSEHOLDS: LINKED,
        A.CHANGE_HOUSEHOLDS: OWN,
        A.VIEW_SOCIAL_NOTE: OWN,
        A.CHANGE_SOCIAL_NOTE: OWN,
        A.VIEW_SENSITIVE_DETAILS: OWN,
        A.RECORD_CONSENT: OWN,
        A.REFER_TO_PSYCHOLOGIST: OWN,
        A.VIEW_UNITS: OWN,
        A.CHANGE_UNITS: OWN,
        A.CHANGE_STAYS: OWN,
        A.VIEW_ACTIVITY_REPORT: OWN,
        A.VIEW_DATA_QUALITY: OWN,
        A.EXPORT_ORGANISATION: OWN,
        A.IMPORT_ORGANISATION: OWN,
        A.EXPORT_PERSON: OWN,
        A.HAND_OVER: OWN,
        A.MERGE_HOUSEHOLDS: OWN,
        A.VIEW_ACCESS_LOG: OWN,
        A.VIEW_HISTORY: OWN,
        A.MANAGE_TOKENS: OWN,
        A.VIEW_USERS: OWN,  # who works in the service; the administrator changes them
        A.RECORD_REQUEST: OWN,
        A.ASSESS: OWN,
        A.VIEW_WAITING_LISTS: OWN,
        A.DECLARE_VACANCY: OWN,
        A.MAKE_PROPOSAL: OWN,
        A.VIEW_PROPOSALS: OWN,
        A.ANSWER_PROPOSAL: OWN,
        A.VIEW_ORIENTATION_DASHBOARD: OWN,
        A.RUN_MATCHING: OWN,
        A.MANAGE_SETTINGS: OWN,
        # tenancy
        A.VIEW_TENANCY: OWN,
        A.CHANGE_TENANCY: OWN,
        A.RECONCILE_BANK: OWN,
        # support
        A.VIEW_SUPPORT: OWN,
        A.VIEW_SUPPORT_NOTES: OWN,
        A.VIEW_CONTACTS: OWN,
        A.CHANGE_SUPPORT: OWN,
        A.MANAGE_CASELOADS: OWN,
        A.VIEW_REVIEWS: OWN,
        A.WRITE_REVIEWS: OWN,
        A.VIEW_MEETINGS: OWN,
        A.CHANGE_MEETINGS: OWN,
        # outcomes
        A.VIEW_FOLLOW_UPS: OWN,
        A.RECORD_FOLLOW_UP: OWN,
        A.PREPARE_EXIT: OWN,
        A.VIEW_OUTCOMES: OWN,
        A.VIEW_MOBILITY: OWN,
        A.RECORD_MOBILITY_STEP: OWN,
    },
    Role.PSYCHOLOGIST: {
        # Only the households referred to them; a note is read by its author and by the
        # psychologists the author shares it with (the household referred to them too).
        A.VIEW_HOUSEHOLDS: REFERRED,
        A.VIEW_CLINICAL_NOTES: REFERRED,
        A.WRITE_CLINICAL_NOTES: REFERRED,
        # support, read only, of the households referred to them: contracts and amendments,
        # referents, objectives by domain and status (not their free text nor the
        # household's words); no contact, review, partner referral or adult's path
        A.VIEW_SUPPORT: REFERRED,
    },
    Role.SIAO_EVALUATOR: {
        A.VIEW_HOUSEHOLDS: LINKED,
        A.CHANGE_HOUSEHOLDS: OWN,
        A.VIEW_SOCIAL_NOTE: OWN,
        A.CHANGE_SOCIAL_NOTE: OWN,
        A.VIEW_SENSITIVE_DETAILS: OWN,
        A.RECORD_CONSENT: OWN,
        A.VIEW_UNITS: OWN,
        A.RECORD_REQUEST: OWN,
        A.ASSESS: OWN,
        A.VIEW_WAITING_LISTS: OWN,
        A.VIEW_PROPOSALS: OWN,  # follows its households' proposals, answers none
        A.VIEW_ORIENTATION_DASHBOARD: OWN,
    },
    Role.SIAO_COORDINATOR: {
        A.VIEW_HOUSEHOLDS: LINKED,
        A.CHANGE_HOUSEHOLDS: OWN,
        A.VIEW_SOCIAL_NOTE: OWN,
        A.CHANGE_SOCIAL_NOTE: OWN,
        A.VIEW_SENSITIVE_DETAILS: OWN,
        A.RECORD_CONSENT: OWN,
        A.VIEW_UNITS: OWN,
        A.EXPORT_PERSON: OWN,
        A.HAND_OVER: OWN,
        A.MERGE_HOUSEHOLDS: OWN,
        A.VIEW_ACCESS_LOG: OWN,
        A.VIEW_HISTORY: OWN,
        A.MANAGE_TOKENS: OWN,
        A.RECORD_REQUEST: OWN,
        A.ASSESS: OWN,
        A.DECIDE_REFERRAL: OWN,
        A.VIEW_WAITING_LISTS: OWN,
        A.SET_PRIORITY_WEIGHTS: OWN,
        A.MAKE_PROPOSAL: OWN,
        A.VIEW_PROPOSALS: OWN,
        A.ANSWER_PROPOSAL: OWN,
        A.VIEW_ORIENTATION_DASHBOARD: OWN,
        A.RUN_MATCHING: OWN,
    },
    Role.LANDLORD: {
        A.VIEW_UNITS: REFERRED,
        A.VIEW_SOCIAL_NOTE: CONSENTED,
        A.DECLARE_VACANCY: REFERRED,
        A.VIEW_PROPOSALS: REFERRED,
        A.ANSWER_PROPOSAL: REFERRED,
    },
    Role.STATE: {
        A.VIEW_AGGREGATES: AGGREGATE,
    },
    Role.NATIONAL_PLATFORM: {
        A.VIEW_HOUSEHOLDS: CONSENTED,
        A.VIEW_SOCIAL_NOTE: CONSENTED,
        A.VIEW_UNITS: OWN,
        # Its own matching runs, on the households whose mobility file it may read; the pairs
        # it keeps become proposals that the SIAO, the operator and the landlord then follow.
        A.RUN_MATCHING: OWN,
        A.SET_EMPLOYMENT_SCORES: OWN,
        # outcomes: the mobility paths of consenting households, the territory sheets
        A.VIEW_MOBILITY: CONSENTED,
        A.RECORD_MOBILITY_STEP: CONSENTED,
        A.MANAGE_TERRITORY_SHEETS: OWN,
    },
    Role.ADMINISTRATOR: {
        A.MANAGE_TOKENS: OWN,
        A.VIEW_USERS: OWN,
        A.MANAGE_USERS: OWN,
        A.MANAGE_SETTINGS: OWN,
        A.MANAGE_ORGANISATION: OWN,
        # setting the organisation up: its data from (and back to) a spreadsheet
        A.EXPORT_ORGANISATION: OWN,
        A.IMPORT_ORGANISATION: OWN,
    },
}


def _active(user):
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.organisation_id
        and user.role
    )


def scope_of(user, action):
    """The scope on which `user` may do `action`, or None when refused."""
    if not _active(user):
        return None
    return POLICY.get(user.role, {}).get(Action(action))


def allows(user, action, *scopes):
    """May `user` do `action` at all (or, with `scopes`, on one of these scopes)?"""
    scope = scope_of(user, action)
    return scope is not None and (not scopes or scope in scopes)


def roles_with(action, *scopes):
    """The roles that may do `action` (on one of `scopes`, when given), in the table's order:
    whom to tell that something needs this action."""
    return [
        role
        for role, actions in POLICY.items()
        if action in actions and (not scopes or actions[action] in scopes)
    ]
