"""Delivery to the ministry: the push use case, its backoff and its record bookkeeping."""
