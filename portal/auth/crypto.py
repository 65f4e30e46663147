"""Keys derived from SECRET_KEY, for the secrets of two-factor sign-in.

A TOTP secret must be readable by the portal (it computes the expected
code), so it cannot be hashed like a password: it is encrypted with
AES-256-GCM under a key derived from SECRET_KEY with HKDF-SHA256, and the
account's id is the associated data, so a ciphertext copied onto another
account does not decrypt. Recovery codes are only compared, so they are
stored as HMAC-SHA256 under another derived key: a copy of the database
alone lets nobody test guesses offline.

Changing SECRET_KEY makes every stored TOTP secret and recovery code
unusable: the administrator then resets each person's two-factor sign-in
(they enrol again at their next login).
"""
import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
TOTP_INFO = b"portal-cus/totp-secret/v1"
RECOVERY_INFO = b"portal-cus/recovery-code/v1"


class DecryptionError(ValueError):
    """The stored secret cannot be read (SECRET_KEY changed, or the value was tampered with)."""


def derive_key(secret_key, info):
    material = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)


def _associated(user_id):
    return f"user_account:{user_id}".encode("ascii")


def encrypt_secret(secret_key, user_id, plaintext):
    nonce = os.urandom(12)
    sealed = AESGCM(derive_key(secret_key, TOTP_INFO)).encrypt(nonce, plaintext.encode("ascii"), _associated(user_id))
    return f"{VERSION}:" + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt_secret(secret_key, user_id, stored):
    version, _, body = (stored or "").partition(":")
    if version != VERSION:
        raise DecryptionError("unknown format")
    try:
        raw = base64.urlsafe_b64decode(body.encode("ascii"))
        plain = AESGCM(derive_key(secret_key, TOTP_INFO)).decrypt(raw[:12], raw[12:], _associated(user_id))
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError(type(exc).__name__) from None
    return plain.decode("ascii")


def code_hash(secret_key, code):
    return hmac.new(derive_key(secret_key, RECOVERY_INFO), code.encode("ascii"), hashlib.sha256).hexdigest()
