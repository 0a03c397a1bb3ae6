"""Links that trust nothing on first use: MQTT over TLS, OPC UA with a trust list, secrets.

What ``test_acquisition`` covers already (a plain MQTT source against a TLS
broker: the plant CA connects, a foreign CA, a missing and a wrong server name
are refused) is not repeated here. This adds client certificates, Sparkplug
and the records upstream over TLS, the developer's skip-verify flag, OPC UA
security against a real asyncua server, and secrets kept out of the log.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from hmi.adapters.opcua_pki import (
    CertificateRefusedError,
    application_uris,
    check_server_certificate,
    default_application_uri,
    load_certificate,
    pki_root,
    thumbprint,
)
from hmi.adapters.upstream_mqtt import MqttRecordUpstream
from hmi.config import ConfigError, load_plant_text
from hmi.domain.health import LinkState
from hmi.domain.plant import (
    DEV_INSECURE_ENV,
    Codec,
    CodecKind,
    Credentials,
    MqttBinding,
    MqttSource,
    MqttUpstream,
    OpcUaBinding,
    OpcUaSecurityMode,
    OpcUaSecurityPolicy,
    OpcUaSource,
    PlantDef,
    SparkplugSource,
    StationDef,
    TagDef,
    TlsSettings,
)
from hmi.domain.quality import Quality
from hmi.services.runtime import Runtime
from tests.conftest import BROKER_DNS
from tests.support.certs import Pki, make_client_cert, make_opcua_server_cert
from tests.support.mosquitto import MosquittoBroker
from tests.support.opcua_secure_server import VALUE, SecureOpcUaServer
from tests.support.wait import free_port, wait_until

SECRET = "Zq8-very-secret-7Hx"  # a password that must never reach the log


def state(runtime: Runtime) -> LinkState:
    return runtime.acquisition.health()[0].state


def last_error(runtime: Runtime) -> str:
    return runtime.acquisition.health()[0].last_error


def mqtt_plant(source: MqttSource) -> PlantDef:
    tag = TagDef("speed", "Speed", source.id, MqttBinding("line/speed", Codec(CodecKind.NUMBER)))
    return PlantDef("test", (source,), (tag,), ())


def tls_source(port: int, tls: TlsSettings, credentials: Credentials | None = None) -> MqttSource:
    return MqttSource(
        id="broker",
        host="127.0.0.1",
        port=port,
        tls=tls,
        credentials=credentials,
        reconnect_min_s=1,
        reconnect_max_s=2,
    )


@pytest.fixture
def running() -> Iterator[list[Runtime]]:
    """Runtimes a test starts, stopped at its end whatever happens."""
    started: list[Runtime] = []
    yield started
    for runtime in started:
        runtime.stop()


def start(running: list[Runtime], plant: PlantDef) -> Runtime:
    runtime = Runtime(plant)
    running.append(runtime)
    runtime.start()
    return runtime


# -- MQTT: client certificates, Sparkplug, the records upstream ------------------------


@pytest.fixture(scope="module")
def client_pair(pki: Pki) -> tuple[Path, Path]:
    return make_client_cert(pki)


@pytest.fixture
def mtls_broker(tmp_path: Path, pki: Pki) -> Iterator[MosquittoBroker]:
    """TLS that asks every client for a certificate signed by the plant CA."""
    broker = MosquittoBroker(
        tmp_path, tls=(pki.ca, pki.server_cert, pki.server_key), require_certificate=True
    )
    broker.start()
    yield broker
    broker.kill()


def test_a_broker_that_asks_for_a_client_certificate_gets_the_plant_pair(
    mtls_broker: MosquittoBroker, pki: Pki, client_pair: tuple[Path, Path], running: list[Runtime]
) -> None:
    cert, key = client_pair
    tls = TlsSettings(str(pki.ca), str(cert), str(key), server_name=BROKER_DNS)
    runtime = start(running, mqtt_plant(tls_source(mtls_broker.port, tls)))
    wait_until(lambda: state(runtime) is LinkState.CONNECTED, 10, "connected with a client pair")


def test_without_a_client_certificate_that_broker_refuses(
    mtls_broker: MosquittoBroker, pki: Pki, running: list[Runtime]
) -> None:
    tls = TlsSettings(str(pki.ca), server_name=BROKER_DNS)
    runtime = start(running, mqtt_plant(tls_source(mtls_broker.port, tls)))
    wait_until(lambda: "asks for a client certificate" in last_error(runtime), 10, "refusal")
    assert state(runtime) is LinkState.RECONNECTING
    assert runtime.store.get("speed").quality is Quality.NO_CONNECTION


def sparkplug_plant(port: int, tls: TlsSettings) -> PlantDef:
    broker = replace(tls_source(port, tls), id="spb", subscriptions=("spBv1.0/#",))
    source = SparkplugSource("spb", broker, "cell")
    return PlantDef("test", (source,), (), (StationDef("cell", "Cell", ()),))


@pytest.mark.parametrize(("which_ca", "connects"), [("plant", True), ("other", False)])
def test_sparkplug_uses_the_same_tls(
    tls_broker: MosquittoBroker, pki: Pki, running: list[Runtime], which_ca: str, connects: bool
) -> None:
    ca = pki.ca if which_ca == "plant" else pki.other_ca
    runtime = start(
        running, sparkplug_plant(tls_broker.port, TlsSettings(str(ca), None, None, BROKER_DNS))
    )
    if connects:
        wait_until(lambda: state(runtime) is LinkState.CONNECTED, 10, "sparkplug over TLS")
    else:
        wait_until(lambda: "certificate was refused" in last_error(runtime), 10, "refusal")
        assert state(runtime) is LinkState.RECONNECTING


def run_upstream(settings: MqttUpstream, until: LinkState | str) -> list[tuple[LinkState, str]]:
    """Start the records upstream, wait (bounded) for a state or an error text, stop it."""
    seen: list[tuple[LinkState, str]] = []

    def reached() -> bool:
        return any(s is until or (isinstance(until, str) and until in e) for s, e in seen)

    async def main() -> None:
        upstream = MqttRecordUpstream(settings, 1, 2)
        await upstream.start(lambda s, e: seen.append((s, e)))
        try:
            async with asyncio.timeout(10):
                while not reached():
                    await asyncio.sleep(0.01)
        finally:
            await upstream.stop()

    asyncio.run(main())
    return seen


def test_the_records_upstream_verifies_the_broker_too(
    tls_broker: MosquittoBroker, pki: Pki
) -> None:
    good = MqttUpstream(
        "127.0.0.1", tls_broker.port, tls=TlsSettings(str(pki.ca), server_name=BROKER_DNS)
    )
    assert run_upstream(good, LinkState.CONNECTED)[-1][0] is LinkState.CONNECTED
    foreign = replace(good, tls=TlsSettings(str(pki.other_ca), server_name=BROKER_DNS))
    seen = run_upstream(foreign, "certificate was refused")
    assert LinkState.CONNECTED not in [s for s, _ in seen]
    wrong_name = replace(good, tls=TlsSettings(str(pki.ca), server_name="someone-else.test"))
    seen = run_upstream(wrong_name, "certificate was refused")
    assert LinkState.CONNECTED not in [s for s, _ in seen]


# -- the developer's skip-verify flag -----------------------------------------------

SKIP_PLANT = """\
[plant]
name = "Dev bench"

[[sources]]
id = "broker"
type = "mqtt"
host = "127.0.0.1"
tls = { insecure_skip_verify = true }
"""


def test_the_loader_refuses_skip_verify_without_the_developer_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(DEV_INSECURE_ENV, raising=False)
    with pytest.raises(ConfigError) as caught:
        load_plant_text(SKIP_PLANT)
    [problem] = caught.value.problems
    assert problem.key_path == "sources[0].tls.insecure_skip_verify"
    assert f"honoured only while the environment variable {DEV_INSECURE_ENV}=1" in problem.message
    monkeypatch.setenv(DEV_INSECURE_ENV, "yes")  # only "1" counts
    with pytest.raises(ConfigError):
        load_plant_text(SKIP_PLANT)


def test_the_loader_accepts_skip_verify_with_the_developer_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DEV_INSECURE_ENV, "1")
    [source] = load_plant_text(SKIP_PLANT).sources
    assert isinstance(source, MqttSource) and source.tls is not None
    assert source.tls.insecure_skip_verify and source.tls.ca_file is None
    assert source.port == 8883


def test_skip_verify_connects_to_any_broker_and_warns_at_every_connect(
    tls_broker: MosquittoBroker,
    pki: Pki,
    running: list[Runtime],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(DEV_INSECURE_ENV, "1")
    caplog.set_level(logging.WARNING)
    # A CA that signed nothing of the broker's, and a name the certificate does not carry.
    tls = TlsSettings(str(pki.other_ca), server_name="anyone.test", insecure_skip_verify=True)
    runtime = start(running, mqtt_plant(tls_source(tls_broker.port, tls)))
    wait_until(lambda: state(runtime) is LinkState.CONNECTED, 10, "connected unverified")

    def warnings() -> int:
        return sum("verification is OFF" in r.getMessage() for r in caplog.records)

    assert warnings() == 1
    tls_broker.kill()
    wait_until(lambda: state(runtime) is LinkState.RECONNECTING, 10, "broker gone")
    tls_broker.start()
    wait_until(lambda: state(runtime) is LinkState.CONNECTED, 15, "reconnected")
    assert warnings() >= 2, "every connection warns, not only the first"
    assert all(
        r.levelno == logging.WARNING
        for r in caplog.records
        if "verification is OFF" in r.getMessage()
    )


def test_skip_verify_without_the_developer_variable_never_connects(
    tls_broker: MosquittoBroker,
    pki: Pki,
    running: list[Runtime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(DEV_INSECURE_ENV, raising=False)
    tls = TlsSettings(str(pki.ca), server_name=BROKER_DNS, insecure_skip_verify=True)
    runtime = start(running, mqtt_plant(tls_source(tls_broker.port, tls)))
    wait_until(lambda: state(runtime) is LinkState.STOPPED, 10, "refused to start")
    assert DEV_INSECURE_ENV in last_error(runtime)
    assert runtime.store.get("speed").quality is Quality.NO_CONNECTION


# -- OPC UA -----------------------------------------------------------------------

SERVER_URI = "urn:floorline:test:secure-server"


@dataclass(frozen=True)
class OpcPki:
    good: tuple[Path, Path]  # a server certificate and key, valid
    expired: tuple[Path, Path]
    ca: tuple[Path, Path]  # a CA (certificate and key, PEM) and
    ca_signed: Path  # a server certificate it signed
    ca_signed_key: Path


@pytest.fixture(scope="module")
def opc_pki(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> OpcPki:
    folder = tmp_path_factory.mktemp("opc-pki")
    ca = (pki.ca, pki.ca.parent / "ca.key")
    signed, signed_key = make_opcua_server_cert(
        folder / "ca-signed", "signed", SERVER_URI, issuer=ca
    )
    return OpcPki(
        good=make_opcua_server_cert(folder, "plc-server", SERVER_URI),
        expired=make_opcua_server_cert(folder, "old-server", SERVER_URI, expired=True),
        ca=ca,
        ca_signed=signed,
        ca_signed_key=signed_key,
    )


@pytest.fixture(scope="module")
def opc_server(opc_pki: OpcPki) -> Iterator[SecureOpcUaServer]:
    cert, key = opc_pki.good
    server = SecureOpcUaServer(free_port(), cert, key, SERVER_URI, user=f"operator:{SECRET}")
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="module")
def expired_server(opc_pki: OpcPki) -> Iterator[SecureOpcUaServer]:
    cert, key = opc_pki.expired
    server = SecureOpcUaServer(free_port(), cert, key, SERVER_URI)
    server.start()
    yield server
    server.kill()


def opc_plant(url: str, **security: object) -> PlantDef:
    source = OpcUaSource(
        id="plc",
        url=url,
        security_policy=OpcUaSecurityPolicy.BASIC256SHA256,
        security_mode=OpcUaSecurityMode.SIGN_AND_ENCRYPT,
        publishing_interval_ms=100,
        keepalive_count=5,
        lifetime_count=15,
        session_timeout_ms=10000,
        reconnect_min_s=0.5,
        reconnect_max_s=1.0,
    )
    source = replace(source, **security)  # type: ignore[arg-type]
    tag = TagDef("value", "Value", "plc", OpcUaBinding("ns=2;s=Test.Value"))
    return PlantDef("test", (source,), (tag,), ())


def trusting(tmp_path: Path, *certs: Path) -> Path:
    folder = tmp_path / "trusted"
    folder.mkdir(exist_ok=True)
    for cert in certs:
        shutil.copy(cert, folder)
    return folder


def test_a_trusted_server_connects_signed_and_encrypted_and_the_value_arrives(
    opc_server: SecureOpcUaServer, opc_pki: OpcPki, tmp_path: Path, running: list[Runtime]
) -> None:
    trust = trusting(tmp_path, opc_pki.good[0])
    runtime = start(running, opc_plant(opc_server.url, trust_dir=str(trust)))
    wait_until(
        lambda: runtime.store.get("value").value == VALUE, 20, "the value over SignAndEncrypt"
    )
    assert runtime.store.get("value").quality is Quality.GOOD
    assert state(runtime) is LinkState.CONNECTED


def test_the_client_certificate_is_made_on_first_run_and_reused(
    opc_server: SecureOpcUaServer, opc_pki: OpcPki, tmp_path: Path, running: list[Runtime]
) -> None:
    own = pki_root() / "own"
    cert_path = own / "certs" / "floorline-client.der"
    key_path = own / "private" / "floorline-client.pem"
    assert not cert_path.exists()
    plant = opc_plant(opc_server.url, trust_dir=str(trusting(tmp_path, opc_pki.good[0])))
    first = start(running, plant)
    # The server checks that the certificate names the application URI the client gives.
    wait_until(lambda: first.store.get("value").value == VALUE, 20, "first run")
    first.stop()
    running.remove(first)
    cert = load_certificate(cert_path)
    assert application_uris(cert) == [default_application_uri()]
    assert cert.subject == cert.issuer, "self-signed"
    public = cert.public_key()
    assert getattr(public, "key_size", 0) >= 2048
    assert (
        x509.ExtendedKeyUsageOID.CLIENT_AUTH
        in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    )
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_path.parent.stat().st_mode) == 0o700
    made = (cert_path.read_bytes(), key_path.read_bytes())

    second = start(running, plant)
    wait_until(lambda: second.store.get("value").value == VALUE, 20, "second run")
    assert (cert_path.read_bytes(), key_path.read_bytes()) == made, "reused, not made anew"


def test_a_pinned_server_certificate_file_is_trusted_with_an_aes_policy(
    opc_server: SecureOpcUaServer, opc_pki: OpcPki, tmp_path: Path, running: list[Runtime]
) -> None:
    plant = opc_plant(
        opc_server.url,
        security_policy=OpcUaSecurityPolicy.AES256_SHA256_RSAPSS,
        server_certificate=str(opc_pki.good[0]),
        trust_dir=str(trusting(tmp_path)),  # empty
    )
    runtime = start(running, plant)
    wait_until(lambda: runtime.store.get("value").value == VALUE, 20, "the value over Aes256")


def test_an_untrusted_server_is_refused_with_how_to_trust_it(
    opc_server: SecureOpcUaServer, opc_pki: OpcPki, tmp_path: Path, running: list[Runtime]
) -> None:
    trust = trusting(tmp_path)  # empty
    runtime = start(running, opc_plant(opc_server.url, trust_dir=str(trust)))
    wait_until(lambda: "not trusted" in last_error(runtime), 20, "refusal")
    assert state(runtime) is LinkState.RECONNECTING
    assert runtime.store.get("value").quality is Quality.NO_CONNECTION
    message = last_error(runtime)
    server_cert = load_certificate(opc_pki.good[0])
    assert thumbprint(server_cert) in message
    assert "CN=plc-server" in message
    assert opc_server.url in message
    [saved] = (pki_root() / "rejected").iterdir()
    assert f"copy {saved} into {trust}" in message
    assert saved.read_bytes() == opc_pki.good[0].read_bytes()
    # Doing what the message says is all it takes: the next attempt connects.
    shutil.copy(saved, trust)
    wait_until(lambda: runtime.store.get("value").value == VALUE, 20, "trusted now")


def test_an_expired_server_certificate_is_refused_even_when_trusted(
    expired_server: SecureOpcUaServer, opc_pki: OpcPki, tmp_path: Path, running: list[Runtime]
) -> None:
    trust = trusting(tmp_path, opc_pki.expired[0])
    runtime = start(running, opc_plant(expired_server.url, trust_dir=str(trust)))
    wait_until(lambda: "expired on" in last_error(runtime), 20, "refusal")
    assert "renewed certificate" in last_error(runtime)
    assert state(runtime) is LinkState.RECONNECTING


def test_a_policy_the_server_does_not_offer_is_refused_with_what_it_offers(
    opc_server: SecureOpcUaServer, opc_pki: OpcPki, tmp_path: Path, running: list[Runtime]
) -> None:
    plant = opc_plant(
        opc_server.url,
        security_policy=OpcUaSecurityPolicy.AES128_SHA256_RSAOAEP,
        trust_dir=str(trusting(tmp_path, opc_pki.good[0])),
    )
    runtime = start(running, plant)
    wait_until(lambda: "offers no endpoint" in last_error(runtime), 20, "refusal")
    assert "Basic256Sha256/SignAndEncrypt" in last_error(runtime)


def test_a_server_certificate_signed_by_a_trusted_ca_is_trusted(
    opc_pki: OpcPki, tmp_path: Path
) -> None:
    der = opc_pki.ca_signed.read_bytes()

    def check(
        trust_dir: Path, server_uri: str = SERVER_URI, url: str = "opc.tcp://localhost:4840"
    ) -> x509.Certificate:
        return check_server_certificate(
            der, url=url, server_uri=server_uri, trust_dir=trust_dir, pinned=None
        )

    trusted = trusting(tmp_path, opc_pki.ca[0])
    assert check(trusted).subject.rfc4514_string() == "CN=signed"
    with pytest.raises(CertificateRefusedError, match="not trusted"):
        check(tmp_path / "empty")
    with pytest.raises(CertificateRefusedError, match="says it is urn:other"):
        check(trusted, "urn:other")
    # A trusted certificate at another host is somebody else's: an impostor holding it
    # (a simulator, a copied key) is refused where the PLC should be.
    with pytest.raises(
        CertificateRefusedError, match=r"is not for host plc: it names 127\.0\.0\.1"
    ):
        check(trusted, url="opc.tcp://plc:4840")
    assert check(trusted, url="opc.tcp://127.0.0.1:4840").subject.rfc4514_string() == "CN=signed"


def write_crl(
    folder: Path,
    ca: tuple[Path, Path],
    revoked: tuple[x509.Certificate, ...] = (),
    *,
    due_in: timedelta = timedelta(days=7),
    forged: bool = False,
    dated_in: timedelta = timedelta(days=-1),
) -> Path:
    """The CA's revocation list in ``folder`` (DER): ``revoked`` listed, renewal due in
    ``due_in``; ``forged`` signs it with another key under the CA's name."""
    authority = x509.load_pem_x509_certificate(ca[0].read_bytes())
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if forged
        else serialization.load_pem_private_key(ca[1].read_bytes(), password=None)
    )
    assert isinstance(key, rsa.RSAPrivateKey)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.subject)
        .last_update(now + dated_in)
        .next_update(now + max(due_in, dated_in + timedelta(hours=1)))
    )
    for cert in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(now - timedelta(hours=2))
            .build()
        )
    path = folder / "plant-ca.crl"
    path.write_bytes(builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
    return path


def test_a_ca_issued_certificate_is_checked_against_the_cas_revocation_list(
    opc_pki: OpcPki, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    der = opc_pki.ca_signed.read_bytes()
    server = x509.load_der_x509_certificate(der)

    def check(required: bool = False) -> x509.Certificate:
        return check_server_certificate(
            der,
            url="opc.tcp://127.0.0.1:4840",
            server_uri=SERVER_URI,
            trust_dir=trust,
            pinned=None,
            require_revocation_list=required,
        )

    trust = trusting(tmp_path, opc_pki.ca[0])
    caplog.set_level(logging.WARNING)
    assert check() == server, "no list: OPC UA's 'revocation unknown', accepted by default"
    assert any("no revocation list of the CA" in r.getMessage() for r in caplog.records)
    with pytest.raises(CertificateRefusedError, match="holds no revocation list signed by"):
        check(required=True)
    write_crl(trust, opc_pki.ca, (server,))
    with pytest.raises(
        CertificateRefusedError, match=r"was revoked by the CA CN=Floorline test ca on 20"
    ):
        check()
    write_crl(trust, opc_pki.ca, (server,), forged=True)  # the CA's name, another key
    with pytest.raises(CertificateRefusedError, match="holds no revocation list"):
        check(required=True)
    write_crl(trust, opc_pki.ca, due_in=timedelta(days=-1))
    with pytest.raises(CertificateRefusedError, match="was due for renewal on"):
        check()
    write_crl(trust, opc_pki.ca)  # current, and this certificate is not on it
    assert check(required=True) == server
    # Copied into the trust folder as itself (what a refusal suggests): its CA's list still
    # applies while the CA is trusted.
    shutil.copy(opc_pki.ca_signed, trust)
    write_crl(trust, opc_pki.ca, (server,))
    with pytest.raises(CertificateRefusedError, match="was revoked by the CA"):
        check()
    write_crl(trust, opc_pki.ca, dated_in=timedelta(hours=2))
    with pytest.raises(CertificateRefusedError, match="in the future: check both clocks"):
        check()
    # A pinned certificate is trusted as itself: a CA's list does not apply to it.
    (tmp_path / "pinned").mkdir()
    pinned_trust = trusting(tmp_path / "pinned", opc_pki.good[0])
    write_crl(pinned_trust, opc_pki.ca, (load_certificate(opc_pki.good[0]),))
    pinned = check_server_certificate(
        opc_pki.good[0].read_bytes(),
        url="opc.tcp://127.0.0.1:4840",
        server_uri=SERVER_URI,
        trust_dir=pinned_trust,
        pinned=None,
        require_revocation_list=True,
    )
    assert pinned.subject.rfc4514_string() == "CN=plc-server"


@pytest.fixture(scope="module")
def ca_server(opc_pki: OpcPki) -> Iterator[SecureOpcUaServer]:
    server = SecureOpcUaServer(free_port(), opc_pki.ca_signed, opc_pki.ca_signed_key, SERVER_URI)
    server.start()
    yield server
    server.kill()


def test_a_revoked_server_is_refused_until_the_ca_lists_it_no_more(
    ca_server: SecureOpcUaServer, opc_pki: OpcPki, tmp_path: Path, running: list[Runtime]
) -> None:
    trust = trusting(tmp_path, opc_pki.ca[0])
    server = x509.load_der_x509_certificate(opc_pki.ca_signed.read_bytes())
    write_crl(trust, opc_pki.ca, (server,))
    plant = opc_plant(ca_server.url, trust_dir=str(trust), require_revocation_list=True)
    runtime = start(running, plant)
    wait_until(lambda: "was revoked by the CA" in last_error(runtime), 20, "refusal")
    assert state(runtime) is LinkState.RECONNECTING
    assert runtime.store.get("value").quality is Quality.NO_CONNECTION
    write_crl(trust, opc_pki.ca)  # the CA's next list: not revoked (after all)
    wait_until(lambda: runtime.store.get("value").value == VALUE, 20, "connected now")
    assert state(runtime) is LinkState.CONNECTED


def insecure_plant_text(url: str, allow: bool) -> str:
    return f"""\
[plant]
name = "Test line"

[[sources]]
id = "plc"
type = "opcua"
url = "{url}"
security_policy = "None"
{"allow_insecure = true" if allow else ""}
reconnect_min = 0.5
reconnect_max = 1

[[tags]]
id = "value"
source = "plc"
node = "ns=2;s=Test.Value"
"""


def test_policy_none_is_refused_unless_the_plant_file_allows_it(
    opc_server: SecureOpcUaServer, running: list[Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_plant_text(insecure_plant_text(opc_server.url, allow=False))
    [problem] = caught.value.problems
    assert problem.key_path == "sources[0].security_policy"
    assert "add allow_insecure = true" in problem.message

    caplog.set_level(logging.WARNING)
    plant = load_plant_text(insecure_plant_text(opc_server.url, allow=True))
    runtime = start(running, plant)
    wait_until(lambda: runtime.store.get("value").value == VALUE, 20, "the value, unprotected")
    warned = [r for r in caplog.records if "security policy None" in r.getMessage()]
    assert warned and all(r.levelno == logging.WARNING for r in warned)


# -- secrets ------------------------------------------------------------------------


def test_no_log_line_holds_the_mqtt_password(
    tmp_path: Path, pki: Pki, running: list[Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    broker = MosquittoBroker(
        tmp_path, tls=(pki.ca, pki.server_cert, pki.server_key), users={"hmi": SECRET}
    )
    broker.start()
    try:
        caplog.set_level(logging.DEBUG)
        secret_file = tmp_path / "broker.secret"
        secret_file.write_text(SECRET + "\n")
        tls = TlsSettings(str(pki.ca), server_name=BROKER_DNS)
        good = tls_source(broker.port, tls, Credentials("hmi", password_file=str(secret_file)))
        runtime = start(running, mqtt_plant(good))
        wait_until(lambda: state(runtime) is LinkState.CONNECTED, 10, "signed in")
        wrong_file = tmp_path / "wrong.secret"
        wrong_file.write_text(SECRET[::-1])
        bad = replace(good, credentials=Credentials("hmi", password_file=str(wrong_file)))
        refused = start(running, mqtt_plant(bad))
        wait_until(
            lambda: "refused the connection" in last_error(refused), 10, "wrong password refused"
        )
        for runtime in list(running):
            runtime.stop()
            running.remove(runtime)
    finally:
        broker.kill()
    assert caplog.records, "the connects were logged"
    for text in (SECRET, SECRET[::-1]):
        assert text not in caplog.text
        assert text not in last_error(refused)


def test_no_log_line_holds_the_opcua_password(
    opc_server: SecureOpcUaServer,
    opc_pki: OpcPki,
    tmp_path: Path,
    running: list[Runtime],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLC_PASSWORD", SECRET)
    caplog.set_level(logging.DEBUG)
    plant = opc_plant(
        opc_server.url,
        trust_dir=str(trusting(tmp_path, opc_pki.good[0])),
        credentials=Credentials("operator", password_env="PLC_PASSWORD"),
    )
    runtime = start(running, plant)
    wait_until(lambda: runtime.store.get("value").value == VALUE, 20, "signed in")
    runtime.stop()
    running.remove(runtime)
    monkeypatch.setenv("PLC_PASSWORD", "not-" + SECRET)
    refused = start(running, plant)
    wait_until(lambda: last_error(refused) != "", 20, "wrong password refused")
    assert "BadUserAccessDenied" in last_error(refused) or "Bad" in last_error(refused)
    refused.stop()
    running.remove(refused)
    assert caplog.records, "the connects were logged"
    assert SECRET not in caplog.text
    assert SECRET not in last_error(refused)
    key_file = pki_root() / "own" / "private" / "floorline-client.pem"
    key_body = key_file.read_text().splitlines()[1]
    assert key_body not in caplog.text, "nor the private key"
    assert os.environ["PLC_PASSWORD"] not in caplog.text
