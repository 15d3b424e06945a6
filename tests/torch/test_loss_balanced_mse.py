"""Balanced MSE (BMC, GAI, BNI): values against direct computations, the learnable noise, checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.torch import BalancedMSELoss
from imbalance.torch.functional import balanced_mse_loss

GEN = torch.Generator().manual_seed(1)
PRED = torch.randn(10, generator=GEN, dtype=torch.float64)
TARGET = torch.randn(10, generator=GEN, dtype=torch.float64)
MIX = {"means": [-1.0, 0.5, 2.0], "variances": [0.3, 0.1, 1.5], "weights": [0.5, 0.3, 0.2]}
SETTINGS = settings(max_examples=30, deadline=None)


def _normal_pdf(x, mean, var):
    var = torch.as_tensor(var, dtype=torch.float64)
    return torch.exp(-((x - mean) ** 2) / (2 * var)) / torch.sqrt(2 * math.pi * var)


@pytest.mark.parametrize("sigma", [0.3, 1.0, 4.0])
def test_bmc_is_cross_entropy_over_the_batch_times_two_sigma_squared(sigma):
    var = sigma**2
    logits = -((PRED[:, None] - TARGET[None, :]) ** 2) / (2 * var)
    expected = F.cross_entropy(logits, torch.arange(10), reduction="none") * 2 * var
    got = balanced_mse_loss(PRED, TARGET, noise_var=var, reduction="none")
    assert got.shape == (10,)
    assert torch.allclose(got, expected)
    assert torch.allclose(balanced_mse_loss(PRED, TARGET, noise_var=var), expected.mean())


def test_bmc_with_vector_targets_uses_squared_distances():
    pred = torch.randn(6, 3, generator=GEN, dtype=torch.float64)
    target = torch.randn(6, 3, generator=GEN, dtype=torch.float64)
    dist2 = ((pred[:, None, :] - target[None, :, :]) ** 2).sum(-1)
    expected = F.cross_entropy(-dist2 / 2.0, torch.arange(6)) * 2.0
    assert torch.allclose(balanced_mse_loss(pred, target, noise_var=1.0), expected)


def test_gai_is_the_papers_likelihood_ratio():
    var = 0.7
    mu, v, w = (
        torch.tensor(MIX[k], dtype=torch.float64) for k in ("means", "variances", "weights")
    )
    # -log N(y; pred, var) + log sum_k w_k N(pred; mu_k, v_k + var), times 2 var
    balancing = (w * _normal_pdf(PRED[:, None], mu, v + var)).sum(1)
    expected = 2 * var * (-torch.log(_normal_pdf(TARGET, PRED, var)) + torch.log(balancing))
    got = balanced_mse_loss(PRED, TARGET, noise_var=var, method="gai", reduction="none", **MIX)
    assert torch.allclose(got, expected)


def test_gai_with_one_point_mass_is_a_difference_of_squares():
    mu = 0.8
    got = balanced_mse_loss(
        PRED,
        TARGET,
        noise_var=2.5,
        method="gai",
        means=[mu],
        variances=[0.0],
        weights=[1.0],
        reduction="none",
    )
    assert torch.allclose(got, (PRED - TARGET) ** 2 - (PRED - mu) ** 2)


def test_gai_with_the_batch_as_point_masses_is_bmc_minus_log_n():
    var, n = 0.9, 10
    bmc = balanced_mse_loss(PRED, TARGET, noise_var=var, reduction="none")
    gai = balanced_mse_loss(
        PRED,
        TARGET,
        noise_var=var,
        method="gai",
        means=TARGET,
        variances=torch.zeros(n),
        weights=torch.ones(n),
        reduction="none",
    )
    assert torch.allclose(gai, bmc - 2 * var * math.log(n))


def test_bni_is_gai_with_point_masses_at_the_bin_centres():
    centers, shares = [-1.0, 0.0, 1.0, 2.0], [0.1, 0.6, 0.2, 0.1]
    bni = balanced_mse_loss(
        PRED, TARGET, noise_var=0.5, method="bni", bin_centers=centers, bin_weights=shares
    )
    gai = balanced_mse_loss(
        PRED,
        TARGET,
        noise_var=0.5,
        method="gai",
        means=centers,
        variances=[0.0] * 4,
        weights=shares,
    )
    assert torch.allclose(bni, gai)


def test_bni_approximates_the_integral_over_the_label_density():
    # p_train: an exponential density on [0, 10]; the balancing term is
    # log int N(y'; pred, var) p(y') dy', computed here on a fine grid (trapezoid rule)
    var = 0.5
    grid = torch.linspace(0, 10, 200_001, dtype=torch.float64)
    density = torch.exp(-grid) / (1 - math.exp(-10))
    pred = torch.tensor([0.2, 1.5, 4.0, 7.0], dtype=torch.float64)
    target = torch.tensor([0.0, 2.0, 3.0, 9.0], dtype=torch.float64)
    integral = torch.trapezoid(_normal_pdf(grid, pred[:, None], var) * density, grid, dim=1)
    expected = 2 * var * (-torch.log(_normal_pdf(target, pred, var)) + torch.log(integral))
    edges = np.linspace(0, 10, 401)
    centers = 0.5 * (edges[:-1] + edges[1:])
    shares = np.exp(-edges[:-1]) - np.exp(-edges[1:])  # the mass of each bin
    got = balanced_mse_loss(
        pred,
        target,
        noise_var=var,
        method="bni",
        bin_centers=centers,
        bin_weights=shares,
        reduction="none",
    )
    assert torch.allclose(got, expected, atol=2e-4)


def test_the_weights_are_normalised():
    a = balanced_mse_loss(PRED, TARGET, method="gai", **MIX)
    scaled = {**MIX, "weights": [5 * w for w in MIX["weights"]]}
    assert torch.allclose(a, balanced_mse_loss(PRED, TARGET, method="gai", **scaled))


@pytest.mark.parametrize("method", ["bmc", "gai", "bni"])
def test_the_gradient_reaches_the_learnable_noise_scale(method):
    loss_fn = BalancedMSELoss.from_targets(TARGET, method=method, n_components=2, bins=5)
    assert isinstance(loss_fn.noise_sigma, torch.nn.Parameter)
    assert [name for name, _ in loss_fn.named_parameters()] == ["noise_sigma"]
    pred = PRED.float().clone().requires_grad_(True)
    loss = loss_fn(pred, TARGET.float())
    loss.backward()
    assert loss_fn.noise_sigma.grad is not None and loss_fn.noise_sigma.grad != 0
    assert torch.isfinite(pred.grad).all()
    # the gradient in sigma is the formula's, with the 2 sigma^2 scale held constant
    sigma = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    kw = {k: getattr(loss_fn, k) for k in ("means", "variances", "weights") if method == "gai"}
    if method == "bni":
        kw = {"bin_centers": loss_fn.bin_centers, "bin_weights": loss_fn.bin_weights}
    inner = balanced_mse_loss(PRED, TARGET, noise_var=sigma**2, method=method, **kw)
    inner.backward()
    assert math.isclose(loss_fn.noise_sigma.grad.item(), sigma.grad.item(), rel_tol=1e-4)


def test_an_optimizer_fits_the_noise_scale():
    # targets = predictions + noise of sd 0.5: BMC's learned sigma moves from 2 towards it
    gen = torch.Generator().manual_seed(0)
    loss_fn = BalancedMSELoss(init_noise_sigma=2.0)
    opt = torch.optim.Adam(loss_fn.parameters(), lr=0.1)
    for _ in range(40):
        pred = torch.rand(64, generator=gen) * 20
        target = pred + 0.5 * torch.randn(64, generator=gen)
        opt.zero_grad()
        loss_fn(pred, target).backward()
        opt.step()
    assert 0.35 < abs(loss_fn.noise_sigma.item()) < 0.8


def test_a_fixed_noise_scale_is_a_buffer():
    loss_fn = BalancedMSELoss(init_noise_sigma=0.5, learn_noise=False)
    assert list(loss_fn.parameters()) == []
    assert "noise_sigma" in loss_fn.state_dict()
    expected = balanced_mse_loss(PRED.float(), TARGET.float(), noise_var=0.25)
    assert torch.allclose(loss_fn(PRED.float(), TARGET.float()), expected)


def test_from_targets_fits_the_mixture_and_the_histogram():
    y = np.concatenate([np.random.default_rng(0).normal(0, 1, 900), np.full(100, 10.0)])
    gai = BalancedMSELoss.from_targets(y, method="gai", n_components=2)
    assert sorted(np.round(gai.means.numpy(), 1).tolist()) == [0.0, 10.0]
    assert np.allclose(sorted(gai.weights.numpy()), [0.1, 0.9], atol=1e-3)
    bni = BalancedMSELoss.from_targets(y, method="bni", bins=10)
    counts, edges = np.histogram(y, bins=10)
    kept = counts > 0
    assert np.allclose(bni.bin_centers.numpy(), (0.5 * (edges[:-1] + edges[1:]))[kept])
    assert np.allclose(bni.bin_weights.numpy(), counts[kept] / 1000)
    assert BalancedMSELoss.from_targets(y, method="bmc").means is None


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_computes_in_float32(dtype):
    got = balanced_mse_loss(PRED.to(dtype), TARGET.to(dtype), method="gai", **MIX)
    ref = balanced_mse_loss(PRED.to(dtype).float(), TARGET.to(dtype).float(), method="gai", **MIX)
    assert got.dtype == dtype and torch.allclose(got.float(), ref, rtol=1e-2, atol=1e-2)


def test_bad_input_is_refused_in_the_users_terms():
    with pytest.raises(InvalidDataError, match=r"at least 2 rows; got 1. .*drop_last=True"):
        balanced_mse_loss(PRED[:1], TARGET[:1])
    with pytest.raises(InvalidParameterError, match=r"'noise_var' .* > 0 .*got 0.0"):
        balanced_mse_loss(PRED, TARGET, noise_var=0.0)
    with pytest.raises(InvalidParameterError, match=r"'noise_var' .* > 0 .*got -1.0"):
        balanced_mse_loss(PRED, TARGET, noise_var=torch.tensor(-1.0))
    with pytest.raises(InvalidParameterError, match=r"'init_noise_sigma' .* \(0, inf\)"):
        BalancedMSELoss(init_noise_sigma=0.0)
    with pytest.raises(InvalidParameterError, match="'init_noise_sigma'"):
        BalancedMSELoss(init_noise_sigma=-2.0)
    with pytest.raises(InvalidDataError, match="finite targets"):
        balanced_mse_loss(PRED, torch.full((10,), math.nan, dtype=torch.float64))
    with pytest.raises(InvalidDataError, match="every prediction with every target"):
        balanced_mse_loss(PRED[:, None], TARGET[None, :])
    with pytest.raises(InvalidDataError, match=r"one target per row.*use method='bmc'"):
        balanced_mse_loss(PRED.reshape(5, 2), TARGET.reshape(5, 2), method="gai", **MIX)
    with pytest.raises(InvalidParameterError, match="'method'"):
        BalancedMSELoss(method="mse")


def test_the_label_distribution_is_checked():
    with pytest.raises(InvalidParameterError, match=r"method='bmc' takes no prior.*got means"):
        balanced_mse_loss(PRED, TARGET, means=[0.0])
    with pytest.raises(InvalidParameterError, match="needs bin_centers and bin_weights"):
        BalancedMSELoss(method="bni")
    with pytest.raises(InvalidParameterError, match="from_targets"):
        BalancedMSELoss(method="gai", means=[0.0])
    with pytest.raises(InvalidParameterError, match="needs variances"):
        balanced_mse_loss(PRED, TARGET, method="gai", means=[0.0], weights=[1.0])
    with pytest.raises(InvalidParameterError, match="got lengths means 2, weights 1"):
        balanced_mse_loss(PRED, TARGET, method="gai", means=[0, 1], variances=[1, 1], weights=[1.0])
    with pytest.raises(InvalidParameterError, match=r"'variances' .* >= 0"):
        balanced_mse_loss(PRED, TARGET, method="gai", **{**MIX, "variances": [1, -1, 1]})
    with pytest.raises(InvalidParameterError, match=r"'bin_weights' .* positive sum"):
        balanced_mse_loss(
            PRED, TARGET, method="bni", bin_centers=[0.0, 1.0], bin_weights=[0.0, 0.0]
        )
    with pytest.raises(InvalidParameterError, match=r"'n_components' .* \[1, 3\]"):
        BalancedMSELoss.from_targets([0.0, 1.0, 2.0, 2.0], n_components=8)
    with pytest.raises(InvalidDataError, match="finite targets"):
        BalancedMSELoss.from_targets([0.0, math.inf], method="bni")


finite = st.floats(-50, 50, allow_nan=False, width=64)


@SETTINGS
@given(
    data=st.lists(st.tuples(finite, finite), min_size=2, max_size=12),
    shift=finite,
    sigma=st.floats(0.1, 10),
)
def test_bmc_is_non_negative_and_shift_invariant(data, shift, sigma):
    pred, target = (torch.tensor(c, dtype=torch.float64) for c in zip(*data, strict=True))
    loss = balanced_mse_loss(pred, target, noise_var=sigma**2, reduction="none")
    moved = balanced_mse_loss(pred + shift, target + shift, noise_var=sigma**2, reduction="none")
    assert (loss >= -1e-9).all()
    assert torch.allclose(loss, moved, rtol=1e-6, atol=1e-6)


@SETTINGS
@given(
    data=st.lists(st.tuples(finite, finite), min_size=1, max_size=12),
    mu=finite,
    sigma=st.floats(0.1, 10),
)
def test_a_point_mass_prior_gives_a_difference_of_squares(data, mu, sigma):
    pred, target = (torch.tensor(c, dtype=torch.float64) for c in zip(*data, strict=True))
    got = balanced_mse_loss(
        pred,
        target,
        noise_var=sigma**2,
        method="bni",
        bin_centers=[mu],
        bin_weights=[1.0],
        reduction="none",
    )
    expected = (pred - target) ** 2 - (pred - mu) ** 2
    assert torch.allclose(got, expected, rtol=1e-9, atol=1e-6)


def test_constructor_arguments_read_back_for_cloning():
    # skorch and grid searches rebuild a module from its attributes
    import inspect

    from imbalance.torch import FeatureDistributionSmoothing, FocalRegressionLoss

    modules = [
        BalancedMSELoss.from_targets(TARGET, method="gai", n_components=2, reduction="sum"),
        BalancedMSELoss(
            method="bni", bin_centers=[0.0, 1.0], bin_weights=[3, 1], learn_noise=False
        ),
        FocalRegressionLoss(loss="mse", activation="tanh", beta=0.5, gamma=2.0),
        FeatureDistributionSmoothing(2, [0.0, 1.0, 2.0], ks=3, momentum=None, clip=(0.5, 2.0)),
    ]
    for module in modules:
        params = {
            name: getattr(module, name) for name in inspect.signature(type(module)).parameters
        }
        copy = type(module)(**params)
        assert repr(copy) == repr(module)
        theirs = module.state_dict()
        for name, value in copy.state_dict().items():
            same = (
                torch.equal(value, theirs[name])
                if torch.is_tensor(value)
                else value == theirs[name]
            )
            assert same, name
