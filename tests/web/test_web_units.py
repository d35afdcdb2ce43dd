"""Pure parts of the web app: policy warnings at their boundaries, access rules, catalogs, snapshots, migrations."""

from __future__ import annotations

import asyncio
import json
from importlib import resources
from pathlib import Path

import pytest

from saylau.errors import AccessDenied, InputError
from saylau.store.users import User
from saylau.web.access import (
    NotAuthenticated,
    check_central,
    check_protocol_write,
    check_warning_handler,
)
from saylau.web.cache import Snapshots
from saylau.web.i18n import LANGUAGES, catalog, choose_language
from saylau.web.policy import INVALID_SHARE, TURNOUT, policy_warnings


def relations(registered: int, found: int, invalid: int) -> list[str]:
    return [r for r, _ in policy_warnings("s", registered, found, invalid)]


def test_invalid_share_warns_at_exactly_fifteen_percent_not_one_below() -> None:
    # Calibrated on clean synthetic protocols (the nation's rate is 3.95%; no clean station reaches 11.3%).
    assert relations(10_000, 1_000, 150) == [INVALID_SHARE]     # exactly 15%
    assert relations(10_000, 1_000, 149) == []                  # one ballot below
    assert relations(10_000, 1_000, 151) == [INVALID_SHARE]
    assert relations(10_000, 1_000, 39) == []                   # the old 3% line no longer alarms
    assert relations(10_000, 0, 0) == []                        # nothing found: no share


def test_turnout_warns_only_above_ninety_five_percent() -> None:
    assert relations(1_000, 950, 0) == []                       # exactly 95%
    assert relations(1_000, 951, 0) == [TURNOUT]                # one ballot above
    assert relations(100_000, 95_000, 0) == []                  # exactly 95% of a big list
    assert relations(100_001, 95_001, 0) == [TURNOUT]           # 95.0005%: above, however little
    assert relations(1_000, 1_000, 0) == ["turnout_full"]       # everyone on the list voted: the graver alarm


STATION = User("psc", "station", None, "R/T/0001")
TERRITORY = User("tec", "territorial", None, "KZ/R/T")
CENTRAL = User("cec", "central")


def write(user: User | None, station: str = "R/T/0001", commission: str = "KZ/R/T", under: str | None = "KZ/R/T",
          correction: bool = False, certified: bool = False) -> User:
    return check_protocol_write(user, election_id="e", station=station, commission=commission,
                                registered_under=under, correction=correction, certified=certified)


def test_access_rules_by_role_and_scope() -> None:
    with pytest.raises(NotAuthenticated):
        write(None)
    assert write(STATION) is STATION
    with pytest.raises(AccessDenied):
        write(STATION, station="R/T/0002")
    with pytest.raises(AccessDenied):
        write(STATION, correction=True)
    with pytest.raises(InputError):  # its own station, claimed under another commission
        write(STATION, commission="KZ/R/U")
    assert write(TERRITORY, station="R/T/0009", correction=True) is TERRITORY
    with pytest.raises(AccessDenied):
        write(TERRITORY, commission="KZ/R/U", under="KZ/R/U")
    with pytest.raises(AccessDenied):  # a station of another territory, renamed into this one
        write(TERRITORY, under="KZ/R/U")
    with pytest.raises(AccessDenied):
        write(User("v", "public"))
    with pytest.raises(AccessDenied):
        write(TERRITORY, certified=True)
    assert write(CENTRAL, certified=True, under="anywhere") is CENTRAL
    with pytest.raises(AccessDenied):
        write(User("x", "central", "other-election"))
    assert check_warning_handler(TERRITORY, election_id="e", station_under="KZ/R/T") is TERRITORY
    with pytest.raises(AccessDenied):
        check_warning_handler(TERRITORY, election_id="e", station_under="KZ/R/U")
    with pytest.raises(AccessDenied):
        check_warning_handler(STATION, election_id="e", station_under="KZ/R/T")
    with pytest.raises(AccessDenied):
        check_central(TERRITORY)


def test_catalogs_have_every_label_in_every_language() -> None:
    folder = resources.files("saylau.i18n") / "messages"
    keys = {lang: set(json.loads((folder / f"{lang}.json").read_text(encoding="utf-8"))) for lang in LANGUAGES}
    assert keys["kk"] == keys["en"] == keys["ru"]
    assert catalog("kk")["votes"] == "Дауыстар" and catalog("ru")["votes"] == "Голоса"
    templates = Path(str(resources.files("saylau.web") / "templates"))
    used = set()
    for template in templates.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        import re

        used |= set(re.findall(r"\bt\.([a-z_]+)", text))
    assert used <= keys["en"], sorted(used - keys["en"])


def test_language_choice_query_then_cookie_then_header() -> None:
    assert choose_language("kk", "ru", "en") == "kk"
    assert choose_language(None, "ru", "kk") == "ru"
    assert choose_language(None, None, "ru-RU,ru;q=0.9,en;q=0.8") == "ru"
    assert choose_language("xx", None, "de") == "en"


def test_snapshots_compute_once_per_change_and_serve_recent_ones_while_recomputing() -> None:
    calls: list[int] = []
    counter = {"seq": 1}

    def compute() -> tuple[int, str]:
        calls.append(counter["seq"])
        return counter["seq"], f"view@{counter['seq']}"

    async def scenario() -> None:
        cache = Snapshots(max_stale=60.0)
        first = await asyncio.gather(*(cache.get("k", 1, compute) for _ in range(5)))
        assert {s.value for s in first} == {"view@1"} and calls == [1]
        counter["seq"] = 2
        stale = await cache.get("k", 2, compute)  # recent enough: served while the new one is computed
        assert stale.value == "view@1"
        fresh = await cache.refresh("k", 2, compute)
        assert fresh.value == "view@2" and calls == [1, 2]
        strict = Snapshots(max_stale=0.0)
        await strict.get("k", 2, compute)
        counter["seq"] = 3
        assert (await strict.get("k", 3, compute)).value == "view@3"

    asyncio.run(scenario())
