using System.CommandLine;
using System.Globalization;
using AutoSpec.Record;
using DuckDB.NET.Data;

namespace AutoSpec.Cli;

/// <summary>
/// <c>autospec query TARGET "SQL"</c>: SQL (DuckDB) over the Parquet tables of a run, a folder of runs or a sweep at
/// once (<see cref="RunTables"/>): views <c>spectra</c>, <c>metrics</c>, <c>curves</c>, <c>permutations</c>,
/// <c>permutation_null</c>, and the table <c>runs</c> to join on <c>run</c>.
/// </summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var target = TargetArgument();
        var sql = new Argument<string>("SQL") { Description = "The query, e.g. \"SELECT run, max(step) FROM metrics GROUP BY run\"." };
        var output = SweepCommand.OutOption();
        var csv = new Option<bool>("--csv") { Description = "Comma-separated output (default: tab-separated)." };
        var command = new Command("query", $"Run SQL over a run, a folder of runs or a sweep: views {string.Join(", ", RunTable.All)} and runs.")
        {
            target, sql, output, csv,
        };
        command.SetAction(p => SweepCommand.Guard(() =>
        {
            var (connection, _) = RunTables.Open(p.GetValue(target)!, p.GetValue(output));
            using (connection)
            {
                using var command = connection.CreateCommand();
                command.CommandText = p.GetValue(sql)!;
                try
                {
                    using var reader = command.ExecuteReader();
                    Print(reader, p.GetValue(csv) ? "," : "\t");
                }
                catch (DuckDBException e)
                {
                    throw new InvalidInputException($"SQL: {e.Message.ReplaceLineEndings(" ")}");
                }
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>What <c>query</c> and <c>export</c> read.</summary>
    public static Argument<string> TargetArgument() => new("TARGET")
    {
        Description = "A run folder, a folder of run folders (run --seeds, --all-folds), or a sweep (its specification file or folder).",
    };

    private static void Print(System.Data.Common.DbDataReader reader, string separator)
    {
        Console.WriteLine(string.Join(separator, Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)));
        var values = new object[reader.FieldCount];
        while (reader.Read())
        {
            reader.GetValues(values);
            Console.WriteLine(string.Join(separator, values.Select(v => v switch
            {
                DBNull => "",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                float f => f.ToString("R", CultureInfo.InvariantCulture),
                IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString(),
            })));
        }
    }
}
