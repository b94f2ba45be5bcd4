"""The demo: the tutorial replay prints what the tutorial shows, and training reaches its accuracy."""

import re
from pathlib import Path

import pytest

from pytensor import demo

TUTORIAL = Path(__file__).resolve().parents[1].parent / "shared" / "tutorial" / "part1_tensors.txt"


def test_training_reaches_stated_accuracy():
    # Fewer epochs than the default; the full run reaches about 96-97%.
    accuracy = demo.train(epochs=5, seed=0, hidden=64)
    assert accuracy >= 0.93


def test_training_is_reproducible_for_a_seed():
    assert demo.train(epochs=1, seed=3, hidden=16) == demo.train(epochs=1, seed=3, hidden=16)


def test_tutorial_replay_prints_the_tutorial_tensors(capsys):
    if not TUTORIAL.exists():
        pytest.skip("shared tutorial not available")
    demo.tutorial()
    out = capsys.readouterr().out
    text = TUTORIAL.read_text()
    # Every tensor the tutorial prints for the seeded cells appears verbatim in the demo output
    # (the tutorial's page indents with 4 spaces where print emits a tab).
    expected = re.findall(r"^    (tensor\(.*?\]\]\))$", text, flags=re.M)
    assert len(expected) >= 10
    for t in expected:
        assert t in out, t
    assert "torch.Size([1, 5])".replace("torch.", "pytensor.") in out
    assert "mat1 and mat2 shapes cannot be multiplied (1x5 and 1x5)" in out


def test_main_accepts_options(capsys):
    assert demo.main(["--epochs", "1", "--hidden", "8", "--seed", "1", "--skip-tutorial"]) == 0
    assert "held-out accuracy" in capsys.readouterr().out
