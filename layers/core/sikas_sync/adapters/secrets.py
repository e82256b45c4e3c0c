"""The record-id HMAC key, read from Secrets Manager through Powertools Parameters (cached)."""

from __future__ import annotations

import base64
import binascii

from aws_lambda_powertools.utilities import parameters

CACHE_SECONDS = 300  # a rotated key reaches warm functions within five minutes


class SecretInvalid(RuntimeError):
    pass


def hmac_key(provider: parameters.SecretsProvider, secret_name: str) -> bytes:
    text = str(provider.get(secret_name, max_age=CACHE_SECONDS))
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SecretInvalid(f"secret {secret_name} is not base64") from None
    if len(key) < 32:
        raise SecretInvalid(f"secret {secret_name} holds a key shorter than 32 bytes")
    return key
