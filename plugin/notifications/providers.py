"""The two ways a message leaves Encore: SMTP for email, Twilio's REST API for texts.

Both raise `SendError`; `transient` says whether trying again later may work (a 4xx SMTP
reply, a dropped connection, HTTP 429/5xx) or not (a 5xx SMTP reply, a rejected number).
Secrets (SMTP password, Twilio token) are never part of a message or log line.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

import requests

TWILIO_API = "https://api.twilio.com/2010-04-01"


def provider_configured(config: Mapping[str, Any], channel: str) -> bool:
    """Whether Encore's configuration can send on this channel at all."""
    if channel == "email":
        return bool(config.get("SMTP_HOST") and config.get("MAIL_FROM"))
    return all(
        config.get(key) for key in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM")
    )


class SendError(RuntimeError):
    def __init__(self, message: str, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


class EmailSender(Protocol):
    def send(self, message: EmailMessage) -> str: ...


class SmsSender(Protocol):
    def send(self, to: str, body: str) -> str: ...


@dataclass(frozen=True)
class SmtpSender:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    use_ssl: bool = False
    ca_file: str | None = None
    timeout: float = 20.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSender:
        return cls(
            host=str(config["SMTP_HOST"]),
            port=int(config.get("SMTP_PORT") or (465 if config.get("SMTP_SSL") else 587)),
            username=config.get("SMTP_USERNAME") or None,
            password=config.get("SMTP_PASSWORD") or None,
            starttls=bool(config.get("SMTP_STARTTLS")),
            use_ssl=bool(config.get("SMTP_SSL")),
            ca_file=config.get("SMTP_CA_FILE") or None,
            timeout=float(config.get("SMTP_TIMEOUT_SECONDS") or 20.0),
        )

    def _tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.ca_file:
            context.load_verify_locations(cafile=self.ca_file)
        return context

    def send(self, message: EmailMessage) -> str:
        """Hand the message to the SMTP server; returns its Message-ID."""
        try:
            client: smtplib.SMTP
            if self.use_ssl:
                client = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=self._tls()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.starttls and not self.use_ssl:
                    client.starttls(context=self._tls())
                if self.username:
                    client.login(self.username, self.password or "")
                client.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            raise SendError(
                f"the mail server refused the recipient ({codes})",
                transient=all(400 <= code < 500 for code in codes),
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(
                f"the mail server refused SMTP_USERNAME/SMTP_PASSWORD ({exc.smtp_code})",
                transient=False,
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise SendError(
                f"the mail server answered {exc.smtp_code}", transient=400 <= exc.smtp_code < 500
            ) from exc
        except ssl.SSLError as exc:
            raise SendError(f"TLS with the mail server failed: {exc.reason}", False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(
                f"the mail server {self.host}:{self.port} is unreachable ({type(exc).__name__})",
                transient=True,
            ) from exc
        return str(message["Message-ID"] or "")


@dataclass(frozen=True)
class TwilioSms:
    account_sid: str
    auth_token: str
    sender: str  # a phone number, or a messaging service sid ("MG...")
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> TwilioSms:
        return cls(
            account_sid=str(config["TWILIO_ACCOUNT_SID"]),
            auth_token=str(config["TWILIO_AUTH_TOKEN"]),
            sender=str(config["TWILIO_FROM"]),
            timeout=float(config.get("HTTP_TIMEOUT_SECONDS") or 10.0),
        )

    def send(self, to: str, body: str) -> str:
        """Send one text; returns Twilio's message sid."""
        data = {"To": to, "Body": body}
        data["MessagingServiceSid" if self.sender.startswith("MG") else "From"] = self.sender
        try:
            response = requests.post(
                f"{TWILIO_API}/Accounts/{self.account_sid}/Messages.json",
                data=data,
                auth=(self.account_sid, self.auth_token),
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise SendError(f"Twilio is unreachable ({type(exc).__name__})", True) from exc
        if response.status_code in (200, 201):
            return str(response.json().get("sid") or "")
        try:
            detail = response.json()
        except ValueError:
            detail = {}
        message = f"Twilio answered {response.status_code}"
        if detail.get("code"):
            message += f" (error {detail['code']}: {detail.get('message', '')})"
        transient = response.status_code == 429 or response.status_code >= 500
        raise SendError(message, transient=transient)
