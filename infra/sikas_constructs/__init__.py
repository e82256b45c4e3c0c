"""The constructs of the sikas-sync stack, one module per concern.

security  the customer-managed key and the secrets      storage   inbox bucket and the tables
queues    a queue + DLQ from a QueuePlan; S3 → queue     layers    the core and deps Lambda layers
function  a function + role + log group from a plan      ingest    the per-domain ingest slices
delivery  push queue and push function                   nag       cdk-nag packs, acknowledgements
naming    pinned logical ids, the plan-name tag
"""
