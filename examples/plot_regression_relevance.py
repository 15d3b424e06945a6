"""# The relevance of a continuous target

In imbalanced regression, the rare values of the target are the ones that matter (floods, large
claims, long stays), and most models predict them worst. The relevance function phi maps each
target value to [0, 1]: 0 where values are common, 1 in the rare tails. By default its control
points come from the target's box plot: the median is irrelevant, values beyond the whiskers
fully relevant ([`control_points`][imbalance.regression.control_points]). SMOGN then
over-samples the relevant rows and under-samples the others.

Run: ``python examples/plot_regression_relevance.py``
"""

# %%
# A right-skewed target: most values small, a long tail of large ones.
import matplotlib.pyplot as plt
import numpy as np

from imbalance.regression import SMOGN, control_points, relevance

rng = np.random.default_rng(0)
X = rng.normal(size=(600, 3))
y = np.exp(0.6 * X[:, 0] + rng.normal(scale=0.5, size=600))
points = control_points(y)
print("control points (value, relevance, slope):")
print(np.round(points, 3))

# %%
# phi over the range of y, the control points, and the target before and after SMOGN.
X_res, y_res = SMOGN(random_state=0).fit_resample(X, y)
grid = np.linspace(y.min(), y.max(), 400)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.plot(grid, relevance(grid, control_points=points), color="#c62828", label="phi(y)")
left.plot(points[:, 0], points[:, 1], "o", color="#37474f", label="control points")
left.set(xlabel="y", ylabel="relevance", title="relevance of each target value")
left.legend(fontsize=8)
bins = np.linspace(y.min(), y.max(), 40)
right.hist(y, bins=bins, alpha=0.6, label=f"original ({len(y)} rows)")
right.hist(y_res, bins=bins, alpha=0.6, label=f"after SMOGN ({len(y_res)} rows)")
right.set(xlabel="y", ylabel="rows", title="target distribution", yscale="log")
right.legend(fontsize=8)
fig.tight_layout()
plt.show()
