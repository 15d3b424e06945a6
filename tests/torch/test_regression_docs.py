"""The PyTorch example of docs/regression.md runs as written, and its FDS calibrates."""

from __future__ import annotations

import re
from pathlib import Path

import torch

DOC = Path(__file__).resolve().parents[2] / "docs" / "regression.md"


def test_the_pytorch_example_runs():
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## PyTorch", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], str(DOC), "exec"), namespace)
    fds = namespace["fds"]
    assert fds.epoch == 2 and int(fds.running_count.sum()) == 1000 * 2  # epochs 0, 1 folded
    assert torch.isfinite(namespace["test_pred"]).all()
    assert torch.isfinite(namespace["loss"]) and namespace["criterion"].noise_sigma.grad is not None
