"""The social source mapping of metrics.md: a web-analytics source to a network."""

from __future__ import annotations

__all__ = ["SOURCE_NETWORKS", "social_network"]

SOURCE_NETWORKS: dict[str, str] = {
    "facebook.com": "facebook", "fb.com": "facebook", "facebook": "facebook", "fb": "facebook",
    "instagram.com": "instagram", "instagram": "instagram", "ig": "instagram",
    "t.co": "x", "twitter.com": "x", "x.com": "x", "twitter": "x",
    "vk.com": "vk", "away.vk.com": "vk", "vk": "vk",
    "ok.ru": "ok", "odnoklassniki.ru": "ok",
    "linkedin.com": "linkedin", "lnkd.in": "linkedin", "linkedin": "linkedin",
    "t.me": "telegram", "telegram.org": "telegram", "web.telegram.org": "telegram",
    "youtube.com": "youtube", "youtu.be": "youtube",
    "tiktok.com": "tiktok",
    "pinterest.com": "pinterest",
}  # fmt: skip
_PREFIXES = ("www.", "m.", "l.", "lm.")
SOCIAL_CHANNELS = frozenset({"organic social", "paid social"})
#: Domains whose every subdomain is the same network (LinkedIn's country sites: de.linkedin.com).
_SUBDOMAINS = {".linkedin.com": "linkedin"}


def _clean_source(source: str) -> str:
    s = source.strip().casefold()
    if s.startswith("utm_source="):
        s = s[len("utm_source=") :]
    for scheme in ("https://", "http://"):
        if s.startswith(scheme):
            s = s[len(scheme) :]
    s = s.split("/", 1)[0].strip()  # a "source / medium" cell: the medium never decides
    changed = True
    while changed:
        changed = False
        for p in _PREFIXES:
            if s.startswith(p) and len(s) > len(p):
                s = s[len(p) :]
                changed = True
    return s


def social_network(source: str | None, channel_group: str | None = None) -> str | None:
    """The network a web-analytics session came from, per metrics.md.

    The source is lower-cased and ``www.``/``m.``/``l.``/``lm.`` are stripped,
    then looked up (``utm_source=vk`` maps like ``vk``), whatever the medium after a ``/``
    (``fb / paid`` is facebook, ``LinkedIn / Post`` linkedin); every subdomain of linkedin.com
    (its country sites, ``de.linkedin.com``) is linkedin. A session of an
    unknown source whose channel group is "Organic Social" or "Paid Social"
    counts as ``"other"``; anything else is not social (``None``).

    >>> social_network("l.instagram.com"), social_network("ig", "Organic Social"), social_network("google")
    ('instagram', 'other', None)
    """
    if source:
        clean = _clean_source(source)
        net = SOURCE_NETWORKS.get(clean)
        if net:
            return net
        for suffix, network in _SUBDOMAINS.items():
            if clean.endswith(suffix):
                return network
    if channel_group and channel_group.strip().casefold() in SOCIAL_CHANNELS:
        return "other"
    return None
