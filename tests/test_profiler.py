"""autograd.profile: per-op calls and times, forward and backward apart; the table; shading a drawing."""

import re

import pytest

import autograd as torch
from autograd import instrument
from autograd.viz.styles import time_colour


def stats_by_name(prof) -> dict[str, object]:
    return {s.name: s for s in prof.key_averages()}


def test_counts_calls_per_op_for_forward_and_backward_separately():
    x = torch.ones(3, requires_grad=True)
    with torch.profile() as prof:
        (x * x * x).exp().sum().backward()
    stats = stats_by_name(prof)
    calls = {name: (s.phase, s.calls) for name, s in stats.items()}
    assert calls == {
        "Mul": ("forward", 2),
        "Exp": ("forward", 1),
        "Sum": ("forward", 1),
        "MulBackward": ("backward", 2),
        "ExpBackward": ("backward", 1),
        "SumBackward": ("backward", 1),
    }
    assert all(s.total > 0 and s.mean == pytest.approx(s.total / s.calls) for s in stats.values())


def test_self_time_excludes_ops_run_inside_another_ops_backward():
    x = torch.ones(2, 3, 8, 8, requires_grad=True)
    w = torch.ones(4, 3, 3, 3, requires_grad=True)
    with torch.profile() as prof:
        torch.conv2d(x, w).sum().backward()
    stats = stats_by_name(prof)
    inner = stats["ConvTranspose2d"].total + stats["ConvWeight"].total
    outer = stats["Conv2dBackward"]
    assert outer.self_time == pytest.approx(outer.total - inner, rel=1e-9, abs=1e-12)
    assert stats["ConvTranspose2d"].phase == "forward"


def test_table_is_sorted_by_total_time_with_every_column():
    x = torch.ones(200, 200, requires_grad=True)
    with torch.profile() as prof:
        for _ in range(3):
            (x @ x).tanh().sum().backward()
    table = prof.table()
    lines = table.splitlines()
    assert lines[1].split() == ["Name", "Pass", "Calls", "Total", "Mean", "Self", "Self", "%"]
    rows = [line.split() for line in lines[3:-2]]
    names = [r[0] for r in rows]
    totals = [s.total for s in sorted(prof.key_averages(), key=lambda s: s.total, reverse=True)]
    assert names == [s.name for s in sorted(prof.key_averages(), key=lambda s: s.total, reverse=True)]
    assert totals == sorted(totals, reverse=True)
    assert {r[0]: r[2] for r in rows}["MatMul"] == "3"
    assert re.fullmatch(r"Self time total: [\d.]+(us|ms|s)", lines[-1])
    assert sum(float(r[-1].rstrip("%")) for r in rows) == pytest.approx(100, abs=0.5)


def test_table_accepts_pytorch_sort_keys_and_a_row_limit():
    x = torch.ones(3, requires_grad=True)
    with torch.profile() as prof:
        (x * 2).sum().backward()
    by_count = prof.key_averages().table(sort_by="count", row_limit=2)
    assert len(by_count.splitlines()) == 3 + 2 + 2
    with pytest.raises(ValueError, match="'gpu_time'"):
        prof.table(sort_by="gpu_time")


def test_profiling_stops_at_the_end_of_the_block():
    x = torch.ones(3, requires_grad=True)
    with torch.profile() as prof:
        x * 2
    x * 3
    assert stats_by_name(prof)["Mul"].calls == 1
    assert instrument.observers == []


def test_draw_graph_shades_op_nodes_by_their_time():
    x = torch.ones(300, 300, requires_grad=True)
    with torch.profile() as prof:
        m = x @ x
        s = m.sum()
        y = s * 2
        y.backward(retain_graph=True)
    source = torch.draw_graph(y, profile=prof).source
    slowest = max((m.grad_fn, s.grad_fn, y.grad_fn), key=prof.node_seconds)
    dark, _ = time_colour(1.0)
    line = next(line for line in source.splitlines() if f"<B>{slowest.name().removesuffix('Backward')}</B>" in line)
    assert f'BGCOLOR="{dark}"' in line
    assert "op time: light fast, dark slow" in source
