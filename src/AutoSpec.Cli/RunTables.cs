using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoSpec.Record;
using AutoSpec.Sweeps;
using DuckDB.NET.Data;

namespace AutoSpec.Cli;

/// <summary>
/// The tables of a set of runs as one in-memory DuckDB database, for <c>query</c> and <c>export</c>: one view per
/// table a run writes, over every run at once (a run that has not finished contributes its flushed parts), and a
/// <c>runs</c> table to join on <c>run</c>. The runs are a sweep (its specification file or folder), one run folder,
/// or a folder of run folders (<c>run --seeds</c>, <c>--all-folds</c>).
/// </summary>
internal static class RunTables
{
    /// <summary>Opens the database; the caller disposes it. The second value names the tables that have rows.</summary>
    /// <exception cref="InvalidInputException">The path is none of the three kinds of folder, or the sweep is bad.</exception>
    public static (DuckDBConnection Connection, IReadOnlyList<string> Present) Open(string target, string? sweepOut)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            var folders = IsRunFolder(target) ? [Path.GetFullPath(target)]
                : IsFolderOfRuns(target) ? RunFoldersIn(target)
                : SweepRuns(connection, target, sweepOut);
            if (IsRunFolder(target) || IsFolderOfRuns(target))
            {
                CreateRunsTable(connection, folders);
            }
            var present = new List<string>();
            foreach (var table in RunTable.All)
            {
                var files = folders.SelectMany(f => RunTable.Files(f, table)).ToList();
                // An explicit list rather than a glob: only these runs, never stray folders.
                Execute(connection, files.Count == 0
                    ? $"CREATE VIEW {table} AS SELECT NULL::VARCHAR AS {RunColumns.Run} WHERE false"
                    : $"CREATE VIEW {table} AS SELECT * FROM read_parquet([{string.Join(", ", files.Select(Literal))}], union_by_name = true)");
                if (files.Count > 0)
                {
                    present.Add(table);
                }
            }
            return (connection, present);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static bool IsRunFolder(string path) => File.Exists(Path.Combine(path, "manifest.json"));

    private static bool IsFolderOfRuns(string path) =>
        Directory.Exists(path) && !File.Exists(Path.Combine(path, SweepFolder.SpecificationFile)) && RunFoldersIn(path).Count > 0;

    private static List<string> RunFoldersIn(string path) =>
        [.. Directory.GetDirectories(Path.GetFullPath(path)).Where(IsRunFolder).Order(StringComparer.Ordinal)];

    /// <summary>The sweep's runs table (run_index, run, status, one column per axis) and its run folders.</summary>
    private static List<string> SweepRuns(DuckDBConnection connection, string target, string? sweepOut)
    {
        if (!File.Exists(target) && !Directory.Exists(target))
        {
            throw new InvalidInputException(
                $"'{target}' not found: give a run folder, a folder of run folders (run --seeds) or a sweep (its specification file or folder).");
        }
        if (Directory.Exists(target) && !File.Exists(Path.Combine(target, SweepFolder.SpecificationFile)))
        {
            throw new InvalidInputException(
                $"'{target}' is not a run folder (no manifest.json), a folder of run folders (run --seeds) or a sweep folder.");
        }
        var spec = SweepSpecification.Load(target, sweepOut);
        var plan = spec.Plan();
        var runs = new StringBuilder("CREATE TABLE runs AS SELECT * FROM (VALUES ");
        // The run tables' own name for the run id, so that the views join on it.
        var columns = new List<string> { "run_index", RunColumns.Run, "status" };
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
        return [.. plan.Select(r => SweepFolder.RunDirectory(spec.OutDirectory, r.Id))];
    }

    /// <summary>run_index, run, status, seed, fold and folder of each run folder, from its manifest.</summary>
    private static void CreateRunsTable(DuckDBConnection connection, List<string> folders)
    {
        var rows = folders.Select((folder, i) =>
        {
            var path = Path.Combine(folder, "manifest.json");
            try
            {
                using var manifest = JsonDocument.Parse(File.ReadAllText(path));
                var root = manifest.RootElement;
                string Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
                string Number(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
                    ? v.GetInt32().ToString(CultureInfo.InvariantCulture) : "NULL";
                return $"({i.ToString(CultureInfo.InvariantCulture)}, {Literal(Text("run"))}, {Literal(Text("status"))}, {Number("seed")}, {Number("fold")}, {Literal(folder)})";
            }
            catch (JsonException e)
            {
                throw new InvalidInputException($"{path}: not valid JSON ({e.Message.Split('.')[0]}).");
            }
        });
        Execute(connection, "CREATE TABLE runs AS SELECT * FROM (VALUES " + string.Join(", ", rows) +
            $") AS t(run_index, {RunColumns.Run}, status, {RunColumns.Seed}, {RunColumns.Fold}, folder)");
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    public static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A SQL string literal.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''") + "'";
}
