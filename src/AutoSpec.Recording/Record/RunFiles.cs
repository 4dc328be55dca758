using System.Text.Json;
using System.Text.RegularExpressions;

namespace AutoSpec.Record;

/// <summary>
/// The files a run writes into its folder, by name. <c>--overwrite</c> deletes these and nothing else, so files a
/// user keeps beside a run (notes, scripts, a source tree) survive it.
/// </summary>
internal static partial class RunFiles
{
    /// <summary>The run's manifest.</summary>
    public const string Manifest = "manifest.json";

    /// <summary>Lock file held (flock) by the process writing the run.</summary>
    public const string Lock = "run.lock";

    /// <summary>Whether <paramref name="relativePath"/> (inside a run folder, '/'-separated) is a file a run writes.</summary>
    public static bool IsRunFile(string relativePath)
    {
        var p = relativePath.Replace('\\', '/');
        // Every file is written under NAME.tmp and renamed; a killed write leaves the .tmp.
        if (p.EndsWith(".tmp", StringComparison.Ordinal))
        {
            p = p[..^4];
        }
        return p is Manifest or Lock or "checkpoint.bin"
            || RunTable.All.Any(t => p == t + ".parquet")
            || PartFile().IsMatch(p) && RunTable.All.Contains(PartFile().Match(p).Groups[1].Value)
            || DumpFile().IsMatch(p);
    }

    /// <summary>
    /// Whether <paramref name="directory"/>'s manifest.json is a run manifest AutoSpec wrote (it parses as one,
    /// with a format version, run id and configuration), not any JSON file of that name.
    /// </summary>
    public static bool HasRunManifest(string directory) => ReadRunManifest(directory) is not null;

    /// <summary>The run manifest in <paramref name="directory"/>, or null when there is none or it is not an AutoSpec run's.</summary>
    public static RunManifest? ReadRunManifest(string directory)
    {
        var path = Path.Combine(directory, Manifest);
        if (!File.Exists(path) || new FileInfo(path).Length > 64 << 20)
        {
            return null;
        }
        try
        {
            var manifest = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), RunManifest.Json);
            return manifest is { FormatVersion: >= 1, Run: not null, Configuration: not null, Status: "running" or "complete" or "failed" }
                ? manifest
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Finishes the clean-up of a complete run killed after its manifest said "complete" and before its part files,
    /// checkpoint and lock were deleted: the merged tables hold every row, so the parts would only double rows for
    /// anyone globbing <c>parts/</c>. Does nothing when the run is not complete, or while another process holds its
    /// lock (it is finishing the clean-up itself). Returns whether anything was deleted.
    /// </summary>
    public static bool FinishCompleted(string directory)
    {
        if (ReadRunManifest(directory) is not { Status: "complete" })
        {
            return false;
        }
        var lockPath = Path.Combine(directory, Lock);
        var leftovers = new List<string>();
        var parts = Path.Combine(directory, RunTable.PartsFolder);
        if (Directory.Exists(parts))
        {
            foreach (var part in Directory.EnumerateFiles(parts))
            {
                var relative = Path.GetRelativePath(directory, part).Replace('\\', '/');
                var match = PartFile().Match(relative.EndsWith(".tmp", StringComparison.Ordinal) ? relative[..^4] : relative);
                // A part whose table was never merged is kept: without its table it is the only copy of its rows.
                if (IsRunFile(relative) && (!match.Success || File.Exists(Path.Combine(directory, match.Groups[1].Value + ".parquet"))))
                {
                    leftovers.Add(part);
                }
            }
        }
        leftovers.AddRange(new[] { "checkpoint.bin", "checkpoint.bin.tmp", Manifest + ".tmp" }
            .Select(f => Path.Combine(directory, f)).Where(File.Exists));
        if (leftovers.Count == 0 && !File.Exists(lockPath))
        {
            return false;
        }
        using var held = RunLock.TryAcquire(lockPath);
        if (held is null)
        {
            return false;
        }
        foreach (var file in leftovers)
        {
            File.Delete(file);
        }
        DeleteIfEmpty(parts);
        File.Delete(lockPath);
        return true;
    }

    /// <summary>Files and folders in <paramref name="directory"/> that no run writes (relative paths).</summary>
    public static List<string> Foreign(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f))
            .Where(f => !IsRunFile(f))
            .ToList();

    /// <summary>
    /// Deletes the files a run writes in <paramref name="directory"/> (except the lock file, which the caller holds),
    /// then the run's subfolders (parts/, dump/step-N/) that are left empty. Other files stay.
    /// </summary>
    public static void DeleteRunFiles(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToList())
        {
            var relative = Path.GetRelativePath(directory, file);
            if (relative != Lock && IsRunFile(relative))
            {
                File.Delete(file);
            }
        }
        var dump = Path.Combine(directory, "dump");
        if (Directory.Exists(dump))
        {
            foreach (var step in Directory.EnumerateDirectories(dump, "step-*"))
            {
                DeleteIfEmpty(step);
            }
            DeleteIfEmpty(dump);
        }
        DeleteIfEmpty(Path.Combine(directory, RunTable.PartsFolder));
    }

    private static void DeleteIfEmpty(string directory)
    {
        if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
        }
    }

    [GeneratedRegex(@"^parts/([a-z_]+)-[0-9]{5}\.parquet$")]
    private static partial Regex PartFile();

    [GeneratedRegex(@"^dump/step-[0-9]{6,}/([^/]+\.(A|delta|row_sample|row_group|W|W_grad)\.npy|groups\.json)$")]
    private static partial Regex DumpFile();
}
