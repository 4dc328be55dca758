using AutoSpec.Introspection;
using AutoSpec.Models;
using AutoSpec.Training;

namespace AutoSpec;

/// <summary>Everything a run needs; written in full to the manifest and accepted as JSON by <c>--config</c>.</summary>
public sealed record RunConfiguration
{
    /// <summary>Training data.</summary>
    public DataOptions Data { get; init; } = new();

    /// <summary>Model architecture.</summary>
    public ModelOptions Model { get; init; } = new();

    /// <summary>Optimisation.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Introspection schedule and routes.</summary>
    public IntrospectionOptions Introspection { get; init; } = new();

    /// <summary>Run folder (null = runs/&lt;UTC timestamp&gt;).</summary>
    public string? Out { get; init; }

    /// <summary>Replace an earlier run folder at <see cref="Out"/>.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Run id written with every row (null = the run folder's name).</summary>
    public string? RunId { get; init; }

    /// <summary>
    /// Folder of TensorBoard event files (null = none): the run writes its scalars into a subfolder named after the run
    /// id (<c>Record.TensorBoardSink</c>), so several runs share one folder for <c>tensorboard --logdir</c>.
    /// </summary>
    public string? Tensorboard { get; init; }
}
