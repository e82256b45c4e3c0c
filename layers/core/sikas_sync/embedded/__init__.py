"""The embedded local stack: moto in server mode plus a Lambda-like dispatcher, built from the same
resource plan as the CDK app, so the real handlers run end to end on one machine."""

from .stack import EmbeddedStack

__all__ = ["EmbeddedStack"]
