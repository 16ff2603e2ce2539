"""Long PDFs written in parts of PAGES_PER_PART pages and joined, so that memory does not grow with the pages.

reportlab keeps every finished page of a document (its content stream, uncompressed) until it saves the file, and
then formats the whole file in memory: about 20 KB a page of member accounts. A long report is therefore rendered
into parts in a temporary folder beside the output, each part saved and let go as soon as it is full, and the parts
are joined into the one file by qpdf in a subprocess, which copies the pages without drawing them again and keeps
the first part's title and author (poppler's pdfunite drops them and writes a trailer that qpdf --check rejects).
A document that fits in one part is written directly and needs no qpdf.
"""

from __future__ import annotations

import gc
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

PAGES_PER_PART = 100  # 1-2 MB of pages held at a time; larger parts would mean fewer copies of the font subsets
JOINER = "qpdf"


def pages_per_part() -> int:
    """Pages in each part; the whole document in one part when qpdf is missing (correct, only not flat)."""
    return PAGES_PER_PART if shutil.which(JOINER) else 1 << 62


@contextmanager
def parts(path: Path) -> Iterator[Callable[[], Path]]:
    """Yield a function that names each next part; on success join the parts into path.

    The caller must hold the previous part no more when it asks for the next one: reportlab's documents and
    canvases are webs of reference cycles (templates call back into their document), which Python's collector may
    leave for many parts, so the finished one is collected then, and one part's pages are held at a time.
    """
    with tempfile.TemporaryDirectory(prefix=f".{path.stem}-", dir=path.parent) as folder:
        made: list[Path] = []

        def new_part() -> Path:
            if made:
                gc.collect()
            made.append(Path(folder) / f"part-{len(made) + 1:05d}.pdf")
            return made[-1]

        yield new_part
        join(made, path)


def join(made: list[Path], path: Path) -> None:
    """Join the parts in order into path (the first part's title, author and settings are kept)."""
    if len(made) == 1:
        made[0].replace(path)
        return
    joined = made[0].with_name("joined.pdf")
    # --deterministic-id: the same parts give the same bytes, as reportlab's invariant mode does for one part.
    command = [JOINER, "--deterministic-id", str(made[0]), "--pages", ".", *map(str, made[1:]), "--", str(joined)]
    subprocess.run(command, check=True, capture_output=True)
    joined.replace(path)
