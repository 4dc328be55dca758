using System.CommandLine;

namespace AutoSpec.Cli;

/// <summary>Entry point of the <c>autospec</c> command line.</summary>
public static class Program
{
    /// <summary>Parses the arguments and runs the command; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand(
            "AutoSpec for .NET: records per-group singular value spectra of weight gradients while a network trains.")
        {
            RunCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
