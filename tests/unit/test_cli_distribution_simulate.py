"""`coop distribution simulate` computes a case given as JSON, with no database: example 1 to the fen, bad input
refused."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from tests.cli.conftest import coop

EXAMPLE_1 = Path(__file__).parents[1] / "distribution" / "example_1.json"


def test_simulate_prints_example_one_exactly(tmp_path: Path) -> None:
    result = coop("distribution", "simulate", str(EXAMPLE_1))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert (output["provident_fund"], output["distributable"]) == ("18222.22", "163999.96")
    assert (output["patronage_pool"], output["residual_pool"]) == ("114799.97", "49199.99")
    members = {m["code"]: m for m in output["members"]}
    assert [m["code"] for m in output["members"]] == ["M01", "M02", "M03", "M04", "M05", "M06"]
    assert members["M05"]["patronage_return"] == "35152.17"
    assert members["M01"]["total"] == "15674.10" and members["M01"]["residual_weight"] == "77166.67"
    assert sum(Decimal(m["total"]) for m in output["members"]) == Decimal("163999.96")


def test_simulate_refuses_bad_input_with_exit_code_two(tmp_path: Path) -> None:
    case = json.loads(EXAMPLE_1.read_text(encoding="utf-8"))
    for change, message in [
        ({"policy": {**case["policy"], "patronage_ratio": "0.55"}}, "60%"),
        ({"surplus": 186543.27}, "surplus"),
        ({"surplus": "12.345"}, "surplus"),
        ({"members": []}, "members"),
    ]:
        path = tmp_path / "case.json"
        path.write_text(json.dumps({**case, **change}), encoding="utf-8")
        result = coop("distribution", "simulate", str(path), lang="en")
        assert result.returncode == 2, change
        assert message in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert coop("distribution", "simulate", str(tmp_path / "broken.json")).returncode == 2
