"""Throw-away TLS material for the emulator: a self-signed certificate for ``localhost``.

google-genai always connects with ``wss://`` when it has an API key, so a local stand-in for the
Gemini Live service must speak TLS. :func:`make_localhost_certificate` writes a fresh key pair and a
self-signed certificate valid for ``localhost`` and ``127.0.0.1`` into a directory; the certificate
file doubles as the CA bundle a client trusts (``SSL_CERT_FILE``).
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["CertificatePair", "client_ssl_context", "make_localhost_certificate"]


@dataclass(frozen=True, slots=True)
class CertificatePair:
    """Paths of a PEM certificate and its private key.

    Attributes:
        cert_path: The self-signed certificate; also usable as a CA bundle.
        key_path: The unencrypted private key.
    """

    cert_path: Path
    key_path: Path

    def server_context(self) -> ssl.SSLContext:
        """Return a server-side SSL context presenting this certificate."""
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert_path, self.key_path)
        return ctx


def make_localhost_certificate(directory: Path, *, days: int = 2) -> CertificatePair:
    """Create a self-signed certificate for ``localhost`` and ``127.0.0.1``.

    An elliptic-curve (P-256) key keeps generation in the millisecond range.

    Args:
        directory: Existing directory that receives ``cert.pem`` and ``key.pem``.
        days: Validity of the certificate, starting one hour in the past.

    Returns:
        The paths of the written files.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    alt_names = x509.SubjectAlternativeName(
        [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(alt_names, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / "cert.pem"
    key_path = directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return CertificatePair(cert_path=cert_path, key_path=key_path)


def client_ssl_context(cert_path: Path) -> ssl.SSLContext:
    """Return a client SSL context that trusts only the given certificate.

    Args:
        cert_path: A PEM certificate (or bundle) to trust.
    """
    return ssl.create_default_context(cafile=str(cert_path))
