using System.CommandLine;
using System.Globalization;
using System.Text;
using AutoSpec.Sweeps;
using DuckDB.NET.Data;

namespace AutoSpec.Cli;

/// <summary>
/// <c>autospec query SPEC "SQL"</c>: SQL (DuckDB) over the Parquet tables of every run of a sweep at once. Views:
/// <c>spectra</c>, <c>metrics</c>, <c>curves</c> (complete runs), and <c>runs</c> (run, run_index, status and one
/// column per axis, e.g. training_seed) to join on <c>run</c>.
/// </summary>
internal static class QueryCommand
{
    private static readonly string[] Tables = ["spectra", "metrics", "curves"];

    public static Command Create()
    {
        var spec = SweepCommand.SpecArgument();
        var sql = new Argument<string>("SQL") { Description = "The query, e.g. \"SELECT run, max(step) FROM metrics GROUP BY run\"." };
        var output = SweepCommand.OutOption();
        var csv = new Option<bool>("--csv") { Description = "Comma-separated output (default: tab-separated)." };
        var command = new Command("query", "Run SQL over all runs of a sweep: views spectra, metrics, curves and runs.")
        {
            spec, sql, output, csv,
        };
        command.SetAction(p => SweepCommand.Guard(() =>
        {
            var s = SweepSpecification.Load(p.GetValue(spec)!, p.GetValue(output));
            var plan = s.Plan();
            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            CreateViews(connection, s, plan);
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
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void CreateViews(DuckDBConnection connection, SweepSpecification spec, IReadOnlyList<SweepRun> plan)
    {
        var runs = new StringBuilder("CREATE TABLE runs AS SELECT * FROM (VALUES ");
        var columns = new List<string> { "run_index", "run", "status" };
        columns.AddRange(spec.Axes.Select(a => a.Path.Replace('.', '_')));
        runs.AppendJoin(", ", plan.Select(r => "(" + string.Join(", ", new[]
        {
            r.Index.ToString(CultureInfo.InvariantCulture),
            Literal(r.Id),
            Literal(SweepFolder.RunStatus(SweepFolder.RunDirectory(spec.OutDirectory, r.Id)) ?? "pending"),
        }.Concat(r.Assignments.Select(a => Literal(a.Value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text)
            ? text
            : a.Value?.ToJsonString() ?? "null")))) + ")"));
        runs.Append(") AS t(").AppendJoin(", ", columns.Select(c => "\"" + c.Replace("\"", "\"\"") + "\"")).Append(')');
        Execute(connection, runs.ToString());
        foreach (var table in Tables)
        {
            var files = plan.Select(r => Path.Combine(SweepFolder.RunDirectory(spec.OutDirectory, r.Id), table + ".parquet"))
                .Where(File.Exists).ToList();
            // An explicit list rather than a glob: only this sweep's planned runs, never stray folders.
            Execute(connection, files.Count == 0
                ? $"CREATE VIEW {table} AS SELECT NULL::VARCHAR AS run WHERE false"
                : $"CREATE VIEW {table} AS SELECT * FROM read_parquet([{string.Join(", ", files.Select(Literal))}], union_by_name = true)");
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

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
