"""HTTP for talking to a triplestore: timeouts, bounded retries, and errors of our own.

Only the standard library is used, so pushing to a store adds no dependency.
Every failure leaves here as a :class:`StoreError` whose message names the
endpoint and what went wrong; credentials are never part of a message or a log
line, even when a server echoes them back.
"""

from __future__ import annotations

import base64
import http.client
import logging
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping

import attrs

from kpr_events.errors import StoreError

__all__ = [
    "PASSWORD_VARIABLE",
    "TOKEN_VARIABLE",
    "USER_VARIABLE",
    "Credentials",
    "Reply",
    "RetryPolicy",
    "Transport",
    "check_endpoint",
]

log = logging.getLogger("kpr_events.store")

TOKEN_VARIABLE = "KPR_EVENTS_STORE_TOKEN"
USER_VARIABLE = "KPR_EVENTS_STORE_USER"
PASSWORD_VARIABLE = "KPR_EVENTS_STORE_PASSWORD"

TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
"""Answers that say "try again later": the request may succeed if repeated."""

MAX_REPLY_BYTES = 256 * 1024 * 1024
"""The most of an answer that is read; a store that sends more is answering garbage."""

_EXCERPT = 200


@attrs.frozen
class RetryPolicy:
    """How often a transient failure is retried, and how long to wait between tries.

    The wait doubles from ``backoff`` up to ``max_backoff``; a server's
    ``Retry-After`` in seconds is honoured when it is no longer than that.
    """

    attempts: int = attrs.field(default=4, validator=attrs.validators.ge(1))
    backoff: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_backoff: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))

    def delays(self) -> Iterator[float]:
        """The waits before the second, third… tries."""
        for attempt in range(self.attempts - 1):
            yield min(self.backoff * 2**attempt, self.max_backoff)


@attrs.frozen(repr=False)
class Credentials:
    """An ``Authorization`` header, and the secrets no message may show."""

    header: str | None = None
    secrets: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return "Credentials(<hidden>)" if self.header else "Credentials(None)"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        """A bearer token, or a user and password for basic authentication, or none."""
        env = os.environ if environ is None else environ
        token = env.get(TOKEN_VARIABLE, "")
        user, password = env.get(USER_VARIABLE, ""), env.get(PASSWORD_VARIABLE, "")
        if token and (user or password):
            raise StoreError(
                "store-config",
                f"both {TOKEN_VARIABLE} and {USER_VARIABLE}/{PASSWORD_VARIABLE} are set "
                "(expected one way to authenticate)",
            )
        if token:
            return cls(f"Bearer {token}", (token,))
        if user or password:
            if not (user and password):
                raise StoreError(
                    "store-config",
                    f"{USER_VARIABLE} and {PASSWORD_VARIABLE} must be set together",
                )
            pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            return cls(f"Basic {pair}", (password, pair))
        return cls()

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<hidden>")
        return text


def check_endpoint(url: str) -> str:
    """``url`` if it is an http(s) URL with a host and no credentials in it."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(
            "store-config", f"{url!r} is not an http:// or https:// URL with a host", url
        )
    if parts.username or parts.password:
        clean = parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else ""))
        raise StoreError(
            "store-config",
            f"{urllib.parse.urlunsplit(clean)}: the URL carries credentials "
            f"(expected them in {TOKEN_VARIABLE} or {USER_VARIABLE}/{PASSWORD_VARIABLE})",
            urllib.parse.urlunsplit(clean),
        )
    return url


@attrs.frozen
class Reply:
    status: int
    content_type: str
    body: bytes


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer: following it would send credentials to another place."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _Transient(Exception):
    def __init__(self, message: str, code: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.code, self.wait = code, wait


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


@attrs.frozen
class Transport:
    """Sends one request, retrying transient failures; raises :class:`StoreError` otherwise."""

    timeout: float = 30.0
    retry: RetryPolicy = attrs.field(factory=RetryPolicy)
    credentials: Credentials = attrs.field(factory=Credentials)
    max_reply_bytes: int = MAX_REPLY_BYTES

    def send(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        endpoint: str,
    ) -> Reply:
        delays = self.retry.delays()
        while True:
            try:
                return self._once(method, url, body, dict(headers or {}), endpoint)
            except _Transient as exc:
                delay = next(delays, None)
                if delay is None:
                    raise StoreError(
                        exc.code,
                        f"{endpoint}: {exc} (gave up after {self.retry.attempts} tries)",
                        endpoint,
                    ) from None
                if exc.wait is not None and exc.wait <= self.retry.max_backoff:
                    delay = max(delay, exc.wait)
                log.info("%s %s: %s; retrying in %.2g s", method, endpoint, exc, delay)
                time.sleep(delay)

    def _once(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], endpoint: str
    ) -> Reply:
        if self.credentials.header:
            headers["Authorization"] = self.credentials.header
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        opener = urllib.request.build_opener(_NoRedirects)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                data = response.read(self.max_reply_bytes + 1)
                status, content_type = response.status, response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            self._refused(exc, endpoint)
        except TimeoutError:
            raise _Transient(f"no answer within {self.timeout:g} s", "store-timeout") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise _Transient(f"no answer within {self.timeout:g} s", "store-timeout") from None
            if isinstance(reason, ConnectionError | OSError) and not isinstance(
                reason, socket.gaierror
            ):
                raise _Transient(f"unreachable ({reason})", "store-unreachable") from None
            raise StoreError(
                "store-unreachable", f"{endpoint}: unreachable ({reason})", endpoint
            ) from None
        except (http.client.RemoteDisconnected, ConnectionError) as exc:
            raise _Transient(f"the connection broke ({exc})", "store-unreachable") from None
        except http.client.HTTPException as exc:
            raise StoreError(
                "store-garbage",
                f"{endpoint}: the answer is not HTTP ({type(exc).__name__}: "
                f"{self._excerpt(str(exc))})",
                endpoint,
            ) from None
        if len(data) > self.max_reply_bytes:
            raise StoreError(
                "store-garbage",
                f"{endpoint}: the answer is longer than {self.max_reply_bytes} bytes",
                endpoint,
            )
        return Reply(status, content_type, data)

    def _refused(self, exc: urllib.error.HTTPError, endpoint: str) -> None:
        try:
            text = exc.read(4096).decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            text = ""
        finally:
            exc.close()
        said = f": {self._excerpt(text)}" if text.strip() else ""
        if exc.code in TRANSIENT_STATUS:
            raise _Transient(
                f"HTTP {exc.code}{said}",
                "store-unavailable",
                _retry_after(exc.headers.get("Retry-After")),
            ) from None
        hint = ""
        if exc.code in (401, 403):
            hint = (
                f" (credentials come from {TOKEN_VARIABLE}, "
                f"or {USER_VARIABLE} and {PASSWORD_VARIABLE})"
            )
        elif 300 <= exc.code < 400:
            location = self._excerpt(exc.headers.get("Location", "?"))
            hint = f" to {location} (expected an answer; give that URL as the endpoint)"
        raise StoreError(
            "store-refused", f"{endpoint}: refused with HTTP {exc.code}{said}{hint}", endpoint
        ) from None

    def _excerpt(self, text: str) -> str:
        text = " ".join(self.credentials.redact(text).split())
        return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "…"
