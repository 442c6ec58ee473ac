"""The district's certification authority and its officers' signing certificates.

The authority is made once per district (``authority_ensure``: at provisioning, and on first use
for a district provisioned before signing existed). An officer's certificate names the person,
their post and office and the district, and is issued for the pair (person, post) the first time
they sign as that post; it is revoked when the posting ends (``certificates_revoke_for``, called
by ``posting_end``) or when signing finds they no longer hold the post. A revoked certificate
never signs again; what it signed before stays valid (the verification page says so).

In production a DSC token or eSign replaces this module: the officer's certificate then comes
from a licensed CA (CCA India's chain) and the signature is made on the token (PKCS #11, pyHanko's
``PKCS11Signer``) or by the eSign service (a hash sent, a CMS signature back); signing.py keeps
the same shape: prepare the PDF, get a signature over its digest, embed it.
"""

from __future__ import annotations

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from django.db import connection, transaction
from django.utils import timezone

from core.letters.keys import key_new, key_open, key_seal
from core.models import Post, SigningAuthority, SigningCertificate
from tenants.models import District

AUTHORITY_YEARS = 20
OFFICER_YEARS = 2


def _name(**parts) -> x509.Name:
    oids = {
        "cn": NameOID.COMMON_NAME,
        "title": NameOID.TITLE,
        "ou": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "o": NameOID.ORGANIZATION_NAME,
        "st": NameOID.STATE_OR_PROVINCE_NAME,
        "c": NameOID.COUNTRY_NAME,
    }
    return x509.Name([x509.NameAttribute(oids[k], v[:64]) for k, v in parts.items() if v])


@transaction.atomic
def authority_ensure() -> SigningAuthority:
    """The current district's certification authority, made if it has none (one row, locked)."""
    existing = SigningAuthority.objects.select_for_update().order_by("pk").first()
    if existing is not None:
        return existing
    connection.cursor().execute("LOCK TABLE core_signingauthority IN EXCLUSIVE MODE")
    existing = SigningAuthority.objects.order_by("pk").first()
    if existing is not None:
        return existing
    district = District.objects.get(schema_name=connection.schema_name)
    key = key_new()
    subject = _name(
        cn=f"Karyalay signing authority, {district.name}",
        o=f"{district.name} district police",
        st="Bihar",
        c="IN",
    )
    now = timezone.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * AUTHORITY_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SigningAuthority.objects.create(
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(), key_encrypted=key_seal(key)
    )


def authority_certificate() -> x509.Certificate:
    return x509.load_pem_x509_certificate(authority_ensure().certificate_pem.encode())


def certificate_for(*, person, post: Post) -> SigningCertificate:
    """The live certificate of ``person`` as ``post``, issued now if they have none (the caller has
    checked that they hold the post)."""
    live = SigningCertificate.objects.filter(person=person, post=post, revoked_at__isnull=True).first()
    if live is not None:
        return live
    authority = authority_ensure()
    ca_cert = x509.load_pem_x509_certificate(authority.certificate_pem.encode())
    ca_key = key_open(authority.key_encrypted)
    district = District.objects.get(schema_name=connection.schema_name)
    key = key_new()
    now = timezone.now()
    serial = x509.random_serial_number()
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            _name(
                cn=person.full_name or person.login_id,
                title=post.title,
                ou=post.office.name,
                o=f"{district.name} district police",
                st="Bihar",
                c="IN",
            )
        )
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * OFFICER_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return SigningCertificate.objects.create(
        person=person,
        post=post,
        serial=format(serial, "x"),
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        key_encrypted=key_seal(key),
    )


def certificates_revoke_for(*, person_id: int, post_id: int, reason: str) -> int:
    """Revoke, now, the live certificates of a person as a post (their posting there ended)."""
    return SigningCertificate.objects.filter(
        person_id=person_id, post_id=post_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_reason=reason[:200])


def certificates_revoke_pairs(*, pairs: set[tuple[int, int]], reason: str) -> int:
    """Revoke, now, the live certificates of each (person id, post id): the bulk ending of
    postings (imports, transfers in bulk) stops their signing as ``certificates_revoke_for`` does."""
    if not pairs:
        return 0
    person_ids = {person_id for person_id, _post_id in pairs}
    live = SigningCertificate.objects.filter(person_id__in=person_ids, revoked_at__isnull=True)
    ids = [
        pk
        for pk, person_id, post_id in live.values_list("pk", "person_id", "post_id")
        if (person_id, post_id) in pairs
    ]
    return SigningCertificate.objects.filter(pk__in=ids).update(
        revoked_at=timezone.now(), revoked_reason=reason[:200]
    )
