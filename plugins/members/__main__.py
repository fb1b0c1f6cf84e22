"""`PYTHONPATH=plugins python -m members`: print the table of member fields
for docs/writing-guide.md (tests/test_members_units.py checks it is there)."""

from .schema import field_table

print(field_table(), end="")
