using System.Text.Json;
using AutoSpec.Record;
using AutoSpec.Sweeps;

namespace AutoSpec.Training;

/// <summary>
/// An unfinished run (status running or failed) found at a run's <c>--out</c>, with its checkpoint, opened to be
/// continued: the run folder's lock is held, the configuration matches the recorded one and the checkpoint verified.
/// </summary>
internal sealed class RunResume : IDisposable
{
    /// <summary>Lock file inside a run folder, held (flock) by the process writing the run.</summary>
    public const string LockFile = "run.lock";

    private RunResume(string directory, RunManifest previous, TrainingCheckpoint checkpoint, RunLock runLock)
    {
        Directory = directory;
        Previous = previous;
        Checkpoint = checkpoint;
        Lock = runLock;
    }

    /// <summary>The run folder.</summary>
    public string Directory { get; }

    /// <summary>The manifest the interrupted run left.</summary>
    public RunManifest Previous { get; }

    /// <summary>The checkpoint to continue from.</summary>
    internal TrainingCheckpoint Checkpoint { get; }

    /// <summary>The run folder's lock, held until disposed.</summary>
    public RunLock Lock { get; }

    /// <summary>
    /// Opens the unfinished run at <see cref="RunConfiguration.Out"/> for resuming, or returns null when there is none
    /// to resume (no folder, no manifest, a complete run, or <see cref="RunConfiguration.Overwrite"/>, which starts over).
    /// </summary>
    /// <exception cref="InvalidInputException">
    /// The unfinished run has no checkpoint, is being written by another process, was made with another
    /// configuration (the differing settings are named), or its checkpoint is unusable.
    /// </exception>
    public static RunResume? Open(RunConfiguration config)
    {
        if (config.Out is null || config.Overwrite)
        {
            return null;
        }
        var directory = Path.GetFullPath(config.Out);
        var previous = ReadManifest(directory);
        if (previous is null || previous.Status == "complete")
        {
            return null;
        }
        var checkpointPath = TrainingCheckpoint.PathIn(directory);
        if (!File.Exists(checkpointPath))
        {
            throw new InvalidInputException(
                $"--out: folder '{directory}' holds an unfinished run (status {previous.Status}) without a checkpoint to resume from; pass --overwrite to start it again.");
        }
        var runLock = RunLock.TryAcquire(Path.Combine(directory, LockFile))
            ?? throw new InvalidInputException(
                $"--out: the run in '{directory}' is being written by {RunLock.Holder(Path.Combine(directory, LockFile))} ({LockFile} is held); wait for it or stop it first.");
        try
        {
            var differences = ConfigurationDifference.Between(previous.Configuration, config);
            if (differences.Count > 0)
            {
                throw new InvalidInputException(
                    $"--out: cannot resume the run in '{directory}': the configuration differs in {string.Join("; ", differences)}; " +
                    "give the recorded configuration (--config DIR/manifest.json) or pass --overwrite to start over.");
            }
            return new RunResume(directory, previous, TrainingCheckpoint.Load(checkpointPath), runLock);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Why the unfinished run in <paramref name="directory"/> cannot be resumed with <paramref name="config"/>, or null
    /// when it can (a sweep then resumes it instead of starting it again).
    /// </summary>
    public static string? Obstacle(string directory, RunConfiguration config)
    {
        try
        {
            using var resume = Open(config with { Out = directory, Overwrite = false });
            return resume is null ? "no unfinished run" : null;
        }
        catch (InvalidInputException e)
        {
            return e.Message;
        }
    }

    /// <summary>Whether a run folder holds a checkpoint (it is deleted when a run completes).</summary>
    public static bool HasCheckpoint(string directory) => File.Exists(TrainingCheckpoint.PathIn(directory));

    private static RunManifest? ReadManifest(string directory)
    {
        var path = Path.Combine(directory, "manifest.json");
        // A manifest.json that is not a run's (any JSON of that name) is no run to resume: the folder is refused as
        // not empty when the new run is prepared.
        if (!RunFiles.HasRunManifest(directory))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), RunManifest.Json);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"--out: cannot read '{path}' to resume the run: {e.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => Lock.Dispose();
}
