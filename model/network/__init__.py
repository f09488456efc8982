"""The multilayer network: the social layer as sparse arrays, the whole graph on request."""

from .social import SocialLayer, build_social_layer, neighbours

__all__ = ["SocialLayer", "build_social_layer", "neighbours"]
