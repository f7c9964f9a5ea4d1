"""The README's quickstart runs and prints what its comments say."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_quickstart_prints_what_its_comments_say():
    code = re.search(r"```python\n(.*?)```", README.read_text(), re.S).group(1)
    expected = [
        line.split("#")[1].strip().split("  ")[0] for line in code.splitlines() if "print(" in line and "#" in line
    ]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(README), "exec"), {})
    printed = out.getvalue().splitlines()
    assert [p.strip() for p in printed[: len(expected)]] == expected


def test_every_python_block_runs():
    for code in re.findall(r"```python\n(.*?)```", README.read_text(), re.S):
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, str(README), "exec"), {})
