"""Read an uploaded workbook once in a child process with memory and CPU limits, so no file can take the server.

The guard (guard.py) keeps the hostile files we know of away from calamine; this is the wall for the ones
nobody has thought of: a native abort, an allocation the limits stop, a loop. The child only opens and reads
every sheet; its exit status is all the parent learns, so nothing it parsed can reach the server's process.
"""

from __future__ import annotations

import logging
import resource
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopcore.services.workbook.guard import load_sheet, open_workbook

if TYPE_CHECKING:
    from coopcore.rules.findings import Finding

log = logging.getLogger(__name__)

# Address space of the child: Python with coopcore (about 300 MB), the largest grid the guard lets through
# (256 MB) and the cells as Python objects, with room to spare.
MEMORY_BYTES = 2 * 1024**3
CPU_SECONDS = 120  # reading the largest allowed workbook takes a few seconds
WALL_SECONDS = 300

UNREADABLE = (
    "The workbook could not be read within {memory} MB of memory and {seconds} seconds of processing, so it "
    "was refused: it is damaged or built to harm the server. Open it in Excel, save it again and check it again."
)
TEMPLATES = (UNREADABLE,)


def read_in_child(path: Path, *, memory_bytes: int = MEMORY_BYTES, cpu_seconds: int = CPU_SECONDS) -> list[Finding]:
    """Read the workbook in a child process under limits; no problem if it read through, else the one problem."""
    command = [sys.executable, "-m", __name__, str(path), str(memory_bytes), str(cpu_seconds)]
    try:
        child = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, timeout=WALL_SECONDS, check=False
        )
        if child.returncode == 0:
            return []
        log.warning("Reading %s failed in the child (exit %s): %s", path.name, child.returncode, child.stderr[:500])
    except subprocess.TimeoutExpired:
        log.warning("Reading %s took more than %s seconds; the child was stopped", path.name, WALL_SECONDS)
    from coopcore.services.workbook.report import Problems  # here: the child never imports the models

    problems = Problems()
    problems.error(UNREADABLE, memory=memory_bytes // 1024**2, seconds=cpu_seconds)
    return problems.items


def _read(path: Path, memory_bytes: int, cpu_seconds: int) -> None:
    # Limits first: everything after this line runs inside them. No core file of a crash lands on the server.
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    problems = _Ignored()  # what the guard or calamine refuse cleanly, the parent reports by itself
    workbook = open_workbook(path, problems)
    if workbook is None:
        return
    for name in workbook.sheet_names:
        sheet = load_sheet(workbook, name, problems)
        if sheet is not None:
            for _ in sheet.iter_rows():
                pass


class _Ignored:
    def error(self, template: str, **fields: Any) -> None:
        pass


if __name__ == "__main__":
    _read(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
