"""CPU benchmark peer: the issue-5 workloads written the way a numpy user writes them.

Usage: python3 numpy_peer.py SCALE  ->  one JSON object on stdout: {workload: median seconds}.
SCALE 1 is the issue's sizes; smaller scales shrink the data for a quick smoke run. Each workload
runs after one warm-up call; the time is the median over repetitions capped by a time budget.
"""
import json
import sys
import time

import numpy as np


def timed(fn, budget=3.0, max_reps=15, min_reps=3):
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < max_reps and (len(times) < min_reps or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def logreg_step(x, y, w, b, lr):
    """One step of Theano's logistic regression (samples/logreg.th): cost, accuracy, gradients, update."""
    n = x.shape[0]
    p1 = sigmoid(x @ w + b)
    prediction = p1 > 0.5
    accuracy = np.mean(prediction == (y > 0.5))
    xent = -y * np.log(p1) - (1 - y) * np.log(1 - p1)
    cost = xent.mean() + 0.01 * np.sum(w ** 2)
    d = (p1 - y) / n
    gw = x.T @ d + 0.02 * w
    gb = d.sum()
    return w - lr * gw, b - lr * gb, cost, accuracy


def mlp_step(x, y, params, lr):
    """One SGD step of a 784-256-10 tanh MLP with softmax cross-entropy (bench/cpu/mlp.th)."""
    W1, b1, W2, b2 = params
    n = x.shape[0]
    h = np.tanh(x @ W1 + b1)
    z = h @ W2 + b2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), y]))
    dz = p.copy()
    dz[np.arange(n), y] -= 1
    dz /= n
    gW2 = h.T @ dz
    gb2 = dz.sum(axis=0)
    dh = (dz @ W2.T) * (1 - h * h)
    gW1 = x.T @ dh
    gb1 = dh.sum(axis=0)
    return (W1 - lr * gW1, b1 - lr * gb1, W2 - lr * gW2, b2 - lr * gb2), loss


def main():
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    rng = np.random.default_rng(0)
    out = {}

    n = max(1024, int(2 ** 25 * scale))
    x = rng.standard_normal(n, dtype=np.float32)
    out['chain'] = timed(lambda: np.sum(sigmoid(x) * x + np.log1p(x * x)))

    r = max(64, int(4096 * scale))
    s = rng.standard_normal((r, 1024), dtype=np.float32)

    def softmax():
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    out['softmax'] = timed(softmax)

    m = 1024 if scale >= 0.25 else 256
    a = rng.standard_normal((m, m), dtype=np.float32)
    bm = rng.standard_normal((m, m), dtype=np.float32)
    out['matmul'] = timed(lambda: a @ bm)

    steps = max(10, int(1000 * scale))
    xl = rng.standard_normal((400, 784))
    yl = (rng.random(400) < 0.5).astype(np.float64)

    def logreg():
        w, b = rng.standard_normal(784) * 0.01, 0.0
        for _ in range(steps):
            w, b, _, _ = logreg_step(xl, yl, w, b, 0.1)
    out['logreg'] = timed(logreg, budget=5.0, max_reps=5, min_reps=1)

    xm = rng.standard_normal((256, 784), dtype=np.float32)
    ym = rng.integers(0, 10, 256)
    params = [rng.standard_normal((784, 256), dtype=np.float32) * 0.05, np.zeros(256, np.float32),
              rng.standard_normal((256, 10), dtype=np.float32) * 0.05, np.zeros(10, np.float32)]

    def mlp():
        mlp_step(xm, ym, params, np.float32(0.1))
    out['mlp'] = timed(mlp)
    out['sizes'] = {'chain': n, 'softmax': [r, 1024], 'matmul': m, 'logreg_steps': steps, 'mlp_batch': 256}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
