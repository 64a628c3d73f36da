"""SMTP with TLS: STARTTLS to a server that requires it, trusting a private CA by SMTP_CA_FILE,
with a login; a certificate that is not trusted fails the test send with an explanation."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from plugin.notifications import NotificationError, send_test_notification
from tests.storefront_helpers import shopify_store
from tests.tracking_helpers import CapturingHandler, free_port


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "encore-test-smtp")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp.pem", directory / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class Authenticator:
    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login,
            auth_data.password,
        ) == (b"encore", b"smtp-password")
        return AuthResult(success=ok)


@pytest.fixture
def tls_server(tmp_path):
    cert_file, key_file = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    handler = CapturingHandler()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=Authenticator(),
        auth_required=True,
    )
    controller.start()
    try:
        yield handler, port, cert_file
    finally:
        controller.stop()


def configure(app, port: int, ca_file: Path | None) -> None:
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        SMTP_STARTTLS=True,
        SMTP_SSL=False,
        SMTP_USERNAME="encore",
        SMTP_PASSWORD="smtp-password",
        SMTP_CA_FILE=str(ca_file) if ca_file else None,
        MAIL_FROM="shipping@fresh-grocer.example",
    )


def test_starttls_login_and_send(app, db, tls_server):
    handler, port, cert_file = tls_server
    configure(app, port, cert_file)
    send_test_notification(db, shopify_store(db), "email", "shipped", "owner@fresh-grocer.example")
    assert [m["To"] for m in handler.received] == ["owner@fresh-grocer.example"]


def test_untrusted_certificate_is_refused(app, db, tls_server):
    handler, port, _cert_file = tls_server
    configure(app, port, None)
    with pytest.raises(NotificationError, match="TLS"):
        send_test_notification(
            db, shopify_store(db), "email", "shipped", "owner@fresh-grocer.example"
        )
    assert handler.received == []
