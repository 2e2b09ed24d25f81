"""Whole-process peer for `thc run samples/logreg.th --fn train --steps 1000 --device cpu`: the same
program as a numpy user writes it, data generation included (400 x 784 normal inputs, coin-flip
labels, small random weights), 1000 training steps, then the last cost and accuracy printed."""
import numpy as np

from numpy_peer import logreg_step

rng = np.random.default_rng(1)
x = rng.standard_normal((400, 784))
y = (rng.random(400) < 0.5).astype(np.float64)
w, b = rng.standard_normal(784) * 0.01, 0.0
for _ in range(1000):
    w, b, cost, accuracy = logreg_step(x, y, w, b, 0.1)
print(cost, accuracy)
