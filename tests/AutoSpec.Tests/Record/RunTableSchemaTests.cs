using System.Reflection;
using AutoSpec.Record;
using AutoSpec.Spectra;
using AutoSpec.Tests.Support;
using Parquet;

namespace AutoSpec.Tests.Record;

/// <summary>
/// The schema of the tables a run folder holds: what Python, R and SQL users read without our code, so it is pinned
/// here column by column (name, order, type, nullability) and checked against the README that documents it and the
/// constants (<see cref="RunTable"/>, <see cref="RunColumns"/>) that writers and readers share.
/// </summary>
[Collection("cli")]
public class RunTableSchemaTests(RunTableSchemaTests.OneRun run) : IClassFixture<RunTableSchemaTests.OneRun>
{
    /// <summary>One small complete run with every table (grad only: the schema does not depend on the quantities).</summary>
    public sealed class OneRun : IDisposable
    {
        private readonly TempFolder _folder = new();

        public OneRun()
        {
            Directory = _folder.Combine("run");
            var (exit, _, err) = CliRunner.Run("run", "--out", Directory, "--epochs", "1", "--synth-samples", "64",
                "--batch-size", "32", "--quantities", "grad", "--threads", "1");
            if (exit != 0)
            {
                throw new InvalidOperationException("run failed: " + err);
            }
        }

        public string Directory { get; }

        public void Dispose() => _folder.Dispose();
    }

    private static readonly string[] Key =
    [
        "run string", "fold int", "seed int", "epoch int", "step long", "layer string", "layer_kind string", "group string",
        "group_size int?", "group_rows int?", "quantity string", "route string",
    ];

    // Written out rather than built from the writers' constants: a change here is a change every reader of the
    // files sees, so it has to be made on purpose, in this list as well.
    private static readonly Dictionary<string, string[]> Pinned = new()
    {
        ["spectra"] = [.. Key, "k int", "sigma double"],
        ["metrics"] =
        [
            .. Key, "present bool", "n_sigma int?", "sigma1 double?", "frobenius double?", "nuclear double?",
            "stable_rank double?", "effective_rank double?", "topk_sum double?", "topk_fraction double?",
            "sigma1_normalised double?", "frobenius_normalised double?", "spectral_decay double?",
        ],
        ["curves"] =
        [
            "run string", "fold int", "seed int", "epoch int", "step long", "split string", "group string", "samples int", "loss double",
            "accuracy double", "auc double?",
        ],
        ["permutations"] =
        [
            "run string", "fold int", "seed int", "layer string", "layer_kind string", "epoch int", "first_step long",
            "last_step long", "metric string", "group_a string", "group_b string", "subjects_a int", "subjects_b int",
            "universe_a int", "universe_b int", "steps int", "statistic double?", "null_mean double?", "null_sd double?",
            "excess double?", "z double?", "p double?", "permutations int", "exact bool", "relabelling_seed int",
            "shared_relabellings bool", "note string",
        ],
        ["permutation_null"] =
        [
            "run string", "layer string", "first_step long", "last_step long", "metric string", "group_a string",
            "group_b string", "permutation int", "statistic double",
        ],
    };

    /// <summary>"name type" per column in file order, "?" after the type of a nullable column.</summary>
    private static async Task<List<string>> SchemaAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        return reader.Schema.GetDataFields().Select(f => $"{f.Name} {TypeName(f.ClrType)}{(f.IsNullable ? "?" : "")}").ToList();
    }

    private static string TypeName(Type type) =>
        type == typeof(string) || type == typeof(ReadOnlyMemory<char>) ? "string"
        : type == typeof(int) ? "int"
        : type == typeof(long) ? "long"
        : type == typeof(double) ? "double"
        : type == typeof(bool) ? "bool"
        : type.Name;

    [Fact]
    public void ARunWritesExactlyThePinnedTables()
    {
        var tables = System.IO.Directory.GetFiles(run.Directory, "*.parquet").Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal);
        Assert.Equal(Pinned.Keys.Order(StringComparer.Ordinal), tables);
    }

    [Theory]
    [InlineData("spectra")]
    [InlineData("metrics")]
    [InlineData("curves")]
    [InlineData("permutations")]
    [InlineData("permutation_null")]
    public async Task EveryTableHasItsPinnedSchema(string table)
    {
        Assert.Equal(Pinned[table], await SchemaAsync(Path.Combine(run.Directory, table + ".parquet")));
    }

    [Fact]
    public void RunTableNamesEveryTableARunWrites()
    {
        Assert.Equal(Pinned.Keys, RunTable.All);
        Assert.All(RunTable.All, t => Assert.Equal([Path.Combine(run.Directory, t + ".parquet")], RunTable.Files(run.Directory, t)));
    }

    [Fact]
    public async Task EveryColumnIsARunColumnsConstantAndEveryConstantIsAColumn()
    {
        var constants = typeof(RunColumns).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
        var metrics = SpectralMetrics.Columns.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in RunTable.All)
        {
            foreach (var column in await NamesAsync(table))
            {
                // The metric columns have their own registry; everything else is named by RunColumns.
                bool known = constants.Contains(column) || table == RunTable.Metrics && metrics.Contains(column);
                Assert.True(known, $"{table}.{column} is not a RunColumns constant");
                written.Add(column);
            }
        }
        Assert.Empty(constants.Except(written));
    }

    [Theory]
    [InlineData("spectra")]
    [InlineData("metrics")]
    [InlineData("curves")]
    [InlineData("permutations")]
    [InlineData("permutation_null")]
    public async Task TheReadmeListsEveryColumnOfEveryTableInFileOrder(string table)
    {
        // The table's row of "What it records": | `NAME.parquet` | what it holds: `col, col, …` (…) |. The column list
        // is its longest code span.
        var readme = File.ReadAllLines(Path.Combine(Repository.Root(), "README.md"));
        var row = Assert.Single(readme, l => l.StartsWith($"| `{table}.parquet` |", StringComparison.Ordinal));
        var spans = row.Split('`').Where((_, i) => i % 2 == 1).ToList();
        var documented = spans.MaxBy(s => s.Length)!.Split(", ");
        Assert.Equal(await NamesAsync(table), documented);
    }

    private async Task<List<string>> NamesAsync(string table) =>
        (await SchemaAsync(Path.Combine(run.Directory, table + ".parquet"))).Select(c => c.Split(' ')[0]).ToList();
}
