"""The fused focal path against the autograd reference; backward semantics; compile fallback."""

from __future__ import annotations

import os
import shutil

import pytest
import torch

from imbalance.torch import _fused
from imbalance.torch import functional as LF
from imbalance.torch._loss_focal import sigmoid_focal_reference, softmax_focal_reference
from imbalance.torch.functional import asymmetric_loss, sigmoid_focal_loss, softmax_focal_loss

TOL = {
    torch.float64: {"rtol": 1e-12, "atol": 1e-14},
    torch.float32: {"rtol": 1e-5, "atol": 1e-7},
    torch.bfloat16: {"rtol": 2**-7, "atol": 1e-5},
    torch.float16: {"rtol": 2**-10, "atol": 1e-6},
}
SIGMOID_CASES = [
    {},
    {"alpha": 0.25, "gamma": 0.5},
    {"alpha": [0.1, 0.5, 0.9, 0.3, 0.7], "gamma": 3.0},
    {"pos_weight": [1.0, 2.0, 5.0, 0.5, 1.0], "gamma": 1.0},
    {"alpha": 0.4, "gamma": 2.0, "weight": "rows", "mask": "random"},
]


def _sigmoid_data(dtype, seed=0):
    gen = torch.Generator().manual_seed(seed)
    logits = (4 * torch.randn(30, 5, generator=gen)).to(dtype)
    target = torch.rand(30, 5, generator=gen).to(dtype)  # soft targets
    extras = {
        "rows": torch.rand(30, 1, generator=gen).to(dtype),
        "random": torch.rand(30, 5, generator=gen) < 0.8,
    }
    return logits, target, extras


def _with_grad(fn, logits):
    x = logits.clone().requires_grad_()
    loss = fn(x)
    (grad,) = torch.autograd.grad(loss.sum(), x)
    return loss, grad


def _resolve(case, extras):
    return {k: extras[v] if isinstance(v, str) else v for k, v in case.items()}


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16, torch.float16])
@pytest.mark.parametrize("case", SIGMOID_CASES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_sigmoid_fused_matches_reference(dtype, case, reduction):
    logits, target, extras = _sigmoid_data(dtype)
    kw = _resolve(case, extras)
    fused = _with_grad(lambda x: sigmoid_focal_loss(x, target, reduction=reduction, **kw), logits)
    # A target that needs a gradient sends the call through the autograd reference.
    t_ref = target.clone().requires_grad_()
    ref = _with_grad(lambda x: sigmoid_focal_loss(x, t_ref, reduction=reduction, **kw), logits)
    for a, b in zip(fused, ref, strict=True):
        assert a.dtype == b.dtype == dtype
        torch.testing.assert_close(a.double(), b.double(), **TOL[dtype])


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16, torch.float16])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("alpha", [None, [0.5, 1.0, 2.0, 4.0]])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_softmax_fused_matches_reference(dtype, smoothing, alpha, reduction):
    gen = torch.Generator().manual_seed(1)
    logits = (4 * torch.randn(25, 4, generator=gen)).to(dtype)
    target = torch.randint(0, 4, (25,), generator=gen)
    target[::6] = -100
    kw = {"gamma": 1.5, "label_smoothing": smoothing, "reduction": reduction}
    fused = _with_grad(lambda x: softmax_focal_loss(x, target, alpha=alpha, **kw), logits)
    a_ref = None if alpha is None else torch.tensor(alpha, dtype=torch.float64).requires_grad_()
    ref = _with_grad(lambda x: softmax_focal_loss(x, target, alpha=a_ref, **kw), logits)
    for a, b in zip(fused, ref, strict=True):
        assert a.dtype == dtype
        torch.testing.assert_close(a.double(), b.double(), **TOL[dtype])


def test_reference_functions_agree_with_public_ones():
    logits, target, _ = _sigmoid_data(torch.float64, seed=2)
    one = torch.ones((), dtype=torch.float64)
    ref = sigmoid_focal_reference(logits, target, one, one, None, None, 2.0)
    torch.testing.assert_close(ref, sigmoid_focal_loss(logits, target, reduction="none"))
    y = target.argmax(dim=1)
    valid = torch.ones_like(y, dtype=torch.bool)
    ref = softmax_focal_reference(logits, y, valid, None, None, 2.0)
    torch.testing.assert_close(ref, softmax_focal_loss(logits, y, reduction="none"))


def test_retained_graph_backward_twice_gives_the_same_gradient():
    logits, target, _ = _sigmoid_data(torch.float32, seed=3)
    x = logits.clone().requires_grad_()
    loss = sigmoid_focal_loss(x, target, gamma=2.0)
    loss.backward(retain_graph=True)
    first = x.grad.clone()
    x.grad = None
    loss.backward()  # the stored gradient was consumed: recomputed from the saved logits
    torch.testing.assert_close(x.grad, first)


def test_incoming_gradient_scales_the_result():
    logits, target, _ = _sigmoid_data(torch.float64, seed=4)
    x = logits.clone().requires_grad_()
    (g1,) = torch.autograd.grad(sigmoid_focal_loss(x, target), x)
    (g3,) = torch.autograd.grad(3.0 * sigmoid_focal_loss(x, target), x)
    torch.testing.assert_close(g3, 3 * g1)
    weights = torch.rand(30, 5, dtype=torch.float64)
    per = sigmoid_focal_loss(x, target, reduction="none")
    (g_none,) = torch.autograd.grad((per * weights).sum(), x)
    (g_w,) = torch.autograd.grad(sigmoid_focal_loss(x, target, weight=weights, reduction="sum"), x)
    torch.testing.assert_close(g_none, g_w)
    y = target.argmax(dim=1)
    row_w = torch.rand(30, dtype=torch.float64)
    (g_rows,) = torch.autograd.grad((softmax_focal_loss(x, y, reduction="none") * row_w).sum(), x)
    ref = softmax_focal_reference(x, y, torch.ones_like(y, dtype=torch.bool), None, None, 2.0)
    (g_ref,) = torch.autograd.grad((ref * row_w).sum(), x)
    torch.testing.assert_close(g_rows, g_ref)


def test_fused_path_saves_only_the_logits():
    logits, target, _ = _sigmoid_data(torch.float32, seed=5)
    saved = []

    def pack(t):
        saved.append(t)
        return t

    x = logits.clone().requires_grad_()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        sigmoid_focal_loss(x, target, alpha=0.25)
    assert len(saved) == 1 and saved[0] is x
    saved.clear()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        sigmoid_focal_loss(x, target.clone().requires_grad_(), alpha=0.25)  # the reference
    assert len(saved) > 5


def test_no_grad_gives_the_same_loss():
    logits, target, _ = _sigmoid_data(torch.float32, seed=6)
    with_grad = sigmoid_focal_loss(logits.clone().requires_grad_(), target)
    with torch.no_grad():
        without = sigmoid_focal_loss(logits.clone().requires_grad_(), target)
    assert without.grad_fn is None
    torch.testing.assert_close(without, with_grad.detach())


@pytest.fixture
def fresh_compile_state(monkeypatch):
    monkeypatch.setattr(_fused, "_compiled", {})
    monkeypatch.setattr(_fused, "_failed", set())


def test_small_inputs_never_compile(monkeypatch, fresh_compile_state):
    def refuse(*args, **kwargs):
        raise AssertionError("torch.compile must not be called for small inputs")

    monkeypatch.setattr(torch, "compile", refuse)
    monkeypatch.delenv("IMBALANCE_TORCH_COMPILE", raising=False)
    logits, target, _ = _sigmoid_data(torch.float32)
    sigmoid_focal_loss(logits.requires_grad_(), target).backward()
    monkeypatch.setenv("IMBALANCE_TORCH_COMPILE", "0")
    big = torch.zeros(_fused.COMPILE_MIN_NUMEL // 8, 8)
    softmax_focal_loss(big, torch.zeros(len(big), dtype=torch.long))


def test_compile_failure_falls_back_to_eager_once(monkeypatch, fresh_compile_state):
    calls = []

    def broken(fn, **kwargs):
        calls.append(fn)

        def run(*args):
            raise RuntimeError("no compiler here")

        return run

    monkeypatch.setattr(torch, "compile", broken)
    monkeypatch.setenv("IMBALANCE_TORCH_COMPILE", "1")
    logits, target, _ = _sigmoid_data(torch.float64, seed=7)
    x = logits.clone().requires_grad_()
    with pytest.warns(RuntimeWarning, match=r"could not compile sigmoid_focal_kernel.*eager"):
        loss = sigmoid_focal_loss(x, target)
    loss.backward()
    monkeypatch.setenv("IMBALANCE_TORCH_COMPILE", "0")
    expected = _with_grad(lambda v: sigmoid_focal_loss(v, target), logits)
    torch.testing.assert_close(loss.detach(), expected[0])
    torch.testing.assert_close(x.grad, expected[1])
    monkeypatch.setenv("IMBALANCE_TORCH_COMPILE", "1")
    sigmoid_focal_loss(x, target)  # no second warning, no second compile attempt
    assert len(calls) == 1


@pytest.mark.slow
@pytest.mark.skipif(
    not any(shutil.which(c) for c in (os.environ.get("CXX", "g++"), "g++", "c++")),
    reason="torch.compile on CPU needs a C++ compiler",
)
# torch's own compiler stack imports torch.jit pieces that warn on import (torch 2.13).
@pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated:DeprecationWarning")
def test_compiled_kernels_match_eager(monkeypatch, fresh_compile_state):
    """Runs the real torch.compile (tens of seconds the first time on a CPU)."""
    gen = torch.Generator().manual_seed(8)
    logits = 4 * torch.randn(64, 6, generator=gen)
    target = (torch.rand(64, 6, generator=gen) < 0.3).float()
    y = torch.randint(0, 6, (64,), generator=gen)
    cases = [
        lambda x: sigmoid_focal_loss(x, target, alpha=0.25, gamma=2.0),
        lambda x: softmax_focal_loss(x, y, gamma=2.0),
    ]
    for fn in cases:
        monkeypatch.setenv("IMBALANCE_TORCH_COMPILE", "0")
        eager = _with_grad(fn, logits)
        monkeypatch.setenv("IMBALANCE_TORCH_COMPILE", "1")
        compiled = _with_grad(fn, logits)
        for a, b in zip(compiled, eager, strict=True):
            torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-7)
    assert not _fused._failed


@pytest.mark.slow
@pytest.mark.skipif(
    not any(shutil.which(c) for c in (os.environ.get("CXX", "g++"), "g++", "c++")),
    reason="torch.compile on CPU needs a C++ compiler",
)
@pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated:DeprecationWarning")
# Raised inside dynamo itself when it traces any autograd.Function (torch 2.13).
@pytest.mark.filterwarnings("ignore:.*Function'> should not be instantiated:DeprecationWarning")
def test_losses_trace_without_graph_breaks_in_a_compiled_training_step():
    """A user's torch.compile(fullgraph=True) goes through the fused losses and their checks."""
    gen = torch.Generator().manual_seed(9)
    layer = torch.nn.Linear(8, 5)
    x = torch.randn(32, 8, generator=gen)
    target = (torch.rand(32, 5, generator=gen) < 0.3).float()
    y = torch.randint(0, 5, (32,), generator=gen)

    def step(x, target, y):
        z = layer(x)
        multi = sigmoid_focal_loss(z, target, alpha=0.25) + asymmetric_loss(z, target)
        return multi + softmax_focal_loss(z, y, alpha=[1] * 5)

    results = []
    for fn in (step, torch.compile(step, fullgraph=True)):
        loss = fn(x, target, y)
        (grad,) = torch.autograd.grad(loss, layer.weight)
        results.append((loss.detach(), grad))
    for a, b in zip(*results, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16, torch.float16])
@pytest.mark.parametrize(
    "case",
    [
        {},
        {"gamma_pos": 1.0, "gamma_neg": 0.0, "clip": 0.2},
        {"gamma_pos": 0.5, "gamma_neg": 2.5, "clip": 0.0},
        {"gamma_neg": 0.5, "clip": 0.05, "weight": "rows", "mask": "random"},
    ],
)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_asymmetric_fused_matches_reference(dtype, case, reduction):
    logits, target, extras = _sigmoid_data(dtype, seed=10)
    target = (target > 0.7).to(dtype)
    kw = _resolve(case, extras)
    fused = _with_grad(lambda x: asymmetric_loss(x, target, reduction=reduction, **kw), logits)
    # The reference in float64 on the same inputs: in float32 the fused kernel is the more
    # accurate of the two (it works from log-sigmoids), so it is held to the exact values.
    t_ref = target.double().requires_grad_()
    kw64 = {
        k: v.double() if isinstance(v, torch.Tensor) and v.is_floating_point() else v
        for k, v in kw.items()
    }
    ref = _with_grad(
        lambda x: asymmetric_loss(x, t_ref, reduction=reduction, **kw64), logits.double()
    )
    for a, b in zip(fused, ref, strict=True):
        assert a.dtype == dtype
        torch.testing.assert_close(a.double(), b, **TOL[dtype])


@pytest.fixture
def fused_without_compiler(monkeypatch, fresh_compile_state):
    """Take the compiled-size code paths, with torch.compile replaced by running eagerly."""
    monkeypatch.setattr(torch, "compile", lambda fn, **kwargs: fn)
    monkeypatch.setenv("IMBALANCE_TORCH_COMPILE", "1")
    return monkeypatch


CE_FAMILY = {
    "logit_adjusted": lambda x, y, **kw: LF.logit_adjusted_loss(
        x, y, class_counts=[50, 20, 5, 1], tau=0.7, **kw
    ),
    "balanced_softmax": lambda x, y, **kw: LF.balanced_softmax_loss(
        x, y, class_counts=[50, 20, 5, 1], **kw
    ),
    "ldam": lambda x, y, **kw: LF.ldam_loss(
        x, y, class_counts=[50, 20, 5, 1], max_margin=0.4, scale=3.0, **kw
    ),
    "class_balanced": lambda x, y, weight=None, **kw: LF.class_balanced_loss(
        x, y, class_counts=[50, 20, 5, 1], beta=0.99, **kw
    ),
}


@pytest.mark.parametrize("name", sorted(CE_FAMILY))
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("spatial", [False, True])
def test_cross_entropy_family_fused_matches_torch_path(
    fused_without_compiler, name, dtype, reduction, spatial
):
    gen = torch.Generator().manual_seed(11)
    shape = (6, 4, 3) if spatial else (18, 4)
    logits = (3 * torch.randn(shape, generator=gen)).to(dtype)
    target = torch.randint(0, 4, shape[:1] + shape[2:], generator=gen)
    target.view(-1)[::5] = -100
    kw = {"reduction": reduction, "weight": [1.0, 2.0, 0.5, 3.0]}
    fused = _with_grad(lambda x: CE_FAMILY[name](x, target, **kw), logits)
    assert _fused._compiled  # the fused kernel ran
    # Against torch's cross_entropy path in float64 on the same inputs.
    fused_without_compiler.setenv("IMBALANCE_TORCH_COMPILE", "0")
    ref = _with_grad(lambda x: CE_FAMILY[name](x, target, **kw), logits.double())
    # float32: p_j - [j == y] cancels near p = 1, to a few ulps of weight * scale (up to 9).
    tol = {"rtol": 1e-5, "atol": 1e-5} if dtype == torch.float32 else TOL[dtype]
    for a, b in zip(fused, ref, strict=True):
        assert a.dtype == dtype and a.shape == b.shape
        torch.testing.assert_close(a.double(), b, **tol)
