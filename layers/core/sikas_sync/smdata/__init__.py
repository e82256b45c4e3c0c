"""The monthly SMData reports: aggregates per template and period, sent to the ministry."""
