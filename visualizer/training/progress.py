"""The progress bar of `backprop train` (on stderr): one bar over the whole run, with the epoch,
the running loss, the time taken and the time left (rich's estimate from the recent steps'
speed); the summaries of (at most about 20) epochs stay printed above it."""

from __future__ import annotations

from visualizer.style import format_number

REDRAW_EVERY = 10  # steps: redrawing after every step would cost more than the step


class TrainingProgress:
    def __init__(self, epochs: int, console=None):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.epochs = epochs
        self.every = max(1, epochs // 20)  # which epochs' summaries are printed
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            TextColumn("elapsed ·"),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=console or Console(stderr=True),
            transient=True,
        )
        self.bar = None

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self.progress.__exit__(*exc)

    def update(self, epoch, step, steps, value):
        """`fit`'s progress callback: after each step (`step` 1…steps, the step's loss) and after
        each epoch (`step` None, the epoch's summary)."""
        if self.bar is None:
            self.bar = self.progress.add_task("", total=self.epochs * steps, status="")
        if step is not None:
            if step == 1 or step % REDRAW_EVERY == 0 or step == steps:
                self.progress.update(
                    self.bar,
                    completed=(epoch - 1) * steps + step,
                    description=f"epoch {epoch}/{self.epochs}",
                    status=f"loss {format_number(value, 4)}",
                )
            return
        parts = [f"loss {format_number(value['train_loss'], 4)}"]
        if value["val_loss"] is not None:
            parts.append(f"val {format_number(value['val_loss'], 4)}")
        if value["val_accuracy"] is not None:
            parts.append(f"val acc {value['val_accuracy']:.1%}")
        elif value["train_accuracy"] is not None:
            parts.append(f"acc {value['train_accuracy']:.1%}")
        if epoch % self.every == 0 or epoch == self.epochs:
            self.progress.console.print(f"epoch {epoch}/{self.epochs}: " + " · ".join(parts))
