"""``python -m pytensor.demo``: replay the tutorial, then train an MLP on handwritten digits.

The tutorial part prints exactly what PyTorch prints for the same code (with ``pytensor.`` for
``torch.``). The training part uses the bundled digits data set (see ``data/README.md`` for its
source and licence) and reports the held-out accuracy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator, List, Tuple

import numpy as np

import pytensor as torch

DATA = Path(__file__).with_name("data") / "digits.npz"


def _show(pairs: Iterable[Tuple[str, torch.Tensor]]) -> None:
    for name, tensor in pairs:
        print(name + ":\n\t" + str(tensor.shape) + "\n\t" + str(tensor))


def activation(x: torch.Tensor) -> torch.Tensor:
    """Sigmoid activation function, written as the tutorial writes it."""
    return 1 / (1 + torch.exp(-x))


def tutorial() -> None:
    """The cells of the tutorial 'Tensors' (part 1), in order."""
    torch.manual_seed(7)
    features = torch.randn((1, 5))
    weights = torch.randn_like(features)
    bias = torch.randn((1, 1))
    _show([("features", features), ("weights", weights), ("bias", bias)])

    output_layer_input = (features * weights).sum() + bias
    output = activation(output_layer_input)
    _show([("output_layer_input", output_layer_input), ("output", output)])

    print(">> torch.mm(features, weights)")
    try:
        torch.mm(features, weights)
    except RuntimeError as e:
        print(f"RuntimeError: {e}")

    output_layer_input = torch.mm(features, weights.view(5, 1)).sum() + bias
    _show([("output", activation(output_layer_input))])

    torch.manual_seed(7)
    features = torch.randn((1, 3))
    n_input = features.shape[1]
    n_hidden = 2
    n_output = 1
    W1 = torch.randn(n_input, n_hidden)
    W2 = torch.randn(n_hidden, n_output)
    B1 = torch.randn((1, n_hidden))
    B2 = torch.randn((1, n_output))
    _show([("features", features), ("W1", W1), ("W2", W2), ("B1", B1), ("B1", B2)])

    hidden = activation(torch.mm(features, W1) + B1)
    output = activation(torch.mm(hidden, W2) + B2)
    _show([("hidden", hidden), ("output", output)])

    a = np.random.rand(4, 3)
    print(repr(a))
    b = torch.from_numpy(a)
    print(repr(b))
    print(repr(b.numpy()))
    print(repr(b.mul_(2)))
    print(repr(a))


def load_digits(seed: int) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Images scaled to [0, 1] as 64 features, split 4:1 into train and held-out sets."""
    with np.load(DATA) as data:
        images, labels = data["images"], data["labels"]
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 16.0)
    y = torch.from_numpy(labels.astype(np.int64))
    order = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed))
    n_test = len(images) // 5
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


def _progress(batches: List, desc: str) -> Iterator:
    try:
        from tqdm import tqdm
    except ImportError:
        tqdm = None
    if tqdm is not None:
        yield from tqdm(batches, desc=desc, leave=False, file=sys.stdout)
        return
    width = 30
    for i, item in enumerate(batches, 1):
        filled = width * i // len(batches)
        print(f"\r{desc} [{'#' * filled}{'.' * (width - filled)}] {i}/{len(batches)}", end="", flush=True)
        yield item
    print("\r" + " " * (len(desc) + width + 16) + "\r", end="")


def train(epochs: int, seed: int, hidden: int, batch_size: int = 32, lr: float = 1e-2) -> float:
    """Trains a 64-hidden-10 MLP with Adam; returns the held-out accuracy."""
    from pytensor import nn
    from pytensor.utils.data import DataLoader, TensorDataset

    torch.manual_seed(seed)
    x_train, y_train, x_test, y_test = load_digits(seed)
    model = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True)
    print(model)
    for epoch in range(1, epochs + 1):
        model.train()
        total, count = 0.0, 0
        for xb, yb in _progress(list(loader), f"epoch {epoch}/{epochs}"):
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
            count += len(xb)
        print(f"epoch {epoch:2d}/{epochs}: train loss {total / count:.4f}")
    model.eval()
    with torch.no_grad():
        predicted = model(x_test).argmax(dim=1)
    return (predicted == y_test).float().mean().item()


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pytensor.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15, help="training epochs (default 15)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--hidden", type=int, default=64, help="hidden units (default 64)")
    parser.add_argument("--skip-tutorial", action="store_true", help="only train")
    args = parser.parse_args(argv)
    if not args.skip_tutorial:
        print("== Tutorial: tensors ==")
        tutorial()
    print("\n== Training an MLP on handwritten digits (UCI, CC BY 4.0) ==")
    start = time.perf_counter()
    accuracy = train(args.epochs, args.seed, args.hidden)
    print(f"held-out accuracy: {accuracy * 100:.2f}% ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
