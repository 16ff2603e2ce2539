"""Hostile workbooks through the real `coop import` and `coop villages import`: each is refused with a clear Chinese
message, writes nothing, and the process stays within a memory bound (measured by wait4, under a hard limit)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, FundingLine, ImprovementPlan, Member, Project, VillageIncome
from coopcore.services.imports import VILLAGES, write_template
from tests.cli.conftest import COOP
from tests.workbook import hostile
from tests.workbook.builders import valid_book, write_book

HARD_LIMIT = 3 * 1024**3  # address space of the command: keeps a regression from taking the machine down
MAX_RSS_MB = 600  # the bound asserted: the zip bomb drove the import past 1,100 MB before the guard
HUGE = "长" * 205_000  # a 205 KB cell


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    max_rss_mb: int

    @property
    def flat(self) -> str:
        """The output without the table's borders and line breaks: messages are wrapped inside table cells."""
        return re.sub(r"[\s│┃|]", "", self.stdout)


def run_limited(*args: str) -> Run:
    """Run `coop --lang zh ARGS…` under hard limits and measure its peak memory (ru_maxrss of this one child)."""

    # On Linux a child's peak memory (ru_maxrss) starts at its parent's own peak when it execs, so measured from
    # this test process it would read the test run's size. A small Python in between runs `coop` as its child,
    # under the limits, and hands back that child's own peak and how it ended.
    wrapper = f"""
import os, resource, sys
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # the abort passed on below leaves no core file either
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, ({HARD_LIMIT}, {HARD_LIMIT}))
    resource.setrlimit(resource.RLIMIT_CPU, (120, 120))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as peak:
    peak.write(str(usage.ru_maxrss))
if os.WIFSIGNALED(status):
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.waitstatus_to_exitcode(status))
"""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        handle, name = tempfile.mkstemp(suffix=".peak")
        os.close(handle)
        peak = Path(name)
        process = subprocess.Popen(
            [sys.executable, "-c", wrapper, str(peak), COOP, "--lang", "zh", *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        process.wait()
        out.seek(0)
        err.seek(0)
        written = peak.read_text()
        peak.unlink()
        assert written, f"the wrapper around coop did not report ({process.returncode})"
        max_rss_kb = int(written)
        return Run(
            process.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            max_rss_kb // 1024,
        )


def cooperative_case(case: str, base: Path, target: Path) -> tuple[Path, str]:
    """A hostile copy of a valid cooperative workbook, and a fragment of the message that must refuse it."""
    if case == "far cell":
        return hostile.far_cell(base, target, "成员"), "XFD1048576单元格有内容"
    if case == "zip bomb":
        return hostile.zip_bomb(base, target, "交易", 1 << 30), "工作簿解压后超过200MB"
    if case == "lying zip bomb":
        return hostile.zip_bomb(base, target, "交易", 300 << 20, lie=True), "与压缩包目录的记载不符"
    if case == "control characters":
        return hostile.text_in_cell(base, target, "成员", "张二", "张\x00二\x1b[31m"), "含有看不见的控制字符U+0000"
    if case == "xlsm renamed":
        return hostile.as_xlsm(base, target), "工作簿含有宏"
    if case == "huge cell":
        return hostile.text_in_cell(base, target, "成员", "张三", HUGE), "…超过100个字符"
    if case == "merged cells":
        return hostile.merged(base, target, "成员", "C5:C7"), "单元格C5:C7是合并单元格"
    if case == "duplicate headers":
        return hostile.set_cell(base, target, "成员", "H3", "姓名或名称*"), "“姓名或名称”列出现了两次"
    raise AssertionError(case)


CASES = [
    "far cell",
    "zip bomb",
    "lying zip bomb",
    "control characters",
    "xlsm renamed",
    "huge cell",
    "merged cells",
    "duplicate headers",
]


def assert_refused(run: Run, message: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stderr[-3000:])
    assert "Traceback" not in run.stderr and "panicked" not in run.stderr, run.stderr[-3000:]
    assert message in run.flat, run.stdout[-3000:]
    assert "未写入任何数据" in run.stdout
    assert len(run.stdout) + len(run.stderr) < 50_000  # no 205 KB cell echoed back
    assert run.max_rss_mb < MAX_RSS_MB, f"{run.max_rss_mb} MB"


@pytest.mark.parametrize("case", CASES)
def test_coop_import_refuses_a_hostile_workbook_clearly_within_bounded_memory_and_writes_nothing(
    case: str, tmp_path: Path
) -> None:
    base = write_book(valid_book(), tmp_path / "valid.xlsx")
    path, message = cooperative_case(case, base, tmp_path / "hostile.xlsx")
    url = f"sqlite:///{tmp_path / 'coop.sqlite3'}"

    run = run_limited("--db", url, "import", str(path))

    assert_refused(run, message)
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Cooperative)) == 0
        assert connection.scalar(select(func.count()).select_from(Member)) == 0
    engine.dispose()


def test_the_dry_run_already_refuses_control_characters(tmp_path: Path) -> None:
    base = write_book(valid_book(), tmp_path / "valid.xlsx")
    path, message = cooperative_case("control characters", base, tmp_path / "hostile.xlsx")

    run = run_limited("--db", f"sqlite:///{tmp_path / 'coop.sqlite3'}", "import", str(path), "--dry-run")

    assert_refused(run, message)
    assert "␀" in run.stdout and "\x00" not in run.stdout and "\x1b[31m" not in run.stdout  # shown, not sent raw


def village_case(case: str, base: Path, target: Path) -> tuple[Path, str]:
    """A hostile copy of the village template (whose example rows import cleanly into the demo)."""
    if case == "far cell":
        return hostile.far_cell(base, target, "提升方案"), "XFD1048576单元格有内容"
    if case == "zip bomb":
        return hostile.zip_bomb(base, target, "提升方案", 1 << 30), "工作簿解压后超过200MB"
    if case == "lying zip bomb":
        return hostile.zip_bomb(base, target, "提升方案", 300 << 20, lie=True), "与压缩包目录的记载不符"
    if case == "control characters":
        return hostile.text_in_cell(
            base, target, "提升方案", "资源、区位", "资源\x00区位"
        ), "含有看不见的控制字符U+0000"
    if case == "xlsm renamed":
        return hostile.as_xlsm(base, target), "工作簿含有宏"
    if case == "huge cell":  # 提升措施 has no length of its own: Excel's 32,767 characters a cell hold
        measures = "1. 党支部领办合作社苹果标准化基地"
        return hostile.text_in_cell(base, target, "提升方案", measures, HUGE), "…超过32767个字符"
    if case == "merged cells":
        return hostile.merged(base, target, "提升方案", "A2:B2"), "单元格A2:B2是合并单元格"
    if case == "duplicate headers":
        return hostile.set_cell(base, target, "提升方案", "M1", "村"), "“村”列出现了两次"
    raise AssertionError(case)


def village_totals(url: str) -> tuple[int, ...]:
    engine = make_engine(url)
    with engine.connect() as connection:
        totals = tuple(
            connection.scalar(select(func.count()).select_from(model)) or 0
            for model in (ImprovementPlan, Project, FundingLine, VillageIncome)
        )
    engine.dispose()
    return totals


@pytest.mark.parametrize("case", CASES)
def test_coop_villages_import_refuses_a_hostile_workbook_the_same_way(case: str, demo_url: str, tmp_path: Path) -> None:
    base = tmp_path / "villages.xlsx"
    write_template(base, VILLAGES)
    path, message = village_case(case, base, tmp_path / "hostile.xlsx")
    before = village_totals(demo_url)

    run = run_limited("--db", demo_url, "villages", "import", str(path))

    assert_refused(run, message)
    assert village_totals(demo_url) == before


def test_the_workbooks_the_hostile_ones_are_made_from_import_cleanly_within_the_same_bound(
    demo_url: str, tmp_path: Path
) -> None:
    book = write_book(valid_book(), tmp_path / "valid.xlsx")
    villages = tmp_path / "villages.xlsx"
    write_template(villages, VILLAGES)

    cooperative = run_limited("--db", f"sqlite:///{tmp_path / 'coop.sqlite3'}", "import", str(book))
    village = run_limited("--db", demo_url, "villages", "import", str(villages))

    for run in (cooperative, village):
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        assert run.max_rss_mb < MAX_RSS_MB
