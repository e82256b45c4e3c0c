"""The return path to SIKAS: delivery status, ministry-only records and per-upload results under `outbox/`."""
