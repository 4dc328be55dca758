using System.CommandLine;
using AutoSpec.Record;
using DuckDB.NET.Data;

namespace AutoSpec.Cli;

/// <summary>
/// <c>autospec export TARGET --csv DIR</c>: every table of a run, a folder of runs or a sweep as one CSV file each
/// (all runs stacked, a <c>run</c> column telling them apart), for tools that cannot read Parquet (Python without
/// pyarrow, R without arrow, spreadsheets).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var target = QueryCommand.TargetArgument();
        var csv = new Option<string>("--csv") { Description = "Folder for the CSV files (created if needed): runs.csv and one per table.", Required = true };
        var output = SweepCommand.OutOption();
        var command = new Command("export", "Write every table of a run, a folder of runs or a sweep as CSV (runs.csv, spectra.csv, metrics.csv, …).")
        {
            target, csv, output,
        };
        command.SetAction(p => SweepCommand.Guard(() =>
        {
            var directory = Path.GetFullPath(p.GetValue(csv)!);
            if (File.Exists(directory))
            {
                throw new InvalidInputException($"--csv: '{directory}' is a file, not a folder.");
            }
            var (connection, present) = RunTables.Open(p.GetValue(target)!, p.GetValue(output));
            using (connection)
            {
                try
                {
                    Directory.CreateDirectory(directory);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new InvalidInputException($"--csv: cannot create '{directory}': {e.Message}");
                }
                foreach (var table in present.Prepend("runs"))
                {
                    var file = Path.Combine(directory, table + ".csv");
                    var temporary = file + ".tmp";
                    try
                    {
                        // Written under a temporary name first, so a killed export leaves no truncated table behind.
                        RunTables.Execute(connection, $"COPY (SELECT * FROM {table}) TO {RunTables.Literal(temporary)} (HEADER, DELIMITER ',')");
                        File.Move(temporary, file, overwrite: true);
                    }
                    catch (DuckDBException e)
                    {
                        File.Delete(temporary);
                        throw new InvalidInputException($"--csv: cannot write '{file}': {e.Message.ReplaceLineEndings(" ")}");
                    }
                    Console.WriteLine($"wrote {ShownPath.Of(file)} ({Plural.Of(Rows(connection, table), "row")})");
                }
                foreach (var table in RunTable.All.Except(present))
                {
                    Console.WriteLine($"no {table} rows: {table}.csv not written");
                }
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static long Rows(DuckDBConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
