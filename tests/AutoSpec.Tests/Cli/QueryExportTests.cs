using AutoSpec.Record;
using AutoSpec.Tests.Support;
using Parquet;

namespace AutoSpec.Tests.Cli;

/// <summary>
/// <c>query</c> and <c>export</c> on a run folder and on a folder of runs (<c>run --seeds</c>), every table included;
/// the Parquet files name their table and format version.
/// </summary>
[Collection("cli")]
public sealed class QueryExportTests(QueryExportTests.SeedRuns runs) : IClassFixture<QueryExportTests.SeedRuns>
{
    private readonly TempFolder _temp = runs.Folder;
    private readonly string _seeds = runs.Seeds;

    /// <summary>Two tiny runs made once (run --seeds 0,1) for every test of the class.</summary>
    public sealed class SeedRuns : IDisposable
    {
        public SeedRuns()
        {
            Seeds = Folder.Combine("seeds");
            var (exit, _, err) = CliRunner.Run("run", "--seeds", "0,1", "--out", Seeds, "--epochs", "1", "--synth-samples", "200",
                "--batch-size", "50", "--quantities", "grad", "--threads", "1", "--permutations", "50");
            if (exit != 0)
            {
                throw new InvalidOperationException("tiny runs failed: " + err);
            }
        }

        public TempFolder Folder { get; } = new();

        public string Seeds { get; }

        public void Dispose() => Folder.Dispose();
    }

    private static string[] Query(string target, string sql)
    {
        var (exit, output, err) = CliRunner.Run("query", target, sql, "--csv");
        Assert.True(exit == 0, err);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<(long Rows, IReadOnlyDictionary<string, string> Metadata)> ParquetFile(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        long rows = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            rows += group.RowCount;
        }
        return (rows, reader.CustomMetadata);
    }

    [Fact]
    public async Task QueryReadsEveryTableOfOneRunAndOfAFolderOfRuns()
    {
        var run = Path.Combine(_seeds, "seed-0_fold-0");
        foreach (var table in new[] { "spectra", "metrics", "curves", "permutations", "permutation_null" })
        {
            var (rows, _) = await ParquetFile(Path.Combine(run, table + ".parquet"));
            Assert.True(rows > 0, table);
            Assert.Equal(["n", rows.ToString(System.Globalization.CultureInfo.InvariantCulture)], Query(run, $"SELECT count(*) AS n FROM {table}"));
        }
        Assert.Equal(["run,seed,fold,status", "seed-0_fold-0,0,0,complete"], Query(run, "SELECT run, seed, fold, status FROM runs"));

        Assert.Equal(["run,seed,runs_in_metrics", "seed-0_fold-0,0,1", "seed-1_fold-0,1,1"],
            Query(_seeds, "SELECT r.run, r.seed, count(DISTINCT m.run) AS runs_in_metrics FROM runs r JOIN metrics m USING (run) GROUP BY ALL ORDER BY r.run"));
        // 50 relabellings of every test of both runs.
        var counts = Query(_seeds, "SELECT (SELECT count(*) FROM permutation_null) AS nulls, (SELECT count(*) FROM permutations) AS tests");
        var values = counts[1].Split(',').Select(long.Parse).ToArray();
        Assert.Equal(50 * values[1], values[0]);
    }

    [Fact]
    public void ExportWritesEveryTableAsCsvWithTheRowsQuerySees()
    {
        var dir = _temp.Combine("csv-" + Guid.NewGuid().ToString("N"));
        var (exit, output, err) = CliRunner.Run("export", _seeds, "--csv", dir);
        Assert.True(exit == 0, err);
        foreach (var table in new[] { "runs", "spectra", "metrics", "curves", "permutations", "permutation_null" })
        {
            var lines = File.ReadAllLines(Path.Combine(dir, table + ".csv"));
            long rows = long.Parse(Query(_seeds, $"SELECT count(*) FROM {table}")[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(rows, lines.Length - 1);
            Assert.StartsWith(table == "runs" ? "run_index,run," : "run,", lines[0]);
            Assert.Contains($"{table}.csv ({rows} rows)", output);
        }
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public async Task ParquetFilesNameTheirTableAndFormatVersion()
    {
        var run = Path.Combine(_seeds, "seed-1_fold-0");
        foreach (var table in new[] { "spectra", "metrics", "curves", "permutations", "permutation_null" })
        {
            var (_, metadata) = await ParquetFile(Path.Combine(run, table + ".parquet"));
            Assert.Equal(table, metadata[ParquetMetadata.TableKey]);
            Assert.Equal(RunManifest.CurrentFormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), metadata[ParquetMetadata.FormatVersionKey]);
            Assert.False(string.IsNullOrEmpty(metadata[ParquetMetadata.VersionKey]));
        }
        var results = _temp.Combine("analysis-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(0, CliRunner.Run("analyze", run, "--out", results).Exit);
        var (_, analysis) = await ParquetFile(Path.Combine(results, "group_tests.parquet"));
        Assert.Equal("group_tests", analysis[ParquetMetadata.TableKey]);
    }

    [Fact]
    public void AFolderThatHoldsNoRunsIsAClearError()
    {
        var empty = _temp.Combine("empty");
        Directory.CreateDirectory(empty);
        var (exit, _, err) = CliRunner.Run("export", empty, "--csv", _temp.Combine("out"));
        Assert.Equal(2, exit);
        Assert.Contains("is not a run folder (no manifest.json), a folder of run folders (run --seeds) or a sweep folder", err);
        Assert.False(Directory.Exists(_temp.Combine("out")));
    }
}
