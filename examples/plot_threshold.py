"""# Choosing a decision threshold

On imbalanced data the default threshold of 0.5 is rarely the one you want: a model trained on
the data as it is predicts low probabilities for the rare class. Before resampling, try moving
the threshold. This example computes out-of-fold probabilities once, then shows precision and
recall as the threshold moves, and the threshold that a cost picks
([`cost_threshold`][imbalance.thresholds.cost_threshold]: here a missed positive costs as much
as ten false alarms).

Run: ``python examples/plot_threshold.py``
"""

# %%
# Out-of-fold probabilities of the rare class (yeast4: 51 positives in 1,484 rows).
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imbalance.datasets import load_yeast4
from imbalance.thresholds import cost_threshold

X, y = load_yeast4(return_X_y=True)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
cv = StratifiedKFold(5, shuffle=True, random_state=0)
proba = cross_val_predict(model, X, y, cv=cv, method="predict_proba")[:, 1]
precision, recall, thresholds = precision_recall_curve(y, proba)

# %%
# A missed positive costs 10, a false alarm 1: decide positive above 1 / 11.
chosen = cost_threshold([[0, 1], [10, 0]])
for threshold in (0.5, chosen):
    decided = proba >= threshold
    print(
        f"threshold {threshold:.3f}: {int((decided & (y == 1)).sum())} of {int(y.sum())} "
        f"positives found, {int((decided & (y == 0)).sum())} false alarms"
    )

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.plot(thresholds, precision[:-1], label="precision")
left.plot(thresholds, recall[:-1], label="recall")
for threshold, style in ((0.5, ":"), (chosen, "--")):
    left.axvline(threshold, color="#555", ls=style, lw=1, label=f"threshold {threshold:.2f}")
left.set(xlabel="threshold on the rare class's probability", xlim=(0, 1), ylim=(0, 1.02))
left.legend(fontsize=8)
right.plot(recall, precision, color="#37474f")
for threshold, marker in ((0.5, "o"), (chosen, "s")):
    k = np.searchsorted(thresholds, threshold)
    right.plot(recall[k], precision[k], marker, ms=7, label=f"threshold {threshold:.2f}")
right.set(xlabel="recall", ylabel="precision", title="precision-recall, out-of-fold")
right.legend(fontsize=8)
fig.tight_layout()
plt.show()
