"""Orientation writes, one module per workflow step, each write a named action in one
transaction: `requests` (requests and assessments), `commission` (meetings, their agenda,
decisions), `waiting_lists` (leaving a list, the SIAO's priority weights), `vacancies`,
`proposals`, and `entries` (what an entry or an exit in a unit does to orientation, hooks
of `housing.services`).

French refusals are raised as `ValidationError` and leave nothing written. Status changes
go through `core.transitions.transition` (the tables of `enums`, the transition logs); the
records of a household's file (requests, assessments, decisions, referrals, proposals) are
saved with `core.audit.audited_save`: an access-log row and a change-history record in the
same transaction. The `read_*` actions write the access-log rows of the pages that show
a household's orientation file.

Vacancies are about units, not persons: they have no access-log row nor change history, but
record who opened and closed them, and when.
"""
