using System.CommandLine;

namespace AutoSpec.Cli;

/// <summary>Entry point of the <c>autospec</c> command line.</summary>
public static class Program
{
    /// <summary>Parses the arguments and runs the command; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, like every other input error; --help shows the full usage.
            var message = ParseErrors.InUserWords(
                string.Join(' ', parse.Errors[0].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            Console.Error.WriteLine($"error: {message} (see --help)");
            return ExitCodes.InvalidInput;
        }
        return parse.Invoke();
    }

    /// <summary>The command tree: every command and option of <c>autospec</c>.</summary>
    internal static RootCommand CreateRoot() => new(
        "AutoSpec for .NET: records per-group singular value spectra of weight gradients while a network trains.")
    {
        RunCommand.Create(),
        DataCommand.Create(),
        AnalyzeCommand.Create(),
        ValidateCommand.Create(),
        ReportCommand.Create(),
        WatchCommand.Create(),
        SweepCommand.Create(),
        QueryCommand.Create(),
        ExportCommand.Create(),
    };
}
