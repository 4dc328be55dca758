using AutoSpec.Training;
using Spectre.Console;

namespace AutoSpec.Cli;

/// <summary>
/// Progress of a run: a live bar (epoch, step, loss, ETA) on an interactive terminal, otherwise one line per epoch
/// on standard error so that logs stay readable.
/// </summary>
internal sealed class ConsoleProgress : ITrainingProgress
{
    private readonly ProgressTask? _task;
    private readonly System.Diagnostics.Stopwatch _clock = new();
    private long _total;
    private int _epochs;
    private long _step;

    public ConsoleProgress(ProgressTask? task) => _task = task;

    public void Start(long totalSteps, int epochs)
    {
        _total = totalSteps;
        _epochs = epochs;
        _clock.Start();
        if (_task is not null)
        {
            _task.MaxValue = totalSteps;
        }
    }

    public void Step(int epoch, long step, double loss)
    {
        _step = step + 1;
        if (_task is not null)
        {
            _task.Value = _step;
            _task.Description = $"epoch {epoch + 1}/{_epochs}  step {_step}/{_total}  loss {loss:F4}";
        }
    }

    public void Epoch(int epoch, EpochResult r)
    {
        var validation = r.ValidationLoss is double vl
            ? $"  val loss {vl:F4} acc {r.ValidationAccuracy:F3} auc {Format(r.ValidationAuc)}"
            : "";
        var eta = _step > 0 ? TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / _step * (_total - _step)) : TimeSpan.Zero;
        var line = $"epoch {epoch + 1}/{_epochs}  step {_step}/{_total}  train loss {r.TrainLoss:F4} acc {r.TrainAccuracy:F3}{validation}  ETA {eta:mm\\:ss}";
        if (_task is null)
        {
            Console.Error.WriteLine(line);
        }
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape(line));
        }
    }

    private static string Format(double? v) => v is double d ? d.ToString("F3") : "n/a";
}
