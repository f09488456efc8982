"""VPN supply: providers by channel and protocol, how users find them, the firewall that blocks
them, and the providers that migrate and enter."""

from .firewall import Firewall
from .providers import CH, PR, VPNProviders

__all__ = ["CH", "PR", "Firewall", "VPNProviders"]
