"""The OPC UA client's own certificate, and the server certificates it trusts.

Nothing is trusted on first use. A server's certificate is accepted only if
the trust list holds it (or the CA that signed it), it is within its validity
period and it names the server's application URI; otherwise the connection is
refused, the certificate is saved under ``rejected/`` and the message says
which file to copy where. The client's own certificate is made on first run
when the plant file names none: self-signed, RSA 2048, SHA-256, with the
client's application URI in its subjectAltName as OPC UA requires.

The PKI folder is ``$XDG_DATA_HOME/floorline/pki`` (``~/.local/share/floorline/pki``)::

    own/certs/floorline-client.der    the client's certificate (give it to the server)
    own/private/floorline-client.pem  its private key: owner-only (0600, folder 0700)
    trusted/                          trusted server certificates or CAs, DER or PEM,
                                      and the CAs' revocation lists (.crl, DER or PEM)
    rejected/                         certificates of refused servers, by thumbprint

A certificate trusted through a CA is checked against that CA's revocation
list when the trust folder holds one: revoked, or the list out of date, is
refused. Without a list the connection goes ahead with a warning, unless the
source says ``require_revocation_list = true`` (OPC UA's "revocation status
unknown", which a client may accept).

Everything here blocks (files, RSA key generation): the link runs it in a thread.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import re
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from asyncua.crypto import cert_gen
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import verification
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

log = logging.getLogger(__name__)

CLIENT_NAME = "floorline-client"
_MAKING = threading.Lock()  # two sources connecting at once make one certificate, not two
VALID_DAYS = 5 * 365
_CERT_SUFFIXES = (".der", ".pem", ".crt", ".cer")
_CRL_SUFFIX = ".crl"


class CertificateRefusedError(Exception):
    """A certificate that cannot be used; the message tells the integrator what to do."""


@dataclass(frozen=True, slots=True)
class ClientIdentity:
    """The files the client presents and the application URI its certificate names."""

    certificate: Path
    private_key: Path
    application_uri: str
    thumbprint: str


def pki_root() -> Path:
    """``$XDG_DATA_HOME/floorline/pki``, beside the record cache."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "floorline" / "pki"


def default_trust_dir() -> Path:
    return pki_root() / "trusted"


def rejected_dir() -> Path:
    return pki_root() / "rejected"


def default_application_uri() -> str:
    return f"urn:{socket.gethostname()}:floorline:hmi"


def thumbprint(cert: x509.Certificate) -> str:
    """The SHA-1 thumbprint OPC UA tools show, in upper-case hex."""
    return hashlib.sha1(cert.public_bytes(Encoding.DER), usedforsecurity=False).hexdigest().upper()


def subject_of(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string() or "(empty subject)"


def application_uris(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return list(san.value.get_values_for_type(x509.UniformResourceIdentifier))


def host_names(cert: x509.Certificate) -> set[str]:
    """The DNS names and IP addresses a certificate is for (lower case, as text)."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return set()
    dns = {name.lower() for name in san.value.get_values_for_type(x509.DNSName)}
    ips = {str(ip) for ip in san.value.get_values_for_type(x509.IPAddress)}
    return dns | ips


def load_certificate(path: Path) -> x509.Certificate:
    data = path.read_bytes()
    if data.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def first_certificate(chain: bytes) -> bytes:
    """The leaf of a DER chain as OPC UA sends it (certificates one after the other)."""
    if len(chain) < 2 or chain[0] != 0x30:
        return chain
    size = chain[1]
    if size < 0x80:
        return chain[: 2 + size]
    count = size & 0x7F
    length = int.from_bytes(chain[2 : 2 + count], "big")
    return chain[: 2 + count + length]


# -- the client's own certificate -------------------------------------------------


def client_identity(certificate: str | None, private_key: str | None) -> ClientIdentity:
    """The plant file's certificate pair, or the one made on first run (made now if absent).

    Raises ``CertificateRefusedError`` for a configured certificate that
    cannot serve: unreadable, expired, or without an application URI.
    """
    if certificate is not None and private_key is not None:
        return _configured_identity(Path(certificate), Path(private_key))
    own = pki_root() / "own"
    cert_path = own / "certs" / f"{CLIENT_NAME}.der"
    key_path = own / "private" / f"{CLIENT_NAME}.pem"
    with _MAKING:
        existing = _usable_generated(cert_path, key_path)
        if existing is not None:
            return existing
        return _generate(cert_path, key_path)


def _configured_identity(cert_path: Path, key_path: Path) -> ClientIdentity:
    try:
        cert = load_certificate(cert_path)
    except (OSError, ValueError) as exc:
        raise CertificateRefusedError(
            f"the client certificate {cert_path} cannot be read: {exc}"
        ) from exc
    if not key_path.is_file():
        raise CertificateRefusedError(f"the client's private key {key_path} is not a file")
    uris = application_uris(cert)
    if not uris:
        raise CertificateRefusedError(
            f"the client certificate {cert_path} names no application URI (a URI in its "
            "subjectAltName), which OPC UA requires; leave certificate and private_key out "
            "of the plant file to have one made"
        )
    if cert.not_valid_after_utc < datetime.now(UTC):
        raise CertificateRefusedError(
            f"the client certificate {cert_path} expired on {cert.not_valid_after_utc:%Y-%m-%d}"
        )
    return ClientIdentity(cert_path, key_path, uris[0], thumbprint(cert))


def _usable_generated(cert_path: Path, key_path: Path) -> ClientIdentity | None:
    """The pair made on an earlier run, if both files are there and still valid."""
    if not (cert_path.is_file() and key_path.is_file()):
        return None
    try:
        cert = load_certificate(cert_path)
    except (OSError, ValueError) as exc:
        log.warning("OPC UA client certificate %s unreadable (%s): made anew", cert_path, exc)
        return None
    uris = application_uris(cert)
    if not uris or cert.not_valid_after_utc < datetime.now(UTC):
        log.warning(
            "the OPC UA client certificate %s has expired or names no application URI: made "
            "anew; the servers must trust the new one",
            cert_path,
        )
        return None
    return ClientIdentity(cert_path, key_path, uris[0], thumbprint(cert))


def _generate(cert_path: Path, key_path: Path) -> ClientIdentity:
    uri = default_application_uri()
    host = socket.gethostname()
    key = cert_gen.generate_private_key()  # RSA 2048
    cert = cert_gen.generate_self_signed_app_certificate(
        key,
        f"Floorline HMI@{host}",
        {},
        [x509.UniformResourceIdentifier(uri), x509.DNSName(host)],
        [ExtendedKeyUsageOID.CLIENT_AUTH],
        days=VALID_DAYS,
    )
    _write_private(key_path, cert_gen.dump_private_key_as_pem(key))
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = cert_path.with_suffix(".tmp")
    temporary.write_bytes(cert.public_bytes(Encoding.DER))
    temporary.replace(cert_path)
    identity = ClientIdentity(cert_path, key_path, uri, thumbprint(cert))
    log.info(
        "made the OPC UA client certificate %s (application URI %s, thumbprint %s); "
        "each server must trust it",
        cert_path,
        uri,
        identity.thumbprint,
    )
    return identity


def _write_private(path: Path, data: bytes) -> None:
    """Write a key readable by its owner only, replacing any older one in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    temporary = path.with_suffix(".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    temporary.replace(path)


# -- the servers' certificates --------------------------------------------------------


def trusted_certificates(locations: Iterable[Path]) -> list[x509.Certificate]:
    """Every certificate in the given folders and files; an unreadable one is logged, skipped."""
    found: list[x509.Certificate] = []
    for location in locations:
        files = sorted(location.iterdir()) if location.is_dir() else [location]
        for file in files:
            if file.suffix.lower() not in _CERT_SUFFIXES or not file.is_file():
                continue
            try:
                found.append(load_certificate(file))
            except (OSError, ValueError) as exc:
                log.warning("trust list: %s is no certificate (%s): ignored", file, exc)
    return found


def revocation_lists(locations: Iterable[Path]) -> list[x509.CertificateRevocationList]:
    """Every revocation list (``.crl``, DER or PEM) in the given folders; a bad one is logged."""
    found: list[x509.CertificateRevocationList] = []
    for location in locations:
        if not location.is_dir():
            continue
        for file in sorted(location.iterdir()):
            if file.suffix.lower() != _CRL_SUFFIX or not file.is_file():
                continue
            try:
                data = file.read_bytes()
                found.append(
                    x509.load_pem_x509_crl(data)
                    if data.lstrip().startswith(b"-----BEGIN")
                    else x509.load_der_x509_crl(data)
                )
            except (OSError, ValueError) as exc:
                log.warning("trust list: %s is no revocation list (%s): ignored", file, exc)
    return found


def _revocation_problem(
    chain: list[x509.Certificate],
    lists: list[x509.CertificateRevocationList],
    now: datetime,
    required: bool,
) -> str:
    """Why a certificate of ``chain`` (leaf first) may not be used, by its issuers' lists."""
    for cert, issuer in itertools.pairwise(chain):
        ca = subject_of(issuer)
        key = issuer.public_key()
        own = [
            crl
            for crl in lists
            if crl.issuer == issuer.subject
            and isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)  # OPC UA's kinds
            and crl.is_signature_valid(key)
        ]
        if not own:
            if required:
                return (
                    f"cannot be checked for revocation: the trust folder holds no revocation "
                    f"list signed by the CA {ca}; put the CA's current .crl file there"
                )
            # Once a connection: each attempt reads the trust folder afresh.
            log.warning("trust list: no revocation list of the CA %s: not checked", ca)
            continue
        newest = max(own, key=lambda crl: crl.last_update_utc)
        if newest.last_update_utc > now:
            return (
                f"cannot be checked for revocation: the revocation list of the CA {ca} is "
                f"dated {newest.last_update_utc:%Y-%m-%d %H:%M} UTC, in the future: check both "
                "clocks"
            )
        due = newest.next_update_utc
        if due is not None and due < now:
            return (
                f"cannot be checked for revocation: the revocation list of the CA {ca} was "
                f"due for renewal on {due:%Y-%m-%d %H:%M} UTC; put the CA's current .crl file "
                "in the trust folder"
            )
        revoked = newest.get_revoked_certificate_by_serial_number(cert.serial_number)
        if revoked is not None:
            return f"was revoked by the CA {ca} on {revoked.revocation_date_utc:%Y-%m-%d %H:%M} UTC"
    return ""


def _trusted_chain(
    cert: x509.Certificate, trusted: list[x509.Certificate]
) -> list[x509.Certificate] | None:
    """How the list trusts ``cert``: ``[cert]`` when pinned (the very certificate is in it),
    the chain up to a CA in it when issued by one, else None."""
    der = cert.public_bytes(Encoding.DER)
    pinned = any(t.public_bytes(Encoding.DER) == der for t in trusted)
    authorities = [t for t in trusted if _is_ca(t)]
    if not authorities or cert.issuer == cert.subject:
        return [cert] if pinned else None
    # As asyncua's TrustStore: a CA must say it is one; OPC UA leaves the rest to the plant's PKI.
    ca_policy = verification.ExtensionPolicy.permit_all().require_present(
        x509.BasicConstraints, verification.Criticality.AGNOSTIC, _require_ca
    )
    policy = verification.PolicyBuilder().extension_policies(
        ca_policy=ca_policy, ee_policy=verification.ExtensionPolicy.permit_all()
    )
    verifier = policy.store(verification.Store(authorities)).build_client_verifier()
    try:
        # Pinned or not, a certificate its trusted CA issued answers to that CA's list.
        return list(verifier.verify(cert, []).chain)
    except verification.VerificationError:
        return [cert] if pinned else None


def _require_ca(
    _policy: verification.Policy, _cert: x509.Certificate, ext: x509.BasicConstraints | None
) -> None:
    if ext is None or not ext.ca:
        raise ValueError("an issuer must be a CA (basicConstraints ca=true)")


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def check_server_certificate(
    der: bytes,
    *,
    url: str,
    server_uri: str | None,
    trust_dir: Path,
    pinned: Path | None,
    require_revocation_list: bool = False,
) -> x509.Certificate:
    """The server's certificate if it may be used; else ``CertificateRefusedError``.

    An untrusted certificate is saved in the ``rejected`` folder, and the
    message names that file, the folder to copy it to, its subject and thumbprint.
    """
    try:
        cert = x509.load_der_x509_certificate(first_certificate(der))
    except ValueError as exc:
        raise CertificateRefusedError(f"the server at {url} sent no readable certificate") from exc
    who = f"subject {subject_of(cert)}, SHA-1 thumbprint {thumbprint(cert)}"
    now = datetime.now(UTC)
    if cert.not_valid_after_utc < now:
        raise CertificateRefusedError(
            f"the server certificate of {url} expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} "
            f"UTC ({who}): the server needs a renewed certificate, which must then be trusted"
        )
    if cert.not_valid_before_utc > now:
        raise CertificateRefusedError(
            f"the server certificate of {url} is not valid before "
            f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC ({who}): check both clocks"
        )
    trust_dir.mkdir(parents=True, exist_ok=True)
    locations = [trust_dir] if pinned is None else [pinned, trust_dir]
    chain = _trusted_chain(cert, trusted_certificates(locations))
    if chain is None:
        saved = _save_rejected(cert)
        raise CertificateRefusedError(
            f"the server certificate of {url} is not trusted ({who}). If this is your "
            f"server, copy {saved} into {trust_dir}; the next attempt then connects"
        )
    problem = _revocation_problem(
        chain, revocation_lists([trust_dir]), now, require_revocation_list
    )
    if problem:
        raise CertificateRefusedError(f"the server certificate of {url} {problem} ({who})")
    host = urlsplit(url).hostname or ""
    names = host_names(cert)
    if host.lower() not in names:
        shown = ", ".join(sorted(names)) or "none"
        raise CertificateRefusedError(
            f"the server certificate of {url} is not for host {host}: it names {shown} "
            f"({who}). Connect by a name the certificate holds, or have the server's "
            "certificate made for this host"
        )
    uris = application_uris(cert)
    if server_uri and server_uri not in uris:
        named = ", ".join(uris) or "none"
        raise CertificateRefusedError(
            f"the server certificate of {url} names application URI {named}, but the server "
            f"says it is {server_uri} ({who})"
        )
    return cert


def _save_rejected(cert: x509.Certificate) -> Path:
    folder = rejected_dir()
    folder.mkdir(parents=True, exist_ok=True)
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    common = str(names[0].value) if names else "server"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", common).strip("_")[:60] or "server"
    path = folder / f"{safe}-{thumbprint(cert)}.der"
    path.write_bytes(cert.public_bytes(Encoding.DER))
    return path
