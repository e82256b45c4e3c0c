"""The daily reconcile: the ministry's records of the region against the records table."""
