"""Encryption of protection data at rest (screening answers, confidential notes): Fernet with
key rotation. The first key of settings.FIELD_ENCRYPTION_KEYS encrypts; every key decrypts."""

import json

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _cipher() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt_json(value) -> bytes:
    return _cipher().encrypt(json.dumps(value, ensure_ascii=False).encode())


def decrypt_json(token: bytes):
    return json.loads(_cipher().decrypt(bytes(token)).decode())
