"""Loaded before every other pytest plugin (`-p` in pyproject.toml's addopts): the modules a
test run compiles are cached in __pycache__ (ignored by git) even where the environment
sets PYTHONDONTWRITEBYTECODE.

Each process of a run (the xdist controller and each worker) imports about 2,000 modules,
and pytest rewrites the assertions of some 550 of them (the tests and the packages of the
plugins, Schemathesis and Hypothesis included). Without the cache every process compiles and
rewrites them all again, about 5 s of CPU each."""

import sys

sys.dont_write_bytecode = False
