"""Which link targets a report may keep: mailto, or http(s) to a public host.

A link in client or rubric text is kept live (HTML, Markdown) or printed
(PDF, text) only when it cannot point a reader at their own machine or
network: no loopback, private, link-local, reserved, multicast or unspecified
address, no numeric host form a browser reads as one, no local name. An IPv6
address that carries an IPv4 one (IPv4-mapped, 6to4, NAT64, IPv4-compatible)
is judged by the IPv4 address it reaches; Teredo and local-use NAT64
addresses are refused, as where they lead cannot be told from the link.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

_SPACE = re.compile(r"[\x00-\x20\x7f]+")
# Names that never reach the public internet (RFC 6761, 6762, 8375, 2606).
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".test", ".invalid")
# A host made only of digits, hex and dots is an IP address in some form
# (2130706433, 0x7f.1, 0177.0.0.1 are all 127.0.0.1 to a browser).
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]*))*$")
# IPv6 ranges relayed on to an IPv4 address held in their last 32 bits:
# NAT64's well-known prefix (RFC 6052) and the deprecated IPv4-compatible form.
_CARRY_IPV4 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("::/96"))
# Teredo (RFC 4380) relays through a server to an obfuscated client address;
# local-use NAT64 (RFC 8215) leads into the operator's own network.
_RELAYED = (ipaddress.IPv6Network("2001::/32"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an IP address reaches a host on the public internet.

    Python 3.11's ``is_global`` is true for multicast and for IPv6 forms that
    carry a loopback or private IPv4 address, so those are checked here.
    """
    if not address.is_global or address.is_multicast or address.is_unspecified:
        return False
    if isinstance(address, ipaddress.IPv4Address):
        return True
    if any(address in network for network in _RELAYED):
        return False
    carried = address.ipv4_mapped or address.sixtofour
    if carried is None and any(address in network for network in _CARRY_IPV4):
        carried = ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    return carried is None or public_address(carried)


def public_host(host: str) -> bool:
    """Whether a host name or IP literal is on the public internet."""
    host = host.strip().rstrip(".").lower()
    if not host or host == "localhost" or host.endswith(_LOCAL_SUFFIXES):
        return False
    try:
        return public_address(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    # A single label ("intranet", "router") resolves only on a local network.
    return "." in host and not _NUMERIC_HOST.match(host)


def allowed_link(url: str) -> bool:
    """Whether a link target may survive: mailto, or http(s) to a public host."""
    cleaned = _SPACE.sub("", url)
    lowered = cleaned.lower()
    if lowered.startswith("mailto:"):
        return len(lowered) > len("mailto:")
    if not lowered.startswith(("http://", "https://")):
        return False
    try:
        host = urlsplit(cleaned).hostname
    except ValueError:  # an unbalanced "[" in the host
        return False
    return host is not None and public_host(host)
