"""Shared by every test folder: `tests/` is importable, so tests can `from fakes import ...`.

pytest's default (prepend) import mode puts the folder of this conftest on sys.path; nothing else
is needed here. Fixtures live beside the tests that use them.
"""
