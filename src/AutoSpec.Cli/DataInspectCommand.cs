using System.CommandLine;
using AutoSpec.Data;

namespace AutoSpec.Cli;

/// <summary>
/// <c>autospec data inspect FILE...</c>: without --label, what each file holds (columns, shapes, types, missing
/// values); with --label, the data set as <c>run</c> would load it (samples, subjects, label × group counts).
/// </summary>
internal static class DataInspectCommand
{
    private static readonly Argument<string[]> Files = new("FILE") { Description = "Data files: CSV/TSV tables, .npy, .h5/.mat, .nii/.nii.gz.", Arity = ArgumentArity.OneOrMore };
    private static readonly DataSourceOptions Source = new();

    public static Command Create()
    {
        var command = new Command("inspect", "Print shapes, label and group counts and missing values of data files.") { Files };
        Source.AddTo(command);
        command.SetAction(Execute);
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        try
        {
            var files = parse.GetValue(Files) ?? [];
            if (parse.GetValue(Source.Label) is null)
            {
                if (Source.AnyGiven(parse))
                {
                    throw new InvalidInputException("--label is needed with the column options (without it, inspect only describes the files).");
                }
                var format = parse.GetValue(Source.Format) is { } f ? DatasetLoader.ParseFormat(f) : DataFormat.Auto;
                foreach (var file in files)
                {
                    Console.WriteLine(FileSummary.Describe(file, format));
                }
                return ExitCodes.Success;
            }
            if (files.Length != 1)
            {
                throw new InvalidInputException($"with --label, give one data file (got {files.Length}); subject tables go in --subjects.");
            }
            var source = Source.Build(parse, files[0]);
            var loaded = DatasetLoader.Load(source);
            Console.WriteLine(DatasetSummary.Describe(loaded.Dataset));
            foreach (var line in DatasetSummary.Columns(loaded, source))
            {
                Console.WriteLine(line);
            }
            foreach (var w in loaded.Warnings)
            {
                Console.Error.WriteLine($"warning: {w}");
            }
            return ExitCodes.Success;
        }
        catch (InvalidInputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
    }
}
