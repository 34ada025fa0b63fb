"""Matching of households to housing units (EXCHANGE.md §3): a pure engine, no Django import.

`solve(instance, method)` reads a `seuil-matching-instance/1` document and returns a
`seuil-matching-result/1` document; the Django app only adds the `seuil match` command.
"""
