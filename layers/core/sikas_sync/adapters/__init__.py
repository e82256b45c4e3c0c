"""AWS adapters: the only modules that call boto3. Each implements a port of sikas_sync.ingest.ports."""
