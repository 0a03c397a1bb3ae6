"""The small languages inside plant-file strings: MQTT topics and filters,
OPC UA NodeIds, OPC UA and HTTP URLs, JSON value paths, host, variable and
language names.

Each check returns what is wrong in words, or None, so that a mistake is
reported at load time with the key that holds it, instead of surfacing as a
tag that never updates or a connection that is refused on the line.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import SplitResult, urlsplit

from hmi.config.problems import quote

JsonPath = tuple[str | int, ...]

# MQTT 3.1.1 and 5: a topic is at most 65535 bytes of UTF-8 (1.5.3 / 1.5.4).
_MAX_TOPIC_BYTES = 65535

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_NODE_ID = re.compile(r"(?:ns=(?P<ns>[0-9]{1,5});)?(?P<kind>[sigb])=(?P<ident>.+)", re.DOTALL)
_GUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_NODE_FORMS = "ns=2;s=Name, ns=3;i=1001, i=2258, ns=2;g=<GUID> or ns=2;b=<base64>"
_PATH_STEP = re.compile(r"(?P<name>[^.\[\]]*)(?P<indexes>(?:\[[0-9]{1,9}\])*)")
_INDEX = re.compile(r"\[([0-9]{1,9})\]")


def _utf8_problem(text: str, what: str) -> str | None:
    if not text:
        return f"expected a non-empty {what}, got an empty string"
    if "\0" in text:
        return f"expected a {what} without NUL characters, got {quote(text)}"
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return f"expected a {what} of valid UTF-8 text, got {quote(text)}"
    if size > _MAX_TOPIC_BYTES:
        return f"expected a {what} of at most {_MAX_TOPIC_BYTES} bytes, got {size} bytes"
    return None


def topic_problem(topic: str) -> str | None:
    """An exact topic, as a tag binds to: no wildcards."""
    problem = _utf8_problem(topic, "topic")
    if problem is None and ("+" in topic or "#" in topic):
        problem = f'expected an exact topic without the wildcards "+" and "#", got {quote(topic)}'
    return problem


def filter_problem(topic_filter: str) -> str | None:
    """A subscription filter: ``+`` fills one whole level, ``#`` only the whole last one."""
    problem = _utf8_problem(topic_filter, "topic filter")
    if problem is not None:
        return problem
    levels = topic_filter.split("/")
    for index, level in enumerate(levels):
        if "#" in level and (level != "#" or index != len(levels) - 1):
            return (
                f'"#" must be alone in the last level, as in "plant/line1/#"; '
                f"got {quote(topic_filter)}"
            )
        if "+" in level and level != "+":
            return (
                f'"+" must be alone in its level, as in "plant/+/speed"; got {quote(topic_filter)}'
            )
    return None


def topic_matches(topic_filter: str, topic: str) -> bool:
    """Whether a broker delivers ``topic`` to a subscription on ``topic_filter``.

    Wildcards at the first level do not match topics starting with ``$``
    (MQTT 4.7.2), and ``a/#`` also matches ``a`` itself (MQTT 4.7.1.2).
    """
    if topic.startswith("$") and topic_filter[:1] in ("+", "#"):
        return False
    filter_levels = topic_filter.split("/")
    topic_levels = topic.split("/")
    for index, level in enumerate(filter_levels):
        if level == "#":
            return True
        if index >= len(topic_levels):
            return False
        if level not in ("+", topic_levels[index]):
            return False
    return len(filter_levels) == len(topic_levels)


def node_id_problem(node: str) -> str | None:
    """An OPC UA NodeId in its string form (OPC UA Part 6, 5.3.1.10)."""
    expected = f"expected a NodeId such as {_NODE_FORMS}; got {quote(node)}"
    match = _NODE_ID.fullmatch(node)
    if match is None:
        return expected
    namespace = match["ns"]
    if namespace is not None and int(namespace) > 65535:
        return f"expected a namespace index from 0 to 65535, got {quote(node)}"
    kind, ident = match["kind"], match["ident"]
    numeric = ident.isascii() and ident.isdigit() and len(ident) <= 10
    if kind == "i" and not (numeric and int(ident) < 2**32):
        return f"expected a numeric identifier from 0 to 4294967295 after i=, got {quote(node)}"
    if kind == "g" and not _GUID.fullmatch(ident):
        return (
            f"expected a GUID like 72962b91-fa75-4ae6-8d28-b404dc7daf63 after g=, got {quote(node)}"
        )
    if kind == "b":
        try:
            base64.b64decode(ident, validate=True)
        except (binascii.Error, ValueError):
            return f"expected base64 after b=, got {quote(node)}"
    return None


def opc_url_problem(url: str) -> str | None:
    """An OPC UA binary endpoint: ``opc.tcp://host[:port][/path]``."""
    if _split_url(url, ("opc.tcp://",)) is None:
        return f'expected a URL like "opc.tcp://plc-7:4840/path", got {quote(url)}'
    return None


def http_url_problem(url: str) -> str | None:
    """An HTTP(S) endpoint with a host, and no secret in it: ``https://host[:port][/path]``."""
    parts = _split_url(url, ("http://", "https://"))
    if parts is None:
        return f'expected a URL like "https://mes.example/api/records", got {quote(url)}'
    if parts.username is not None or parts.password is not None:
        # Not quoted back: the part before "@" may be a password.
        return "a user name or password in the URL is not accepted; use token_env"
    return None


def _split_url(url: str, schemes: tuple[str, ...]) -> SplitResult | None:
    """The parts of a URL with one of ``schemes``, a host and a valid port; else None."""
    if not url.startswith(schemes) or any(char.isspace() for char in url):
        return None
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # .port raises on a bad port
    except ValueError:
        return None
    return parts if host else None


def language_problem(tag: str) -> str | None:
    """A language as a BCP 47 tag: ``de``, ``es-MX``, ``zh-Hans``."""
    if _LANGUAGE.fullmatch(tag):
        return None
    return f'expected a language tag such as "de" or "es-MX", got {quote(tag)}'


def host_problem(host: str) -> str | None:
    """A host name or address, not a URL: the port and TLS have their own keys."""
    if "://" in host:
        return f"expected a host name or address, not a URL; got {quote(host)}"
    if any(char.isspace() or char in "/\0" for char in host):
        return f"expected a host name or address, got {quote(host)}"
    return None


def env_name_problem(name: str) -> str | None:
    if _ENV_NAME.fullmatch(name):
        return None
    return f"expected an environment variable name like MQTT_PASSWORD, got {quote(name)}"


def parse_json_path(text: str) -> JsonPath:
    """``counts.good`` -> ("counts", "good"); ``values[2].v`` -> ("values", 2, "v").

    Raises ValueError with a message for the integrator when the path is malformed.
    """
    expected = f'expected a path like "value", "counts.good" or "values[2].v", got {quote(text)}'
    if not text:
        raise ValueError(expected)
    path: list[str | int] = []
    for step in text.split("."):
        match = _PATH_STEP.fullmatch(step)
        if match is None or not step:
            raise ValueError(expected)
        if match["name"]:
            path.append(match["name"])
        path.extend(int(index) for index in _INDEX.findall(match["indexes"]))
    return tuple(path)
