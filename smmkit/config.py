"""Paths of the project and the client configuration (``client.yaml``).

One place knows the paths, so notebooks run from any working directory (as
papermill runs them). ``client.yaml`` is read with a safe loader and checked
strictly: an unknown key is an error naming the key, so typos never pass
silently.
"""

from __future__ import annotations

import codecs
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from smmkit.catalogue import LANGUAGES
from smmkit.errors import ConfigError, UsageError
from smmkit.fsutil import contained, image_kind

__all__ = [
    "PROJ_ROOT",
    "DATA_DIR",
    "CLIENTS_DIR",
    "NOTEBOOKS_DIR",
    "REPORTS_DIR",
    "SLUG_RE",
    "AGENCY_FILE",
    "AgencyConfig",
    "ClientConfig",
    "check_slug",
    "is_hex_color",
    "load_agency_config",
    "load_config",
]

PROJ_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJ_ROOT / "data"
CLIENTS_DIR = DATA_DIR / "clients"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORTS_DIR = PROJ_ROOT / "reports"

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
_MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")
_COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}")


@dataclass(frozen=True)
class ClientConfig:
    """The validated contents of one client's ``client.yaml``."""

    slug: str
    name: str
    timezone: str = "UTC"
    currency: str = "USD"
    language: str = "en"
    monthly_cost: float = 0.0
    cost_overrides: dict[str, float] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    targets: dict[str, float] = field(default_factory=dict)
    brand: dict[str, str] = field(default_factory=dict)
    path: Path | None = None  # the client folder
    analyst: str | None = None  # who signs notes/<YYYY-MM>.md (issue #12)
    #: Whether client.yaml states fixed costs (``monthly_cost`` or ``cost_overrides``, even 0);
    #: None (a config built in code): whether either is above 0. Without fixed costs and without
    #: ad exports the costs are unknown (null), not 0 (metrics.md, known and unknown).
    costs_given: bool | None = None

    @property
    def has_fixed_costs(self) -> bool:
        """Whether the client's fixed costs are known (:attr:`costs_given`)."""
        if self.costs_given is not None:
            return self.costs_given
        return self.monthly_cost > 0 or any(v > 0 for v in self.cost_overrides.values())

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def own_brands(self) -> tuple[str, ...]:
        """The client's own brand spellings, lower-cased (name + aliases)."""
        return tuple(s.casefold() for s in (self.name, *self.aliases))

    @property
    def logo_path(self) -> Path | None:
        logo = self.brand.get("logo")
        if not logo or self.path is None:
            return None
        return contained(self.path / logo, self.path)  # None if a link now leads elsewhere

    def month_cost(self, month: str) -> float:
        """The fixed cost of a ``YYYY-MM`` month (override or ``monthly_cost``)."""
        return float(self.cost_overrides.get(month, self.monthly_cost))


def check_slug(slug: str, *, path: str | Path | None = None) -> str:
    """Return ``slug`` if it follows the slug rule, else raise :class:`ConfigError`."""
    if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
        raise ConfigError(
            f"client folder name {slug!r} is not a valid slug: expected "
            "[a-z0-9][a-z0-9_-]{0,62} (lower-case letters, digits, '-' and '_'; "
            "no dots, slashes or spaces)",
            path=path,
        )
    return slug


_KEYS = (
    "name", "timezone", "currency", "language", "monthly_cost", "cost_overrides",
    "aliases", "competitors", "targets", "brand", "analyst",
)  # fmt: skip
_BRAND_KEYS = ("color", "logo")


def _line_of(text: str, key: str, sub: str | None = None) -> int | None:
    """The line of top-level ``key:`` in ``text``; with ``sub``, of ``sub:`` inside it (the
    first one after ``key``), else the key's own line."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:", re.MULTILINE)
    m = pattern.search(text)
    if m is None:
        return None
    at = m.start()
    if sub is not None:
        quoted = rf"""(?:{re.escape(sub)}|'{re.escape(sub)}'|"{re.escape(sub)}")"""
        s = re.compile(rf"[\s{{,]{quoted}\s*:").search(text, m.end() - 1)
        at = s.start() + 1 if s else at
    return text.count("\n", 0, at) + 1


#: The range of a money amount in the configuration (``monthly_cost``, ``cost_overrides``).
COST_RANGE = (0.0, 1e12)
#: The range of a KPI target (``targets``): counts, rates, currency and hours alike.
TARGET_RANGE = (-1e12, 1e12)


def _shown(value: Any) -> str:
    """``repr(value)``, except for an integer too long to print (Python refuses > 4300 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an integer of about {int(value.bit_length() * 0.30103):,} digits"
    return repr(value)


def _number(value: Any, what: str, err, bounds: tuple[float, float] = COST_RANGE) -> float:
    """``value`` as a float when it is a finite number within ``bounds``, else ``err(message)``."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise err(f"{what} must be a number; got {_shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise err(f"{what} must be a finite number between {low:,.0f} and {high:,.0f}; got {value!r}")
    if not low <= value <= high:
        if low == 0 and value < 0:
            raise err(f"{what} must not be negative; got {_shown(value)}")
        raise err(f"{what} must be between {low:,.0f} and {high:,.0f}; got {_shown(value)}")
    return float(value)


def _names(value: Any, key: str, err) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise err(f"`{key}` must be a list of names; got {value!r}", key)
    return tuple(str(v).strip() for v in value)


#: The largest ``client.yaml`` / ``smmkit.yaml`` read (a real one is well under 1 KiB).
YAML_LIMIT = 64 * 1024
#: How deep a kit YAML file may nest collections (the deepest key, ``targets.er``, is 2).
YAML_DEPTH = 8
#: The largest integer a kit YAML file may hold (anything numeric has a far smaller range).
YAML_INT_LIMIT = 10**18


class _Refused(yaml.MarkedYAMLError):
    """What :class:`_ConfigLoader` refuses, at the place (mark) it refuses it."""


class _ConfigLoader(yaml.SafeLoader):
    """PyYAML's safe loader, bounded: no anchors or aliases (a 466-byte "billion laughs"
    file expands to gigabytes), at most :data:`YAML_DEPTH` levels of nesting (no recursion
    error), and a value that cannot be constructed (``2026-13-45``, an integer of 5,000
    digits) is an error at its line instead of a ``ValueError``."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0  # collections open around the node being composed

    def compose_node(self, parent, index):  # noqa: D102 (PyYAML's hook)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                problem="YAML anchors and aliases (&name, *name) are not allowed: write each value out",
                problem_mark=event.start_mark,
            )
        depth = self._depth
        if depth >= YAML_DEPTH:
            raise _Refused(
                problem=f"nested more than {YAML_DEPTH} levels deep: expected keys with simple values",
                problem_mark=event.start_mark,
            )
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth

    def construct_object(self, node, deep=False):  # noqa: D102 (PyYAML's hook)
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as exc:
            raise _Refused(
                problem=f"cannot read the value {_clip(node.value)}: {str(exc)[:120]}",
                problem_mark=node.start_mark,
            ) from None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > YAML_INT_LIMIT:
            raise _Refused(
                problem=f"the number {_clip(node.value)} is out of range (at most {YAML_INT_LIMIT:.0e})",
                problem_mark=node.start_mark,
            )
        return value


def _clip(value: Any, limit: int = 40) -> str:
    text = str(value)
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"… ({len(text):,} characters)"


def _read_text(path: Path, limit: int = YAML_LIMIT) -> str:
    """The text of a kit file: at most ``limit`` bytes, UTF-8 (a BOM is fine) or UTF-16 with
    a BOM (Windows Notepad's "Unicode"); anything else is a :class:`ConfigError` saying so."""
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    if len(data) > limit:
        raise ConfigError(
            f"the file is larger than {limit // 1024} KiB, the limit for {path.name}: is it the right file?",
            path=path,
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, what = "utf-16", "UTF-16 text (it starts with a UTF-16 byte-order mark)"
    else:
        encoding, what = "utf-8-sig", "UTF-8 text"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1 if encoding != "utf-16" else None
        raise ConfigError(
            f"not {what}: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be decoded "
            "(Windows-1251 or another legacy encoding?); save the file as UTF-8",
            path=path,
            line=line,
        ) from None
    if "\x00" in text:
        raise ConfigError(
            "not UTF-8 text: it holds NUL characters (UTF-16 without a byte-order mark?); "
            "save the file as UTF-8",
            path=path,
            line=text.count("\n", 0, text.index("\x00")) + 1,
        )
    return text


def _load_yaml(path: Path, text: str) -> Any:
    """``text`` parsed by :class:`_ConfigLoader`; any YAML problem is a located ConfigError."""
    try:
        return yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 (a SafeLoader subclass)
    except _Refused as exc:
        raise ConfigError(exc.problem, path=path, line=exc.problem_mark.line + 1) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        position = getattr(exc, "position", None)  # a ReaderError (a character YAML refuses)
        if line is None and isinstance(position, int):
            line = text.count("\n", 0, position) + 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"not valid YAML: {problem}", path=path, line=line) from None


def _read_yaml(path: Path, keys: tuple[str, ...]) -> tuple[dict, Callable[..., ConfigError]]:
    """Read a kit YAML file safely: a mapping whose keys are all in ``keys``.

    At most :data:`YAML_LIMIT` bytes, UTF-8 (or UTF-16 with a BOM), without anchors or
    aliases. Returns the mapping and ``err(message, key=None, sub=None)``, which builds a
    :class:`ConfigError` located at the line of ``key`` (or of ``sub`` inside it).
    """
    text = _read_text(path)
    raw = _load_yaml(path, text)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(
            f"expected a mapping of keys to values; got {type(raw).__name__}", path=path, line=1
        )

    def err(message: str, key: str | None = None, sub: str | None = None) -> ConfigError:
        line = _line_of(text, key, sub) if key else None
        return ConfigError(message, path=path, line=line, column=key)

    for key in raw:
        if key not in keys:
            raise err(f"unknown key {key!r}; expected one of: {', '.join(keys)}", str(key))
    return raw, err


def _slug_of(client_dir: Path) -> str:
    """The client folder's own name: a symbolic link keeps the link's name (its target is
    resolved only to read files); ``.`` and trailing slashes name the current folder."""
    return Path(os.path.abspath(client_dir)).name


def _cost_overrides(raw: dict, err) -> dict[str, float]:
    """``cost_overrides``: quoted ``YYYY-MM`` months to amounts in :data:`COST_RANGE`."""
    overrides_raw = raw.get("cost_overrides") or {}
    if not isinstance(overrides_raw, dict):
        raise err(
            f"`cost_overrides` must map 'YYYY-MM' to an amount; got {overrides_raw!r}", "cost_overrides"
        )
    overrides: dict[str, float] = {}
    for month, amount in overrides_raw.items():
        if not isinstance(month, str) or not _MONTH_RE.fullmatch(month):
            raise err(
                f"`cost_overrides` keys must be quoted 'YYYY-MM' month strings; got {month!r}",
                "cost_overrides",
            )
        overrides[month] = _number(
            amount, f"`cost_overrides[{month!r}]`", lambda m, month=month: err(m, "cost_overrides", month)
        )
    return overrides


def _targets(raw: dict, err) -> dict[str, float]:
    """``targets``: KPI keys to finite numbers in :data:`TARGET_RANGE`."""
    targets_raw = raw.get("targets") or {}
    if not isinstance(targets_raw, dict):
        raise err(f"`targets` must map a KPI key to a number; got {targets_raw!r}", "targets")
    targets: dict[str, float] = {}
    from smmkit.catalogue import KPI_KEYS  # late: keeps config importable alone

    for key, value in targets_raw.items():
        if key not in KPI_KEYS:
            raise err(f"`targets` has unknown KPI key {key!r}; see metrics.md for the keys", "targets")
        targets[key] = _number(
            value, f"`targets[{key!r}]`", lambda m, key=key: err(m, "targets", key), TARGET_RANGE
        )
    return targets


def _brand(raw: dict, err, client_dir: Path) -> dict[str, str]:
    """``brand``: ``color`` (hex) and ``logo`` (a file inside the client folder)."""
    brand_raw = raw.get("brand") or {}
    if not isinstance(brand_raw, dict):
        raise err(f"`brand` must be a mapping with `color` and/or `logo`; got {brand_raw!r}", "brand")
    for key in brand_raw:
        if key not in _BRAND_KEYS:
            raise err(f"unknown key 'brand.{key}'; expected one of: {', '.join(_BRAND_KEYS)}", "brand")
    brand = {k: str(v) for k, v in brand_raw.items() if v is not None}
    if "color" in brand and not is_hex_color(brand["color"]):
        raise err(f"`brand.color` must be a hex colour like '#6b3fa0'; got {brand['color']!r}", "brand")
    if "logo" in brand:
        _image_inside(client_dir, brand["logo"], "brand.logo", "the client folder", lambda m: err(m, "brand"))
    return brand


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False where the system refuses the name (too long, a NUL byte)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _locale(raw: dict, err) -> tuple[str, str, str]:
    """``timezone`` (an IANA name), ``currency`` (ISO 4217) and ``language`` of ``client.yaml``, checked."""
    timezone = raw.get("timezone", "UTC")
    try:
        if not isinstance(timezone, str):
            raise ValueError
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise err(
            f"`timezone` must be an IANA time zone name like 'Europe/Moscow'; got {timezone!r}", "timezone"
        ) from None

    currency = raw.get("currency", "USD")
    if not isinstance(currency, str) or not _CURRENCY_RE.fullmatch(currency):
        raise err(f"`currency` must be an ISO 4217 code like 'USD'; got {currency!r}", "currency")

    language = raw.get("language", "en")
    if language not in LANGUAGES:
        raise err(f"`language` must be one of {', '.join(LANGUAGES)}; got {language!r}", "language")
    return timezone, currency, language


def load_config(client_dir: str | Path) -> ClientConfig:
    """Read and validate ``CLIENT_DIR/client.yaml``.

    Raises
    ------
    ConfigError
        When the folder name is not a slug, the file is missing or not YAML,
        a key is unknown, or a value has the wrong type or range. The error
        names the file, the line of the key and the key.
    """
    client_dir = Path(client_dir)
    path = client_dir / "client.yaml"
    check_slug(_slug_of(client_dir), path=client_dir)
    if not _is_file(path):
        raise ConfigError(
            "missing client.yaml: every client folder needs one with at least `name:`", path=path
        )
    raw, err = _read_yaml(path, _KEYS)

    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise err("`name` is required and must be a non-empty string", "name" if "name" in raw else None)

    timezone, currency, language = _locale(raw, err)
    monthly_cost = _number(raw.get("monthly_cost", 0), "`monthly_cost`", lambda m: err(m, "monthly_cost"))

    overrides = _cost_overrides(raw, err)
    targets = _targets(raw, err)
    brand = _brand(raw, err, client_dir)

    analyst = raw.get("analyst")
    if analyst is not None and (not isinstance(analyst, str) or not analyst.strip()):
        raise err(f"`analyst` must be the analyst's name (text); got {analyst!r}", "analyst")

    return ClientConfig(
        slug=_slug_of(client_dir),
        name=name.strip(),
        timezone=timezone,
        currency=currency,
        language=language,
        monthly_cost=monthly_cost,
        cost_overrides=overrides,
        costs_given="monthly_cost" in raw or bool(overrides),
        aliases=_names(raw.get("aliases"), "aliases", err),
        competitors=_names(raw.get("competitors"), "competitors", err),
        targets=targets,
        brand=brand,
        path=client_dir,
        analyst=None if analyst is None else analyst.strip(),
    )


# -- the agency (white-label brand of every report) ------------------------------------------------

#: The agency's file at the root of a clients folder (beside the client folders).
AGENCY_FILE = "smmkit.yaml"
_AGENCY_KEYS = ("name", "logo", "footer", "language", "color", "credit")


@dataclass(frozen=True)
class AgencyConfig:
    """The validated contents of ``<clients-dir>/smmkit.yaml``: the agency shown on every page.

    Every field is optional; the defaults (no file) show no agency and no kit branding.
    ``logo`` is the resolved path of the logo file; ``language`` is the language of
    the index page (report pages follow each client's ``client.yaml: language``);
    ``credit`` asks for a "made with smmkit" line in the footers.
    """

    name: str = ""
    logo: Path | None = None
    footer: str = ""
    language: str = "en"
    color: str | None = None
    credit: bool = False
    path: Path | None = None  # the smmkit.yaml file, when there is one


def _text(value: Any, key: str, err) -> str:
    if value is None:
        return ""
    if (
        not isinstance(value, (str, int, float))
        or isinstance(value, bool)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        raise err(f"`{key}` must be text; got {_shown(value)}", key)
    return " ".join(str(value).split())


def load_agency_config(clients_dir: str | Path) -> AgencyConfig:
    """Read and validate ``CLIENTS_DIR/smmkit.yaml`` (the agency brand); defaults when it is absent.

    Keys: ``name`` (text), ``logo`` (a PNG/JPEG/SVG path relative to the file, inside its
    folder), ``footer`` (text), ``language`` (``en`` or ``ru``: the index page),
    ``color`` (``#rrggbb``: the index header), ``credit`` (``true`` adds a "made with
    smmkit" line; default ``false``: no kit branding).

    Raises
    ------
    ConfigError
        When the file is not YAML or not a mapping, a key is unknown, or a value has
        the wrong type; the error names the file, the line of the key and the key.
    """
    path = Path(clients_dir) / AGENCY_FILE
    if not path.is_file():
        return AgencyConfig()
    raw, err = _read_yaml(path, _AGENCY_KEYS)

    language = raw.get("language", "en")
    if language not in LANGUAGES:
        raise err(f"`language` must be one of {', '.join(LANGUAGES)}; got {language!r}", "language")
    color = raw.get("color")
    if color is not None and not is_hex_color(color):
        raise err(f"`color` must be a hex colour like '#0e7490'; got {color!r}", "color")
    credit = raw.get("credit", False)
    if not isinstance(credit, bool):
        raise err(f"`credit` must be true or false; got {credit!r}", "credit")
    logo_path = None
    if raw.get("logo") is not None:
        logo_path = _image_inside(
            path.parent, raw["logo"], "logo", str(path.parent), lambda m: err(m, "logo")
        )
    return AgencyConfig(
        name=_text(raw.get("name"), "name", err),
        logo=logo_path,
        footer=_text(raw.get("footer"), "footer", err),
        language=language,
        color=color,
        credit=credit,
        path=path,
    )


def _image_inside(folder: Path, value: object, key: str, where: str, err) -> Path:
    """The image file ``value`` names, relative to ``folder``, with every link resolved; an error
    naming ``key`` when it is not a relative path, is missing, leads outside ``folder`` (a link to
    ``/etc/passwd`` is never read into a report) or is not a PNG, JPEG, GIF, WebP or SVG image."""
    if not isinstance(value, str) or not value or Path(value).is_absolute() or ".." in Path(value).parts:
        raise err(f"`{key}` must be a path inside {where}; got {value!r}")
    path = Path(folder) / value
    if not os.path.lexists(path):
        raise err(f"`{key}` file not found: {value!r}")
    real = contained(path, folder)
    if real is None:
        raise err(f"`{key}` {value!r} leads outside {where} (a link?); copy the image into it")
    if not real.is_file() or image_kind(real) is None:
        raise err(f"`{key}` {value!r} is not an image; expected a PNG, JPEG, GIF, WebP or SVG file")
    return real


def is_hex_color(value: object) -> bool:
    """Whether ``value`` is a CSS hex colour, ``#rgb`` or ``#rrggbb`` (any case): the rule of
    ``client.yaml: brand.color`` and ``smmkit.yaml: color``, checked wherever a colour goes into CSS."""
    return isinstance(value, str) and _COLOR_RE.fullmatch(value) is not None


def resolve_client_dir(client_dir: str | Path) -> Path:
    """The client folder a notebook parameter names.

    An absolute path is used as is. A relative one is tried against the
    current directory, the notebooks folder (so ``"../data/clients/coffee-point"``
    works wherever papermill runs the notebook), the project root and the
    clients folder (so a bare slug works); the first holding a ``client.yaml`` wins.

    Raises
    ------
    UsageError
        When no candidate holds a ``client.yaml``; the message lists the places tried.
    """
    path = Path(client_dir)
    if path.is_absolute():
        return path
    candidates = [Path.cwd() / path, NOTEBOOKS_DIR / path, PROJ_ROOT / path, CLIENTS_DIR / path]
    for candidate in candidates:
        if (candidate / "client.yaml").is_file():
            return candidate.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise UsageError(f"client_dir {str(client_dir)!r}: no client.yaml found; tried {tried}")
