"""`coop villages status` and `coop contracts status` run as a township official runs them, on the demo data."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

COOP = str(Path(sys.executable).with_name("coop"))


def coop(*args: str, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    return subprocess.run([COOP, "--lang", lang, *args], capture_output=True, text=True, timeout=300)


def test_the_demo_shows_fifteen_weak_villages_at_every_stage_some_achieved_some_at_risk(demo_url: str) -> None:
    result = coop("--db", demo_url, "villages", "status", "--year", "2024", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = report["villages"]
    assert len(rows) == 15 and report["as_of"] == "2024-12-31"
    assert {row["plan_status"] for row in rows} == {"filed", "in_progress", "achieved", "monitored"}
    statuses = Counter(row["status"] for row in rows)
    assert statuses["weak"] > 0 and statuses["achieved"] > 0
    risks = {risk["kind"] for row in rows for risk in row["risks"]}
    assert {"income_fell", "milestone_overdue", "funds_idle", "overspent"} <= risks
    assert all(row["progress_shown"] is None or 0 <= float(row["progress_shown"]) <= 100 for row in rows)
    assert [t["township"] for t in report["townships"]] == ["凤鸣街道", "泉山街道"]
    assert all(
        set(t["funds"]) == {"connection_fund", "collective_support_fund", "social_aid", "self_raised"}
        for t in report["townships"]
    )


def test_the_village_status_speaks_chinese_with_township_totals(demo_url: str) -> None:
    result = coop("--db", demo_url, "villages", "status", "--year", "2024")
    assert result.returncode == 0, result.stderr
    for text in (
        "凤鸣街道 2024 年村集体经济情况",
        "薄弱村",
        "已达标",
        "推进中",
        "已摘帽",
        "巩固监测",
        "已建档",
        "资金闲置",
        "超支",
        "收入下降",
        "项目滞后",
        "凤鸣街道 2024 年汇总",
        "衔接资金",
        "¥",
    ):
        assert text in result.stdout, text


def test_the_village_status_speaks_english_for_one_township(demo_url: str) -> None:
    result = coop("--db", demo_url, "villages", "status", "--township", "泉山街道", "--year", "2024", lang="en")
    assert result.returncode == 0, result.stderr
    assert "泉山街道: villages in 2024" in result.stdout and "target reached" in result.stdout
    assert "凤鸣街道" not in result.stdout
    assert "Operating income fell from" in result.stdout


def test_an_unknown_township_is_a_clear_error(demo_url: str) -> None:
    result = coop("--db", demo_url, "villages", "status", "--township", "无名镇", "--year", "2024")
    assert result.returncode == 2
    assert "未找到乡镇（街道）" in result.stderr and "Traceback" not in result.stderr


def test_contract_status_prints_enterprises_and_contracts_in_chinese(demo_url: str) -> None:
    result = coop("--db", demo_url, "contracts", "status", "--year", "2023")
    assert result.returncode == 0, result.stderr
    for text in (
        "2023 年龙头企业订单履约情况",
        "国家重点龙头企业",
        "保护价触发次数",
        "按期付款率",
        "结算金额",
        "第五百八十六条",
        "等级构成",
    ):
        assert text in result.stdout, text


def test_contract_status_as_json_covers_every_price_rule_and_traces_deliveries(demo_url: str) -> None:
    contracts = []
    for year in ("2023", "2024"):
        result = coop("--db", demo_url, "contracts", "status", "--year", year, "--json", lang="en")
        assert result.returncode == 0, result.stderr
        contracts += json.loads(result.stdout)["contracts"]
    assert {c["price_rule"] for c in contracts} == {"fixed", "protective", "market_plus", "higher_of"}
    over = [c for c in contracts if c["deposit"] and c["deposit"]["over_cap"]]
    assert [(c["code"], c["cooperative"]) for c in over] == [("DD2023-01", "杏花葡萄土地股份专业合作社")]
    assert any(c["metrics"]["protective_price_applied"] for c in contracts)
    deliveries = [d for c in contracts for d in c["deliveries"]]
    assert any(d["supplied_by"] for d in deliveries)
    assert all(d["amount"] == "0" or d["accepted"] != "0.0000" for d in deliveries)


def test_contract_status_for_one_enterprise_in_english(demo_url: str) -> None:
    result = coop(
        "--db", demo_url, "contracts", "status", "--enterprise", "烟台金果汁业股份有限公司", "--year", "2024", lang="en"
    )
    assert result.returncode == 0, result.stderr
    assert "national leading enterprise" in result.stdout and "晨靓果业专业合作社" in result.stdout
    assert "山东海岸葡萄酒有限公司" not in result.stdout


def test_contract_status_refuses_both_filters_and_unknown_parties(demo_url: str) -> None:
    both = coop("--db", demo_url, "contracts", "status", "--year", "2024", "--coop", "x", "--enterprise", "y")
    assert both.returncode == 2 and "只能选其一" in both.stderr
    unknown = coop("--db", demo_url, "contracts", "status", "--year", "2024", "--enterprise", "无此企业")
    assert unknown.returncode == 2 and "未找到龙头企业" in unknown.stderr and "Traceback" not in unknown.stderr


def test_the_village_template_imports_as_a_dry_run_and_a_broken_copy_is_refused(demo_url: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    path = tmp_path / "villages.xlsx"
    written = coop("--db", demo_url, "villages", "template", str(path))
    assert written.returncode == 0 and path.exists()
    dry = coop("--db", demo_url, "villages", "import", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "试导入检查完成" in dry.stdout
    book = load_workbook(path)
    book["产业项目"]["F2"] = "三十万"  # budget as words
    book["村集体收入"]["B2"] = "无此村"
    book.save(path)
    broken = coop("--db", demo_url, "villages", "import", str(path), lang="en")
    assert broken.returncode == 2
    assert "is not a number" in broken.stdout and "There is no village 无此村" in broken.stdout
    assert "Nothing was written" in broken.stdout and "Traceback" not in broken.stderr
