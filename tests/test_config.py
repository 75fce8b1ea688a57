"""client.yaml: safe loading and every validation rule of data-contract.md section 1."""

from __future__ import annotations

import pickle

import pytest

from smmkit.config import ClientConfig, check_slug, load_config, resolve_client_dir
from smmkit.errors import ConfigError, UsageError


def write(tmp_path, text: str, *, slug: str = "acme"):
    folder = tmp_path / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "client.yaml").write_text(text, encoding="utf-8")
    return folder


def test_full_config(tmp_path):
    folder = write(
        tmp_path,
        "name: Coffee Point\n"
        "timezone: Europe/Moscow\n"
        "currency: RUB\n"
        "language: ru\n"
        "monthly_cost: 90000\n"
        'cost_overrides: {"2026-10": 120000}\n'
        'aliases: [CoffeePoint, "Кофе Поинт"]\n'
        "competitors: [Brew Bros, Latte Land]\n"
        "targets: {er: 3.5, new_followers: 1500, cpl: 400}\n"
        'brand: {color: "#6b3fa0", logo: logo.png}\n',
    )
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    cfg = load_config(folder)
    assert cfg.slug == "acme"
    assert cfg.name == "Coffee Point"
    assert cfg.timezone == "Europe/Moscow"
    assert cfg.currency == "RUB"
    assert cfg.language == "ru"
    assert cfg.monthly_cost == 90000.0
    assert cfg.cost_overrides == {"2026-10": 120000.0}
    assert cfg.month_cost("2026-10") == 120000.0 and cfg.month_cost("2026-11") == 90000.0
    assert cfg.aliases == ("CoffeePoint", "Кофе Поинт")
    assert cfg.competitors == ("Brew Bros", "Latte Land")
    assert cfg.targets == {"er": 3.5, "new_followers": 1500.0, "cpl": 400.0}
    assert cfg.own_brands == ("coffee point", "coffeepoint", "кофе поинт")
    assert cfg.logo_path == folder / "logo.png"


def test_defaults(tmp_path):
    cfg = load_config(write(tmp_path, "name: Acme\n"))
    assert (cfg.timezone, cfg.currency, cfg.language, cfg.monthly_cost) == ("UTC", "USD", "en", 0.0)
    assert cfg.cost_overrides == {} and cfg.aliases == () and cfg.targets == {}


def test_config_pickles(tmp_path):
    cfg = load_config(write(tmp_path, "name: Acme\naliases: [A]\n"))
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    assert isinstance(cfg, ClientConfig)


def test_unquoted_year_month_key_is_a_string_and_accepted(tmp_path):
    # PyYAML's safe loader reads `2026-10` as the string '2026-10' (only YYYY-MM-DD is a date).
    cfg = load_config(write(tmp_path, "name: Acme\ncost_overrides: {2026-10: 5}\n"))
    assert cfg.cost_overrides == {"2026-10": 5.0}


@pytest.mark.parametrize(
    ("text", "pattern", "line", "column"),
    [
        (
            "name: Acme\ntimezon: Europe/Moscow\n",
            r"unknown key 'timezon'; expected one of: name, timezone",
            2,
            "timezon",
        ),
        (
            "name: Acme\ntimezone: Europe/Mosow\n",
            r"`timezone` must be an IANA time zone name .*got 'Europe/Mosow'",
            2,
            "timezone",
        ),
        ("name: Acme\ntimezone: 3\n", r"`timezone` must be an IANA time zone name", 2, "timezone"),
        ("timezone: UTC\n", r"`name` is required", None, None),
        ("name: '  '\n", r"`name` is required and must be a non-empty string", 1, "name"),
        ("name: Acme\nlanguage: de\n", r"`language` must be one of en, ru; got 'de'", 2, "language"),
        ("name: Acme\ncurrency: rub\n", r"`currency` must be an ISO 4217 code", 2, "currency"),
        ("name: Acme\nmonthly_cost: -5\n", r"`monthly_cost` must not be negative; got -5", 2, "monthly_cost"),
        (
            "name: Acme\nmonthly_cost: lots\n",
            r"`monthly_cost` must be a number; got 'lots'",
            2,
            "monthly_cost",
        ),
        (
            "name: Acme\ncost_overrides: {2026-10-01: 5}\n",
            r"keys must be quoted 'YYYY-MM' month strings; got datetime.date\(2026, 10, 1\)",
            2,
            "cost_overrides",
        ),
        (
            "name: Acme\ncost_overrides: {'2026-13': 5}\n",
            r"keys must be quoted 'YYYY-MM' month strings; got '2026-13'",
            2,
            "cost_overrides",
        ),
        (
            "name: Acme\ncost_overrides: [1, 2]\n",
            r"`cost_overrides` must map 'YYYY-MM' to an amount",
            2,
            "cost_overrides",
        ),
        (
            "name: Acme\ntargets: {engagement: 3}\n",
            r"`targets` has unknown KPI key 'engagement'",
            2,
            "targets",
        ),
        (
            "name: Acme\ntargets: {er: high}\n",
            r"`targets\['er'\]` must be a number; got 'high'",
            2,
            "targets",
        ),
        (
            "name: Acme\nbrand: {color: purple}\n",
            r"`brand.color` must be a hex colour like '#6b3fa0'; got 'purple'",
            2,
            "brand",
        ),
        ("name: Acme\nbrand: {colour: '#fff'}\n", r"unknown key 'brand.colour'", 2, "brand"),
        (
            "name: Acme\nbrand: {logo: missing.png}\n",
            r"`brand.logo` file not found: 'missing.png'",
            2,
            "brand",
        ),
        (
            "name: Acme\nbrand: {logo: ../logo.png}\n",
            r"`brand.logo` must be a path inside the client folder",
            2,
            "brand",
        ),
        ("name: Acme\naliases: {a: 1}\n", r"`aliases` must be a list of names", 2, "aliases"),
        ("- name\n- Acme\n", r"expected a mapping of keys to values; got list", 1, None),
        ("name: [Acme\n", r"not valid YAML", 2, None),
    ],
)
def test_invalid_config(tmp_path, text, pattern, line, column):
    with pytest.raises(ConfigError, match=pattern) as info:
        load_config(write(tmp_path, text))
    assert info.value.path.endswith("client.yaml")
    assert (info.value.line, info.value.column) == (line, column)


def test_safe_loader_refuses_python_tags(tmp_path):
    folder = write(tmp_path, "name: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(folder)


def test_missing_client_yaml(tmp_path):
    (tmp_path / "acme").mkdir()
    with pytest.raises(ConfigError, match="missing client.yaml"):
        load_config(tmp_path / "acme")


@pytest.mark.parametrize("slug", ["Acme", "acme.co", "my client", "-acme", "_acme", "a" * 64, "acmé"])
def test_bad_slug_folder_name(tmp_path, slug):
    with pytest.raises(ConfigError, match=rf"client folder name '{slug}' is not a valid slug"):
        load_config(write(tmp_path, "name: Acme\n", slug=slug))


@pytest.mark.parametrize("slug", ["acme", "a", "coffee-point", "shop_2", "0x", "a" * 63])
def test_good_slugs(slug):
    assert check_slug(slug) == slug


@pytest.mark.parametrize("slug", ["..", ".", "a/b", "", None])
def test_check_slug_refuses(slug):
    with pytest.raises(ConfigError, match="is not a valid slug"):
        check_slug(slug)


def test_resolve_client_dir(tmp_path, monkeypatch):
    client = tmp_path / "acme"
    client.mkdir()
    (client / "client.yaml").write_text("name: Acme\n")
    assert resolve_client_dir(client) == client
    monkeypatch.chdir(tmp_path)
    assert resolve_client_dir("acme") == client.resolve()
    with pytest.raises(UsageError, match="client_dir 'nope': no client.yaml found; tried"):
        resolve_client_dir("nope")
    assert (
        resolve_client_dir("../data/clients/coffee-point").name == "coffee-point"
    )  # from the notebooks folder
