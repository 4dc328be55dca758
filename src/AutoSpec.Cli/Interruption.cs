using System.Runtime.InteropServices;

namespace AutoSpec.Cli;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM (what SLURM and <c>kill</c> send, e.g. at a job's time limit) into a cancellation
/// of the run, so that it stops between steps, marks its folder failed with the reason and exits with 130 or 143
/// (128 + signal number) instead of dying with its manifest still saying "running". A local sweep uses it too, and
/// passes SIGTERM on to its children.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration? _term;
    private volatile string? _signal;

    /// <summary>Starts listening for Ctrl+C and SIGTERM.</summary>
    /// <param name="onTerminate">Called on SIGTERM after the token is cancelled (e.g. to signal child processes).</param>
    public Interruption(Action? onTerminate = null)
    {
        Console.CancelKeyPress += OnCancelKey;
        try
        {
            _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                // Without this the runtime would end the process at once, mid-write.
                context.Cancel = true;
                Stop("SIGTERM");
                onTerminate?.Invoke();
            });
        }
        catch (PlatformNotSupportedException)
        {
            // No SIGTERM on this platform: Ctrl+C still works.
        }
    }

    /// <summary>Cancelled when either signal arrives.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Why the run stopped, for the manifest's error: "cancelled by the user (Ctrl+C)" or "terminated by SIGTERM".</summary>
    public string Reason => _signal == "SIGTERM" ? "terminated by SIGTERM" : "cancelled by the user (Ctrl+C)";

    /// <summary>Whether either signal arrived.</summary>
    public bool Stopped => _signal is not null;

    /// <summary>The exit code: 143 after SIGTERM, 130 after Ctrl+C.</summary>
    public int ExitCode => _signal == "SIGTERM" ? ExitCodes.Terminated : ExitCodes.Cancelled;

    private void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Stop("SIGINT");
    }

    private void Stop(string signal)
    {
        _signal ??= signal;
        _cancel.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKey;
        _term?.Dispose();
        _cancel.Dispose();
    }
}
