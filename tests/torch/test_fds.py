"""Feature Distribution Smoothing: statistics, smoothing, calibration, epochs, checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.ndimage import gaussian_filter1d

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.torch import FeatureDistributionSmoothing

EDGES = np.linspace(0.0, 10.0, 11)  # 10 bins of width 1
GEN = torch.Generator().manual_seed(3)
LABELS = torch.rand(400, generator=GEN, dtype=torch.float64) * 10
# features whose mean and scale depend on the bin, so the bins' statistics differ
FEATURES = (
    torch.randn(400, 3, generator=GEN, dtype=torch.float64) * (1 + LABELS[:, None] / 5)
    + LABELS[:, None] * torch.tensor([1.0, -0.5, 0.0], dtype=torch.float64)
).float()
CODES = np.clip(np.searchsorted(EDGES, LABELS.numpy(), side="right") - 1, 0, 9)


def _bin_stats(features: np.ndarray, codes: np.ndarray, n_bins: int = 10):
    mean = np.stack([features[codes == b].mean(0) for b in range(n_bins)])
    var = np.stack([features[codes == b].var(0, ddof=1) for b in range(n_bins)])
    return mean, var


def _paper_smooth(stats: np.ndarray, window: np.ndarray) -> np.ndarray:
    """The paper's smoothing: reflect-pad the bins, convolve each feature with the window."""
    half = (window.size - 1) // 2
    padded = np.pad(stats, ((half, half), (0, 0)), mode="reflect")
    return np.stack(
        [np.convolve(padded[:, j], window[::-1], mode="valid") for j in range(stats.shape[1])],
        axis=1,
    )


def _trained(epochs: int = 1, **kwargs) -> FeatureDistributionSmoothing:
    fds = FeatureDistributionSmoothing(3, EDGES, **kwargs)
    for epoch in range(epochs):
        for rows in torch.arange(400).split(64):  # batch by batch
            fds.update(FEATURES[rows], LABELS[rows], epoch)
    fds.set_epoch(epochs)
    return fds


def test_features_pass_unchanged_before_the_start_epoch_and_in_eval_mode():
    fds = FeatureDistributionSmoothing(3, EDGES, start_smooth=2)
    fds.update(FEATURES, LABELS, epoch=0)
    assert torch.equal(fds(FEATURES, LABELS, epoch=1), FEATURES)  # stats exist, start is 2
    out = fds(FEATURES, LABELS, epoch=2)
    assert not torch.allclose(out, FEATURES)
    fds.eval()
    assert torch.equal(fds(FEATURES, LABELS), FEATURES)


def test_running_statistics_are_the_bins_mean_and_unbiased_variance():
    fds = _trained()
    mean, var = _bin_stats(FEATURES.double().numpy(), CODES)
    assert np.allclose(fds.running_mean.numpy(), mean, atol=1e-5)
    assert np.allclose(fds.running_var.numpy(), var, rtol=1e-5)
    assert fds.running_count.tolist() == np.bincount(CODES, minlength=10).tolist()


def test_smoothing_is_the_papers_reflected_convolution_when_every_bin_has_rows():
    fds = _trained(kernel="gaussian", ks=5, sigma=2.0)
    delta = np.zeros(5)
    delta[2] = 1.0
    window = gaussian_filter1d(delta, 2.0)
    window /= window.sum()
    mean, var = _bin_stats(FEATURES.double().numpy(), CODES)
    assert np.allclose(fds.smoothed_mean.numpy(), _paper_smooth(mean, window), atol=1e-5)
    assert np.allclose(fds.smoothed_var.numpy(), _paper_smooth(var, window), rtol=1e-5)


@pytest.mark.parametrize(
    ("kernel", "window"),
    [
        ("triangular", np.array([1.0, 2.0, 1.0]) / 4),
        (
            "laplace",
            np.exp(-np.abs(np.arange(-1, 2)) / 1.5) / np.exp(-np.abs(np.arange(-1, 2)) / 1.5).sum(),
        ),
    ],
)
def test_the_other_kernels(kernel, window):
    fds = _trained(kernel=kernel, ks=3, sigma=1.5)
    mean, _ = _bin_stats(FEATURES.double().numpy(), CODES)
    assert np.allclose(fds.kernel_window.numpy(), window)
    assert np.allclose(fds.smoothed_mean.numpy(), _paper_smooth(mean, window), atol=1e-5)


def test_calibration_maps_each_bins_statistics_to_the_smoothed_ones():
    fds = _trained(ks=5, sigma=2.0, clip=(1e-3, 1e3))  # no clipping at these ratios
    out = fds(FEATURES, LABELS).double().numpy()
    mean, var = _bin_stats(out, CODES)
    assert np.allclose(mean, fds.smoothed_mean.numpy(), atol=1e-4)
    assert np.allclose(var, fds.smoothed_var.numpy(), rtol=1e-4)


def test_calibration_is_the_papers_formula_with_the_clip():
    fds = _trained(ks=9, sigma=4.0, clip=(0.9, 1.1))
    m1, v1 = fds.running_mean[CODES], fds.running_var[CODES]
    m2, v2 = fds.smoothed_mean[CODES], fds.smoothed_var[CODES]
    expected = (FEATURES - m1) * torch.sqrt(torch.clamp(v2 / v1, 0.9, 1.1)) + m2
    assert torch.allclose(fds(FEATURES, LABELS), expected, atol=1e-5)


def test_gradients_flow_through_the_calibration():
    fds = _trained()
    z = FEATURES.clone().requires_grad_(True)
    fds(z, LABELS).sum().backward()
    scale = torch.sqrt(torch.clamp(fds.smoothed_var / fds.running_var, 0.1, 10.0))[CODES]
    assert torch.allclose(z.grad, scale)


def test_momentum_blends_each_epochs_statistics_once_per_epoch():
    fds = FeatureDistributionSmoothing(3, EDGES, momentum=0.75)
    shifted = FEATURES + 4.0
    fds.update(FEATURES, LABELS, epoch=0)
    fds.update(shifted[:200], LABELS[:200], epoch=1)  # epoch 1 in two batches
    fds.update(shifted[200:], LABELS[200:], epoch=1)
    mean0, var0 = _bin_stats(FEATURES.double().numpy(), CODES)
    assert np.allclose(fds.running_mean.numpy(), mean0, atol=1e-5)  # epoch 0 only so far
    fds.set_epoch(2)
    mean1, var1 = _bin_stats(shifted.double().numpy(), CODES)
    assert np.allclose(fds.running_mean.numpy(), 0.25 * mean1 + 0.75 * mean0, atol=1e-4)
    assert np.allclose(fds.running_var.numpy(), 0.25 * var1 + 0.75 * var0, rtol=1e-4)


def test_momentum_none_keeps_the_cumulative_average():
    fds = FeatureDistributionSmoothing(3, EDGES, momentum=None)
    fds.update(FEATURES[:100], LABELS[:100], epoch=0)
    fds.update(FEATURES[100:], LABELS[100:], epoch=1)
    fds.set_epoch(2)
    n0 = np.bincount(CODES[:100], minlength=10)
    n1 = np.bincount(CODES[100:], minlength=10)
    m0 = np.stack([FEATURES[:100][CODES[:100] == b].double().mean(0).numpy() for b in range(10)])
    m1 = np.stack([FEATURES[100:][CODES[100:] == b].double().mean(0).numpy() for b in range(10)])
    expected = (n0[:, None] * m0 + n1[:, None] * m1) / (n0 + n1)[:, None]
    assert np.allclose(fds.running_mean.numpy(), expected, atol=1e-4)


def test_updates_before_start_update_are_ignored():
    fds = FeatureDistributionSmoothing(3, EDGES, start_update=1, start_smooth=2)
    fds.update(FEATURES + 100.0, LABELS, epoch=0)
    fds.update(FEATURES, LABELS, epoch=1)
    fds.set_epoch(2)
    mean, _ = _bin_stats(FEATURES.double().numpy(), CODES)
    assert np.allclose(fds.running_mean.numpy(), mean, atol=1e-5)


def test_bins_without_rows_are_left_out_of_the_smoothing_and_pass_unchanged():
    fds = FeatureDistributionSmoothing(3, EDGES, ks=3, sigma=1.0)
    low = LABELS < 5  # bins 5..9 never seen
    fds.update(FEATURES[low], LABELS[low], epoch=0)
    fds.set_epoch(1)
    mean, _ = _bin_stats(FEATURES[low].double().numpy(), CODES[low.numpy()], n_bins=5)
    k = fds.kernel_window.double().numpy()
    # bin 4 is the last seen: its neighbour 5 has no statistics and is left out
    expected = (k[0] * mean[3] + k[1] * mean[4]) / (k[0] + k[1])
    assert np.allclose(fds.smoothed_mean[4].numpy(), expected, atol=1e-5)
    out = fds(FEATURES, LABELS)
    assert torch.equal(out[~low], FEATURES[~low])
    assert not torch.allclose(out[low], FEATURES[low])


def test_a_single_row_bin_has_variance_zero_and_passes_unchanged():
    labels = torch.tensor([0.5, 0.6, 0.7, 1.5])
    z = torch.tensor([[0.0], [1.0], [2.0], [5.0]])
    fds = FeatureDistributionSmoothing(1, [0.0, 1.0, 2.0], ks=3, sigma=1.0)
    fds.update(z, labels, epoch=0)
    fds.set_epoch(1)
    assert fds.running_var[1].item() == 0.0
    out = fds(z, labels)
    assert out[3].item() == 5.0 and out[0].item() != 0.0


def test_the_input_is_not_modified_and_the_state_dict_round_trips():
    fds = _trained()
    z, y = FEATURES.clone(), LABELS.clone()
    out = fds(z, y)
    fds.update(z, y)
    assert torch.equal(z, FEATURES) and torch.equal(y, LABELS)
    copy = FeatureDistributionSmoothing(3, EDGES)
    copy.load_state_dict(fds.state_dict())
    assert copy.epoch == fds.epoch == 1
    assert torch.equal(copy(FEATURES, LABELS), out)


def test_from_targets_makes_equal_width_bins():
    fds = FeatureDistributionSmoothing.from_targets(np.array([2.0, 3.0, 12.0]), 4, bins=5)
    assert fds.bin_edges.tolist() == [2.0, 4.0, 6.0, 8.0, 10.0, 12.0]
    assert fds.n_bins == 5 and fds.n_features == 4


def test_labels_in_any_real_dtype_and_column_shape():
    fds = _trained()
    ages = LABELS.floor().long()  # integer labels, as ages
    out_int = fds(FEATURES, ages.reshape(-1, 1))
    out_float = fds(FEATURES, ages.double())
    assert torch.equal(out_int, out_float)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_features(dtype):
    fds = _trained()
    out = fds(FEATURES.to(dtype), LABELS)
    assert out.dtype == dtype
    assert torch.allclose(out.float(), fds(FEATURES.to(dtype).float(), LABELS), rtol=2e-2, atol=0.1)


def test_bad_input_is_refused_in_the_users_terms():
    fds = FeatureDistributionSmoothing(3, EDGES)
    with pytest.raises(InvalidDataError, match="built for 3 features"):
        fds(FEATURES[:, :2], LABELS)
    with pytest.raises(InvalidDataError, match=r"400 feature rows and labels of shape \(10,\)"):
        fds.update(FEATURES, LABELS[:10])
    with pytest.raises(InvalidDataError, match="finite labels; row 2 has nan"):
        fds.update(FEATURES[:4], torch.tensor([1.0, 2.0, math.nan, 3.0]))
    with pytest.raises(InvalidDataError, match="floating-point features"):
        fds(torch.ones(4, 3, dtype=torch.long), LABELS[:4])
    fds.set_epoch(3)
    with pytest.raises(InvalidParameterError, match="at epoch 3 and got epoch=1"):
        fds(FEATURES, LABELS, epoch=1)
    with pytest.raises(InvalidParameterError, match=r"'epoch' .* int >= 0"):
        fds.set_epoch(-1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"bin_edges": [0.0, 0.0, 1.0]}, "at least 2 increasing finite edges"),
        ({"bin_edges": [1.0]}, "at least 2 increasing finite edges"),
        ({"ks": 4}, "'ks' .* odd"),
        ({"ks": 21}, "at most 19"),
        ({"sigma": 0.0}, "'sigma'"),
        ({"momentum": 1.0}, "'momentum'"),
        ({"kernel": "box"}, "'kernel'"),
        ({"clip": (2.0, 1.0)}, "'clip'"),
        ({"n_features": 0}, "'n_features' .* int >= 1"),
        ({"start_smooth": -1}, "'start_smooth'"),
    ],
)
def test_parameters_are_checked(kwargs, match):
    args = {"n_features": 3, "bin_edges": EDGES, **kwargs}
    with pytest.raises(InvalidParameterError, match=match):
        FeatureDistributionSmoothing(args.pop("n_features"), args.pop("bin_edges"), **args)


def test_from_targets_refuses_a_constant_target():
    with pytest.raises(InvalidDataError, match="targets that vary"):
        FeatureDistributionSmoothing.from_targets([1.0, 1.0], 3)


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(2, 30),
    shift=st.floats(-100, 100),
    scale=st.floats(0.1, 10),
    seed=st.integers(0, 2**16),
)
def test_calibration_commutes_with_an_affine_map_of_the_features(n, shift, scale, seed):
    # FDS is equivariant: transforming every feature by a -> shift + scale * a before training
    # transforms the calibrated features the same way
    gen = torch.Generator().manual_seed(seed)
    y = torch.rand(n, generator=gen, dtype=torch.float64) * 4
    z = torch.randn(n, 2, generator=gen, dtype=torch.float64)
    outs = []
    for feats in (z, shift + scale * z):
        fds = FeatureDistributionSmoothing(2, [0.0, 1.0, 2.0, 3.0, 4.0], ks=3, sigma=1.0)
        fds.double()
        fds.update(feats, y, epoch=0)
        outs.append(fds(feats, y, epoch=1))
    assert torch.allclose(shift + scale * outs[0], outs[1], rtol=1e-7, atol=1e-6 * (1 + abs(shift)))
