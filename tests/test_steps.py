"""The one batch loop: progress before each item, a final (total, total), nothing after a cancel."""

from __future__ import annotations

from app.steps import Steps


def test_progress_before_each_item_then_done() -> None:
    seen: list[tuple[int, int, str]] = []
    steps = Steps(["a", "b"], str.upper, lambda n, total, name: seen.append((n, total, name)))
    assert list(steps) == ["a", "b"] and not steps.cancelled
    assert seen == [(0, 2, "A"), (1, 2, "B"), (2, 2, "")]


def test_cancel_stops_before_the_next_item_without_a_done_report() -> None:
    seen: list[tuple[int, int, str]] = []
    asked = iter([False, True])
    steps = Steps(["a", "b", "c"], str, lambda n, total, name: seen.append((n, total, name)), lambda: next(asked))
    assert list(steps) == ["a"] and steps.cancelled
    assert seen == [(0, 3, "a")]
