"""`make bench`: the performance figures of issue 8, each next to its reference, from one run.

Not part of `make test`: timings are facts about a machine, not assertions. Run with
`.venv/bin/python -m bench` (see `--help`); results go to bench-results/latest.json and a table
on stdout. Generated inputs are cached under bench-results/data/.
"""
