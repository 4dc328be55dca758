using System.CommandLine;

namespace AutoSpec.Cli;

/// <summary><c>autospec data</c>: look at data files and write synthetic data sets.</summary>
internal static class DataCommand
{
    public static Command Create() => new("data", "Inspect data files and write synthetic data sets in the formats `run` reads.")
    {
        DataInspectCommand.Create(),
        DataSynthCommand.Create(),
    };
}
