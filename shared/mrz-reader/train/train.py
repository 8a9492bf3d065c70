"""Trains the glyph classifier on labelled cells written by the `glyph-cells` example.

    python train.py --train cells.bin --validate val.bin --out ../model/glyphs.bin

A one-hidden-layer perceptron (scikit-learn) from a cell's window (the ink, 0..1, row
by row) to the 37 MRZ classes. Its weights are written for `src/classifier.rs`:
`MRZG`, then inputs, hidden units and classes (u32 little-endian), then the hidden
layer's weights unit by unit, its biases, the output layer's weights class by class
and its biases (f32 little-endian).
"""

import argparse
import struct
import time

import numpy as np
from sklearn.neural_network import MLPClassifier

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"


def cells(path):
    data = open(path, "rb").read()
    if data[:4] != b"MRZC":
        raise SystemExit(f"{path}: not a cell file")
    width, height = struct.unpack_from("<II", data, 4)
    size = 1 + width * height
    records = np.frombuffer(data, dtype=np.uint8, offset=12).reshape(-1, size)
    return (records[:, 1:].astype(np.float32) / 255.0, records[:, 0].astype(np.int64),
            width * height, (width, height))


def degraded(x, width, height, rng):
    """A copy of the cells printed heavier or lighter, moved by a pixel and with the
    contrast bent, as real print and capture vary beyond what the documents show."""
    cells = x.reshape(-1, height, width).copy()
    n = len(cells)
    padded = np.pad(cells, ((0, 0), (1, 1), (1, 1)), mode="edge")
    heavier, lighter = cells.copy(), cells.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            around = padded[:, 1 + dy:1 + dy + height, 1 + dx:1 + dx + width]
            np.maximum(heavier, around, out=heavier)
            np.minimum(lighter, around, out=lighter)
    weight = rng.integers(0, 4, n)  # 0 heavier, 1 lighter, else as printed
    cells[weight == 0] = (0.5 * cells + 0.5 * heavier)[weight == 0]
    cells[weight == 1] = (0.5 * cells + 0.5 * lighter)[weight == 1]
    for axis in (1, 2):
        step = rng.integers(-1, 2, n)
        for s in (-1, 1):
            cells[step == s] = np.roll(cells[step == s], s, axis=axis)
    gamma = np.exp(rng.normal(0.0, 0.35, n)).astype(np.float32)[:, None, None]
    cells = np.clip(cells, 0.0, 1.0) ** gamma
    noise = rng.normal(0.0, 0.05, cells.shape).astype(np.float32)
    return np.clip(cells + noise, 0.0, 1.0).reshape(n, -1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", required=True)
    parser.add_argument("--validate", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--hidden", type=int, default=160)
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()

    x, y, inputs, (width, height) = cells(args.train)
    rng = np.random.default_rng(0)
    x = np.concatenate([x, degraded(x, width, height, rng)])
    y = np.concatenate([y, y])
    vx, vy, _, _ = cells(args.validate)
    print(f"{len(y)} training cells, {len(vy)} validation cells, {inputs} inputs")
    started = time.time()
    model = MLPClassifier(
        hidden_layer_sizes=(args.hidden,),
        activation="relu",
        solver="adam",
        batch_size=256,
        learning_rate_init=1e-3,
        alpha=1e-4,
        max_iter=args.epochs,
        n_iter_no_change=args.epochs,
        random_state=0,
        verbose=True,
    )
    model.fit(x, y)
    print(f"trained in {time.time() - started:.0f} s")
    predicted = model.predict(vx)
    print(f"validation accuracy {np.mean(predicted == vy):.4f}")
    wrong = {}
    for t, p in zip(vy, predicted):
        if t != p:
            pair = f"{ALPHABET[t]}->{ALPHABET[p]}"
            wrong[pair] = wrong.get(pair, 0) + 1
    print("most confused:", sorted(wrong.items(), key=lambda kv: -kv[1])[:12])
    if list(model.classes_) != list(range(len(ALPHABET))):
        raise SystemExit("some class never appeared in training")

    w1, w2 = model.coefs_
    b1, b2 = model.intercepts_
    with open(args.out, "wb") as out:
        out.write(b"MRZG")
        out.write(struct.pack("<III", inputs, args.hidden, len(ALPHABET)))
        for array in (w1.T, b1, w2.T, b2):
            out.write(np.ascontiguousarray(array, dtype="<f4").tobytes())
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
