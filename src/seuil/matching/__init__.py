"""Matching of households to housing units (EXCHANGE.md §3).

The engine (`engine`, `instance`, `eligibility`, `scoring`, `flow`, `constraints`,
`fairness`) is plain Python with no Django import: `solve(instance, method)` reads a
`seuil-matching-instance/1` document and returns a `seuil-matching-result/1` document.
The Django side builds instances from the waiting lists and vacancies (`adapters`), runs them
(`services`, `tasks`), shows the plans (`plan`, `views`) and offers the `seuil match`
command.
"""
