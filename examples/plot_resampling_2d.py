"""# Resampling a two-dimensional data set

What three samplers do to the same 300 rows, one in ten of them rare: random over-sampling
repeats rare rows (here with a little ``shrinkage``, a smoothed bootstrap, so that the repeats
can be told apart), SMOTE adds rows on the segments between rare neighbours, and Tomek links
remove the common rows that sit closest to a rare one. The validation rows of a real workflow
would never see any of this: samplers run on training folds only.

Run: ``python examples/plot_resampling_2d.py``
"""

# %%
# A rare class, in two dimensions so that every row can be drawn.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification

from imbalance.samplers import SMOTE, RandomOverSampler, TomekLinks

X, y = make_classification(
    n_samples=300,
    n_features=2,
    n_informative=2,
    n_redundant=0,
    n_clusters_per_class=1,
    weights=[0.9, 0.1],
    class_sep=0.8,
    random_state=4,
)
print("rows per class:", np.bincount(y))

# %%
# The same rows through each sampler. ``target_counts_`` says how many rows of each class come
# out; ``sample_indices_`` which input rows were kept.
samplers = {
    "random over-sampling": RandomOverSampler(shrinkage=0.2, random_state=0),
    "SMOTE": SMOTE(random_state=0),
    "Tomek links": TomekLinks(),
}
fig, axes = plt.subplots(1, 4, figsize=(14, 3.6), sharex=True, sharey=True)
panels = [("original", X, y, np.arange(len(y)))]
for name, sampler in samplers.items():
    X_res, y_res = sampler.fit_resample(X, y)
    panels.append((name, X_res, y_res, sampler.sample_indices_))
    print(f"{name:>21}: {sampler.target_counts_}")
for ax, (name, X_res, y_res, kept) in zip(axes, panels, strict=True):
    synthetic = np.arange(len(y_res)) >= len(kept)  # synthetic rows come after the kept ones
    ax.scatter(*X_res[y_res == 0].T, s=8, c="#90a4ae", label="common")
    ax.scatter(*X_res[(y_res == 1) & ~synthetic].T, s=14, c="#c62828", label="rare")
    if synthetic.any():
        ax.scatter(*X_res[synthetic].T, s=14, c="#ff8f00", marker="x", label="synthetic rare")
    ax.set_title(f"{name}: {np.bincount(y_res)[0]} + {np.bincount(y_res)[1]} rows", fontsize=10)
axes[0].legend(fontsize=8, loc="lower left")
fig.tight_layout()
plt.show()
