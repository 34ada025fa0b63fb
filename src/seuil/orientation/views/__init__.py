"""Orientation pages, one module per workflow step: `hub` (the orientation home),
`requests` (requests and assessments), `commission` (meetings, agenda, decisions, minutes),
`waiting_lists` (lists and the SIAO's priority weights), `vacancies` (their days and cost,
proposing a unit) and `proposals` (answers, withdrawal, the entry of an accepted one). The
landlord's space is the same pages, narrowed by `visible_to` to its own units.

Every page declares the policy action it needs (`@policy` of `seuil.core.views_policy`: 403
when the role may never do it), then finds its object with `visible_to(user, action)` for
that very action (`seuil.core.pages.object_or_404`, 404 outside the user's scope; `lookup`).
Form pages are `seuil.core.pages.form_page`, under the "Orientation" breadcrumb
(`pages.crumbs`). Writes go through `services`, whose French refusals are shown on the form,
nothing written; reading a household's orientation file writes access-log rows through the
services' `read_*` actions.
"""
