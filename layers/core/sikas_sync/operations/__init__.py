"""Admin operations on a running stack (deployed or embedded): pending records, redrive, sweep."""
