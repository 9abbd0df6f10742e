#!/usr/bin/python3
"""Golden data for the simple RNN that learns 8-bit binary addition (the course's notebook 3_1_simple_RNN).

Run by hand with Debian's python3-numpy (CI never needs Python):

    apt-get install -y python3-numpy
    /usr/bin/python3 scripts/golden/simple_rnn.py            # writes tests/NeuralSharp.Tests/Golden/simple-rnn.json
    /usr/bin/python3 scripts/golden/simple_rnn.py --log      # the same, and prints the notebook's progress blocks

Our own NumPy float64 rewrite of the notebook's computation, step for step: binary[n] = the 8 bits of n, most
significant first (np.unpackbits); a 2-16-1 network without biases, weights drawn right after np.random.seed(seed) as
W_in = std·randn(2, 16), W_out = std·randn(16, 1), W = std·randn(16, 16); per iteration a = randint(128), b =
randint(128) from the same global stream; the bits enter least significant first; z = f(X·W_in + z_prev·W),
y = sigmoid(z·W_out), loss = Σ_t mean((d − y)²)/2, plain SGD with learning rate 0.1 after a full BPTT pass. Kept as
the notebook has it: the output delta is (y − d)·d_sigmoid(y), i.e. the sigmoid derivative taken at the output y
rather than at its pre-activation; the state arrays u, z (16×9), y (1×8) and the deltas are allocated once and
reused; the gradients are cleared with `*= 0` (so a NaN gradient stays NaN). Hidden activations: "sigmoid" (the
course default), "tanh" (derivative 1/cosh²) and "relu" (derivative np.where(u > 0, 1, 0)).

Runs: sigmoid (seed 40, 10,000 iterations), tanh (seed 41, 2,000), relu (seed 42, 2,000, init std 1; it may blow up,
and whatever numpy gives is recorded). Each run records the initial and final weights as nested row-major lists,
every iteration's pair (a, b) and all_loss, and at every 100th iteration (i % 100 == 0, as the notebook prints) the
predicted and true bits (most significant first; the predicted bits are the notebook's uint8 out_bin, so a NaN
output shows as whatever numpy's NaN-to-uint8 cast gives, 0 on x86-64) and out_int. exact_count: with the final
weights, the forward pass alone over every a, b in [0, 128) (a outer, b inner), counting the sums whose eight
np.round(y) values equal the bits of a + b (a NaN output never matches); exact_share = exact_count / 16384.
Floats are written with Python's shortest round-trip repr; non-finite numbers as the JSON strings "NaN",
"Infinity" and "-Infinity". NumPy's overflow/invalid warnings are silenced.
"""
import json
import math
import os
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "tests", "NeuralSharp.Tests", "Golden", "simple-rnn.json")

BITS = 8
LARGEST = 2 ** BITS
BINARY = np.unpackbits(np.array([range(LARGEST)], dtype=np.uint8).T, axis=1)
N_IN, N_HIDDEN, N_OUT = 2, 16, 1
LEARNING_RATE = 0.1
LOG_EVERY = 100

RUNS = [
    # name, activation, seed, iterations, weight init std
    ("sigmoid", "sigmoid", 40, 10000, 1.0),
    ("tanh", "tanh", 41, 2000, 1.0),
    ("relu", "relu", 42, 2000, 1.0),
]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_slope(x):
    s = sigmoid(x)
    return (1.0 - s) * s


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_slope),
    "tanh": (np.tanh, lambda x: 1 / (np.cosh(x) ** 2)),
    "relu": (lambda x: np.maximum(0, x), lambda x: np.where(x > 0, 1, 0)),
}


def step_input(a_bits, b_bits, t):
    """The (1, 2) input at time t: bit t of a and of b, counting from the least significant end."""
    return np.array([a_bits[-t - 1], b_bits[-t - 1]]).reshape(1, -1)


def forward(weights, act, pair, d_bits, u, z, y, delta_out, out_bits):
    """One pass over the 8 time steps for pair = (bits of a, bits of b); fills u, z, y, delta_out and out_bits in place
    and returns the summed loss."""
    w_in, w_out, w = weights
    total = 0
    for t in range(BITS):
        x = step_input(pair[0], pair[1], t)
        target = np.array([d_bits[BITS - t - 1]])
        u[:, t + 1] = np.dot(x, w_in) + np.dot(z[:, t].reshape(1, -1), w)
        z[:, t + 1] = act(u[:, t + 1])
        y[:, t] = sigmoid(np.dot(z[:, t + 1].reshape(1, -1), w_out))
        total += np.mean(np.square(target - y[:, t])) / 2
        # the notebook's slip: the sigmoid derivative is evaluated at the output y itself
        delta_out[:, t] = (y[:, t] - target) * sigmoid_slope(y[:, t])
        out_bits[BITS - t - 1] = np.round(y[:, t])
    return total


def as_int(bits):
    value = 0
    for position, bit in enumerate(reversed(bits)):
        value += int(bit) * 2 ** position
    return value


def train(name, activation, seed, iterations, std, log):
    act, act_slope = ACTIVATIONS[activation]
    np.random.seed(seed)
    w_in = std * np.random.randn(N_IN, N_HIDDEN)
    w_out = std * np.random.randn(N_HIDDEN, N_OUT)
    w = std * np.random.randn(N_HIDDEN, N_HIDDEN)
    initial = {"W_in": w_in.tolist(), "W_out": w_out.tolist(), "W": w.tolist()}

    w_in_grad, w_out_grad, w_grad = np.zeros_like(w_in), np.zeros_like(w_out), np.zeros_like(w)
    u = np.zeros((N_HIDDEN, BITS + 1))
    z = np.zeros((N_HIDDEN, BITS + 1))
    y = np.zeros((N_OUT, BITS))
    delta_out = np.zeros((N_OUT, BITS))
    delta = np.zeros((N_HIDDEN, BITS + 1))

    a_list, b_list, losses = [], [], []
    pred_bits, true_bits, out_ints = [], [], []
    for i in range(iterations):
        a_int = np.random.randint(LARGEST // 2)
        b_int = np.random.randint(LARGEST // 2)
        a_bits, b_bits, d_bits = BINARY[a_int], BINARY[b_int], BINARY[a_int + b_int]
        out_bits = np.zeros_like(d_bits)

        all_loss = forward((w_in, w_out, w), act, (a_bits, b_bits), d_bits, u, z, y, delta_out, out_bits)

        for t in reversed(range(BITS)):
            x = step_input(a_bits, b_bits, t)
            delta[:, t] = (np.dot(delta[:, t + 1].T, w.T) + np.dot(delta_out[:, t].T, w_out.T)) * act_slope(u[:, t + 1])
            w_out_grad += np.dot(z[:, t + 1].reshape(-1, 1), delta_out[:, t].reshape(-1, 1))
            w_grad += np.dot(z[:, t].reshape(-1, 1), delta[:, t].reshape(1, -1))
            w_in_grad += np.dot(x.T, delta[:, t].reshape(1, -1))

        w_in -= LEARNING_RATE * w_in_grad
        w_out -= LEARNING_RATE * w_out_grad
        w -= LEARNING_RATE * w_grad
        w_in_grad *= 0
        w_out_grad *= 0
        w_grad *= 0

        a_list.append(int(a_int))
        b_list.append(int(b_int))
        losses.append(float(all_loss))
        if i % LOG_EVERY == 0:
            out_int = as_int(out_bits)
            pred_bits.append([int(v) for v in out_bits])
            true_bits.append([int(v) for v in d_bits])
            out_ints.append(out_int)
            if log:
                print("iters:" + str(i))
                print("Loss:" + str(all_loss))
                print("Pred:" + str(out_bits))
                print("True:" + str(d_bits))
                print(str(a_int) + " + " + str(b_int) + " = " + str(out_int))
                print("------------")

    exact = exact_count((w_in, w_out, w), act)
    return {
        "name": name,
        "activation": activation,
        "seed": seed,
        "iterations": iterations,
        "hidden": N_HIDDEN,
        "learning_rate": LEARNING_RATE,
        "init_std": std,
        "initial": initial,
        "a": a_list,
        "b": b_list,
        "all_loss": losses,
        "log_every": LOG_EVERY,
        "pred_bits": pred_bits,
        "true_bits": true_bits,
        "out_int": out_ints,
        "final": {"W_in": w_in.tolist(), "W_out": w_out.tolist(), "W": w.tolist()},
        "exact_count": exact,
        "exact_share": exact / (LARGEST // 2) ** 2,
    }


def exact_count(weights, act):
    u = np.zeros((N_HIDDEN, BITS + 1))
    z = np.zeros((N_HIDDEN, BITS + 1))
    y = np.zeros((N_OUT, BITS))
    delta_out = np.zeros((N_OUT, BITS))
    count = 0
    for a_int in range(LARGEST // 2):
        for b_int in range(LARGEST // 2):
            d_bits = BINARY[a_int + b_int]
            out_bits = np.zeros_like(d_bits)
            forward(weights, act, (BINARY[a_int], BINARY[b_int]), d_bits, u, z, y, delta_out, out_bits)
            # y[0, t] is bit t from the least significant end; compare the rounded floats, so NaN never matches
            if all(np.round(y[0, t]) == d_bits[BITS - t - 1] for t in range(BITS)):
                count += 1
    return count


def finite_or_string(value):
    """Floats as they are, non-finite ones as the strings "NaN", "Infinity", "-Infinity" (lists walked)."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, list):
        return [finite_or_string(v) for v in value]
    if isinstance(value, dict):
        return {k: finite_or_string(v) for k, v in value.items()}
    return value


def main():
    log = "--log" in sys.argv[1:]
    np.seterr(over="ignore", invalid="ignore")
    runs = [train(*run, log=log) for run in RUNS]
    result = {
        "recipe": "/usr/bin/python3 scripts/golden/simple_rnn.py (numpy " + np.__version__ + ")",
        "runs": finite_or_string(runs),
    }
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    for run in runs:
        losses = run["all_loss"]
        print(f"{run['name']}: all_loss[0]={losses[0]!r} [100]={losses[100]!r} [1000]={losses[1000]!r} "
              f"[{len(losses) - 1}]={losses[-1]!r} exact={run['exact_count']}/16384 ({run['exact_share']!r})",
              file=sys.stderr)


if __name__ == "__main__":
    main()
