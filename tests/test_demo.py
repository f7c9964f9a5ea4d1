"""The README's demo command trains to high accuracy."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_demo_trains_the_spirals_mlp_to_over_95_percent():
    out = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")], capture_output=True, text=True, check=True
    )
    accuracies = [float(a) for a in re.findall(r"accuracy (\d+\.\d)%", out.stdout)]
    assert accuracies and accuracies[-1] > 95.0, out.stdout
