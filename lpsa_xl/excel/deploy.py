"""Deployment settings of the lpsa-xl server and the add-in manifest it serves.

Every setting is an environment variable (``lpsa-xl excel serve`` sets them from its options),
so the same ``lpsa_xl.excel.server:app`` runs under uvicorn or gunicorn workers unchanged:

==========================  =================================================================
``LPSA_PUBLIC_URL``         the address users reach the server at, e.g.
                            ``https://lpsa.example.gov.uk`` (behind a reverse proxy); the
                            manifest's URLs are built from it
``LPSA_TRUST_PROXY``        ``1``: without a public URL, build the URLs from the proxy's
                            ``X-Forwarded-Proto`` and ``X-Forwarded-Host`` headers (only set
                            this when a proxy you run sets them; otherwise a client could)
``LPSA_ADDIN_ID``           the add-in's GUID; by default derived from the public address, so a
                            test server and a live one never collide (``localhost`` keeps the
                            development GUID)
``LPSA_ADDIN_NAME``         the display name in Excel (default ``lpsa-xl``)
``LPSA_KEY``                a shared secret: when set, the function and script calls need
                            ``Authorization: Bearer <key>`` and the manifest is served only at
                            ``/manifest.xml?key=<key>`` (it then carries the key to Excel)
``LPSA_MAX_BODY``           the largest request body accepted, in bytes (default 8 MiB)
==========================  =================================================================

A bad setting stops the server at start with a one-line reason (:class:`SettingsError`).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

__all__ = ["DEV_ADDIN_ID", "Settings", "SettingsError", "base_url", "manifest_xml"]

#: The add-in Id of development servers (localhost); deployments derive their own.
DEV_ADDIN_ID = "3d6706a3-b16e-5bb3-b1b8-38379d0e837c"
DEFAULT_MAX_BODY = 8 * 1024 * 1024
STATIC = Path(__file__).with_name("static")
_LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


class SettingsError(ValueError):
    """A deployment setting that cannot be used, with the variable's name and why."""


@dataclass(frozen=True)
class Settings:
    """The server's deployment settings (see the module docstring)."""

    public_url: str | None = None
    trust_proxy: bool = False
    addin_id: str | None = None
    addin_name: str = "lpsa-xl"
    key: str | None = None
    max_body: int = DEFAULT_MAX_BODY

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        public = (env.get("LPSA_PUBLIC_URL") or "").strip() or None
        if public is not None:
            parts = urlsplit(public)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
                raise SettingsError(
                    f"LPSA_PUBLIC_URL={public!r}: give the address as https://host[:port][/path]"
                )
            public = public.rstrip("/")
        addin_id = (env.get("LPSA_ADDIN_ID") or "").strip() or None
        if addin_id is not None:
            try:
                addin_id = str(uuid.UUID(addin_id))
            except ValueError:
                raise SettingsError(f"LPSA_ADDIN_ID={addin_id!r} is not a GUID") from None
        raw_max = (env.get("LPSA_MAX_BODY") or "").strip()
        try:
            max_body = int(raw_max) if raw_max else DEFAULT_MAX_BODY
        except ValueError:
            raise SettingsError(f"LPSA_MAX_BODY={raw_max!r} is not a number of bytes") from None
        if max_body < 1024:
            raise SettingsError(f"LPSA_MAX_BODY={max_body} is below 1024 bytes")
        name = (env.get("LPSA_ADDIN_NAME") or "").strip() or "lpsa-xl"
        if len(name) > 125:
            raise SettingsError("LPSA_ADDIN_NAME is longer than the 125 characters Office allows")
        key = env.get("LPSA_KEY") or None
        if key is not None and len(key) < 16:
            raise SettingsError("LPSA_KEY is shorter than 16 characters: use a long random key")
        trust = (env.get("LPSA_TRUST_PROXY") or "").strip().lower() in ("1", "true", "yes")
        return cls(public, trust, addin_id, name, key, max_body)

    def addin_id_for(self, base: str) -> str:
        """The add-in Id: the setting, else the development GUID on localhost, else a GUID
        derived from the address the manifest points at (the same address, the same Id)."""
        if self.addin_id:
            return self.addin_id
        host = (urlsplit(base).hostname or "").lower()
        if host in _LOCAL:
            return DEV_ADDIN_ID
        return str(uuid.uuid5(uuid.UUID(DEV_ADDIN_ID), base.lower()))


def base_url(settings: Settings, scheme: str, host: str | None,
             headers: Mapping[str, str]) -> str:  # fmt: skip
    """The address the manifest's URLs start with: the configured public URL, else (when the
    proxy is trusted) the forwarded scheme and host, else the request's own. Not escaped."""
    if settings.public_url:
        return settings.public_url
    if settings.trust_proxy:
        proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        fwd_host = headers.get("x-forwarded-host", "").split(",")[0].strip()
        if proto in ("http", "https"):
            scheme = proto
        if fwd_host:
            host = fwd_host
    return f"{scheme}://{host or 'localhost'}"


def host_is_valid(host: str) -> bool:
    """True for a host name or address with an optional port (what a Host header holds)."""
    return bool(_HOST.match(host))


def manifest_xml(settings: Settings, base: str, namespace: str, key: str | None = None) -> str:
    """The manifest for a server at ``base``, every substituted value XML-escaped."""

    def attr(text: str) -> str:
        return escape(text, {'"': "&quot;", "'": "&apos;"})

    query = f"?key={quote(key, safe='')}" if key else ""
    xml = (STATIC / "manifest.xml").read_text(encoding="utf-8")
    for marker, value in (
        ("@ADDIN_ID@", settings.addin_id_for(base)),
        ("@DISPLAY_NAME@", settings.addin_name),
        ("@NAMESPACE@", namespace),
        ("@KEY_QUERY@", query),
        ("@BASE_URL@", base),
    ):
        xml = xml.replace(marker, attr(value))
    return xml
