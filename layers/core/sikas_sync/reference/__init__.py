"""Public reference data the rules need (Kemendagri region codes)."""
