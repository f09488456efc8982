"""Consumer services (messaging, social, video, search...): users' choices within categories,
network effects, and what blocks and bans of a service do to its users."""

from .market import ServiceMarket

__all__ = ["ServiceMarket"]
