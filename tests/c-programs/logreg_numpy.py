# @file An independent numpy implementation of samples/logreg.th's `train` (f64), the reference
# for tests/c-programs/logreg_train.c: reads the same STATEDIR/<name>.bin files, runs STEPS steps
# with lr = 0.1 and prints the same lines (`cost K C`, `accuracy K A`, `w I V`, `b 0 V`).
#
# The gradient is written out by hand: with z = x @ w + b, p = sigmoid(z) and y the labels,
# cost = mean(softplus(-z) * y + softplus(z) * (1 - y)) + 0.01 * sum(w^2), so
# d cost / d z = (p - y) / N, gw = x^T (p - y) / N + 0.02 w and gb = sum(p - y) / N.
import sys
import numpy as np

statedir, steps = sys.argv[1], int(sys.argv[2])
x = np.fromfile(f"{statedir}/D_x.bin", dtype="<f8").reshape(400, 784)
coin = np.fromfile(f"{statedir}/D_coin.bin", dtype="<f8")
w = np.fromfile(f"{statedir}/w.bin", dtype="<f8").copy()
b = float(np.fromfile(f"{statedir}/b.bin", dtype="<f8")[0])
lr = 0.1
target = coin < 0.5
y = target.astype(np.float64)
n = x.shape[0]
out = []
for k in range(steps):
    z = x @ w + b
    p = 1.0 / (1.0 + np.exp(-z))
    cost = np.mean(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)) + 0.01 * np.sum(w * w)
    accuracy = np.mean(((p > 0.5) == target).astype(np.float64))
    out.append(f"cost {k} {float(cost)!r}")
    out.append(f"accuracy {k} {float(accuracy)!r}")
    d = (p - y) / n
    gw = x.T @ d + 0.02 * w
    gb = np.sum(d)
    w = w - lr * gw
    b = b - lr * gb
out.extend(f"w {i} {v!r}" for i, v in enumerate(w.tolist()))
out.append(f"b 0 {float(b)!r}")
print("\n".join(out))
