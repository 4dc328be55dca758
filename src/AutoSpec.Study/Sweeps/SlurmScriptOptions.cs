using System.Text.RegularExpressions;

namespace AutoSpec.Sweeps;

/// <summary>Resources and placement of each task of a SLURM job array.</summary>
internal sealed partial record SlurmScriptOptions
{
    /// <summary>Wall time limit per task (SLURM syntax, e.g. 02:00:00 or 1-00:00:00).</summary>
    public string Time { get; init; } = "02:00:00";

    /// <summary>Memory per task (SLURM syntax, e.g. 4G).</summary>
    public string Memory { get; init; } = "4G";

    /// <summary>CPUs per task; also the TorchSharp threads of the run.</summary>
    public int CpusPerTask { get; init; } = 2;

    /// <summary>Partition, or null for the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary>Account, or null.</summary>
    public string? Account { get; init; }

    /// <summary>At most this many tasks at once (the array's %N), or null for no limit.</summary>
    public int? MaxParallel { get; init; }

    /// <summary>Prefix of the parameter names <see cref="Validate"/> gives.</summary>
    public const string ParamPrefix = nameof(SlurmScriptOptions) + ".";

    /// <summary>
    /// Refuses values sbatch would reject only when the job is submitted (or, for a partition name with a newline,
    /// values that would break the script): the error comes now, naming the option.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A value is malformed: <see cref="ArgumentException.ParamName"/> is "SlurmScriptOptions." and the property's
    /// name (e.g. "SlurmScriptOptions.Time"), and the message begins with it (see <see cref="OptionErrors"/>).
    /// </exception>
    public void Validate()
    {
        if (!TimeFormat().IsMatch(Time))
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Time),
                $"'{Time}' is not a SLURM time limit; use minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 02:00:00).");
        }
        if (!MemoryFormat().IsMatch(Memory))
        {
            throw OptionErrors.Invalid(ParamPrefix + nameof(Memory), $"'{Memory}' is not a SLURM memory size; use a number with an optional unit K, M, G or T (e.g. 4G).");
        }
        if (CpusPerTask <= 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(CpusPerTask), CpusPerTask, $"must be a positive integer (got {CpusPerTask}).");
        }
        if (MaxParallel is <= 0)
        {
            throw OptionErrors.OutOfRange(ParamPrefix + nameof(MaxParallel), MaxParallel, $"must be a positive integer (got {MaxParallel}).");
        }
        foreach (var (value, property) in new[] { (Partition, nameof(Partition)), (Account, nameof(Account)) })
        {
            if (value is not null && !NameFormat().IsMatch(value))
            {
                throw OptionErrors.Invalid(ParamPrefix + property, $"'{value}' is not a SLURM name (letters, digits, '-', '_', '.', ',').");
            }
        }
    }

    [GeneratedRegex(@"^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$")]
    private static partial Regex TimeFormat();

    [GeneratedRegex(@"^\d+[KMGT]?$")]
    private static partial Regex MemoryFormat();

    [GeneratedRegex(@"^[A-Za-z0-9_.,-]+$")]
    private static partial Regex NameFormat();
}
