"""Keys at rest: every private key of the district's signing authority and of its officers is kept
encrypted (PKCS #8, AES-256) with a key derived from ``KARYALAY_SIGNING_KEY`` (or, where that is not
set, ``SECRET_KEY``) and the district's schema name, so a dump of one schema yields no usable key
and one district's derived key opens nothing of another's. Keys never leave the server: nothing
serves them, and signing happens here."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection


def _wrapping_key() -> bytes:
    secret = getattr(settings, "KARYALAY_SIGNING_KEY", "") or settings.SECRET_KEY
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"karyalay-signing-v1",
        info=connection.schema_name.encode(),
    ).derive(secret.encode())


def key_new() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def key_seal(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_wrapping_key()),
    )


def key_open(sealed: bytes) -> ec.EllipticCurvePrivateKey:
    return serialization.load_der_private_key(bytes(sealed), password=_wrapping_key())
