"""The 'torch' backend: chunked squared distances and ``topk`` in PyTorch (CUDA when available),
checked in float64 like every exact backend. PyTorch is imported on first use only."""

from __future__ import annotations

import numpy as np

from .._typing import Matrix
from ._common import BLOCK_CELLS, EXTRA, U32, Candidates, Searcher, import_optional


class TorchSearcher(Searcher):
    def __init__(self, Xc: Matrix) -> None:
        torch = import_optional("torch", "torch", "the 'torch' neighbors backend")
        if not isinstance(Xc, np.ndarray):  # sparse
            Xc = Xc.toarray()
        self.torch = torch
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        self.name = f"torch-{self.device.type}"
        self.X = torch.from_numpy(Xc.astype(np.float32)).to(self.device)
        self.x2 = (self.X * self.X).sum(dim=1)
        lowered = torch.get_float32_matmul_precision() != "highest"
        unit = 2.0**-10 if lowered and self.device.type == "cuda" else U32
        self.error_scale = 4.0 * (Xc.shape[1] + 6) * unit
        self.n = Xc.shape[0]

    def search(
        self, Qc: Matrix, k: int, own: np.ndarray | None, within: np.ndarray | None = None
    ) -> Candidates:
        torch = self.torch
        Qd = Qc if isinstance(Qc, np.ndarray) else Qc.toarray()
        n_ask = min(k + EXTRA, self.n - (own is not None))
        block = max(1, BLOCK_CELLS // max(self.n, 1))
        cand, bound = [], []
        for start in range(0, len(Qd), block):
            q = torch.from_numpy(Qd[start : start + block].astype(np.float32)).to(self.device)
            d2 = (q * q).sum(dim=1, keepdim=True) - 2.0 * q @ self.X.T + self.x2
            if own is not None:
                rows = torch.arange(len(q), device=self.device)
                cols = torch.from_numpy(own[start : start + block]).to(self.device)
                d2[rows, cols] = float("inf")
            vals, ind = torch.topk(d2, n_ask, dim=1, largest=False, sorted=True)
            cand.append(ind.cpu().numpy())
            bound.append(vals[:, -1].double().cpu().numpy())
        all_cand = np.concatenate(cand).astype(np.intp)
        limit = self.n - (own is not None)
        bounds = np.concatenate(bound) if n_ask < limit else np.full(len(Qd), np.inf)
        return Candidates(all_cand, bounds, self.error_scale, self.name)
