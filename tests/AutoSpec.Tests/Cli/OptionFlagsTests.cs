using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using AutoSpec.Cli;
using AutoSpec.Record;
using AutoSpec.Sweeps;
using AutoSpec.Tests.Support;
using AutoSpec.Training;

namespace AutoSpec.Tests.Cli;

/// <summary>
/// The library names a bad run option by its <see cref="RunConfiguration"/> path (<see cref="ArgumentException.ParamName"/>);
/// <see cref="OptionFlags"/> shows it under the flag of <c>autospec run</c>, or a --config file's JSON field.
/// </summary>
[Collection("cli")]
public class OptionFlagsTests
{
    /// <summary>Settings no check of the library refuses (any value is a run, or the type admits no bad value).</summary>
    private static readonly HashSet<string> Unchecked =
    [
        "Overwrite", "RunId",
        "Training.StratifyByGroup", "Training.Seed",
        "Model.NormFirst",
        "Introspection.Route", "Introspection.Precision", "Introspection.SplitGates", "Introspection.UnsupportedLayers", "Introspection.PermutationSeed",
        "Introspection.Background",
    ];

    /// <summary>Leaf settings of the sections the run options fill (the data's are checked by the loaders).</summary>
    private static IEnumerable<(string Path, Type Type)> Settings()
    {
        foreach (var property in typeof(RunConfiguration).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name == nameof(RunConfiguration.Data))
            {
                continue;
            }
            if (property.PropertyType.Namespace?.StartsWith("AutoSpec", StringComparison.Ordinal) == true && !property.PropertyType.IsEnum)
            {
                foreach (var inner in property.PropertyType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                {
                    yield return ($"{property.Name}.{inner.Name}", inner.PropertyType);
                }
            }
            else
            {
                yield return (property.Name, property.PropertyType);
            }
        }
    }

    private static bool IsSetting(string path)
    {
        var type = typeof(RunConfiguration);
        foreach (var part in path.Split('.'))
        {
            if (type.GetProperty(part) is not { } property)
            {
                return false;
            }
            type = property.PropertyType;
        }
        return true;
    }

    [Fact]
    public void EveryFlagIsAnOptionOfRunAndEveryNameASetting()
    {
        var run = Program.CreateRoot().Subcommands.Single(c => c.Name == "run");
        var flags = run.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(OptionFlags.Flags);
        Assert.All(OptionFlags.Flags, f => Assert.Contains(f.Value, flags));
        Assert.All(OptionFlags.Flags.Keys.Concat(OptionFlags.ConfigOnly), p => Assert.True(IsSetting(p), $"'{p}' is not a RunConfiguration path"));
        Assert.Empty(OptionFlags.Flags.Keys.Intersect(OptionFlags.ConfigOnly));
    }

    [Fact]
    public void EveryOtherCommandsFlagExistsAndEveryNameIsAProperty()
    {
        static IEnumerable<Command> All(Command c) => c.Subcommands.SelectMany(All).Prepend(c);
        var flags = All(Program.CreateRoot()).SelectMany(c => c.Options).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(OptionFlags.CommandFlags);
        Assert.All(OptionFlags.CommandFlags, f => Assert.Contains(f.Value, flags));
        var types = new[] { typeof(Trainer).Assembly, typeof(OptionErrors).Assembly, typeof(AutoSpec.Analyse.AnalysisResult).Assembly }
            .SelectMany(a => a.GetTypes()).ToLookup(t => t.Name);
        Assert.All(OptionFlags.CommandFlags.Keys, name =>
        {
            var parts = name.Split('.');
            Assert.Equal(2, parts.Length);
            Assert.Contains(types[parts[0]], t => t.GetProperty(parts[1]) is not null);
        });
    }

    [Fact]
    public void EverySettingHasAUserNameOrIsNeverRefused()
    {
        var settings = Settings().Select(s => s.Path).ToList();
        Assert.Contains("Introspection.TopK", settings);
        var unnamed = settings.Where(p => OptionFlags.Name(p) is null && !Unchecked.Contains(p)).ToList();
        Assert.True(unnamed.Count == 0, $"settings without a flag or JSON name: {string.Join(", ", unnamed)}");
        Assert.All(Unchecked, p => Assert.Contains(p, settings));
    }

    /// <summary>Values a check may refuse, for a setting of the given type.</summary>
    private static IEnumerable<JsonNode?> Probes(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long))
        {
            return [-1, 0, int.MaxValue];
        }
        if (type == typeof(double))
        {
            return [-1.0, 0.0, 1.0, 1e300];
        }
        if (type == typeof(string))
        {
            return ["", "zzz", "a,b"];
        }
        if (type == typeof(bool))
        {
            return [true, false];
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = type.GetGenericArguments()[0];
            return element == typeof(string) ? [new JsonArray(), new JsonArray("zzz")] : [new JsonArray(), new JsonArray(-1), new JsonArray(0), new JsonArray(1000)];
        }
        return [];
    }

    /// <summary>
    /// Every single bad value of every setting (and pairs with a setting that another depends on): whatever
    /// <see cref="Trainer.Validate"/> refuses names a path the command line knows.
    /// </summary>
    [Fact]
    public void EveryParamNameValidateThrowsHasAUserName()
    {
        var defaults = JsonSerializer.SerializeToNode(new RunConfiguration(), RunManifest.Json)!.AsObject();
        int refused = 0;
        foreach (var (path, type) in Settings())
        {
            foreach (var value in Probes(type))
            {
                var json = defaults.DeepClone().AsObject();
                var parts = path.Split('.').Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToArray();
                var node = json;
                foreach (var part in parts[..^1])
                {
                    node = node[part]!.AsObject();
                }
                node[parts[^1]] = value?.DeepClone();
                RunConfiguration config;
                try
                {
                    config = json.Deserialize<RunConfiguration>(RunManifest.Json)!;
                }
                catch (JsonException)
                {
                    continue;
                }
                try
                {
                    Trainer.Validate(config);
                }
                catch (ArgumentException e)
                {
                    refused++;
                    Assert.True(OptionFlags.Name(e.ParamName ?? "") is not null, $"{path} = {value?.ToJsonString()}: ParamName '{e.ParamName}' has no flag ({e.Message})");
                    Assert.True(OptionFlags.TryDescribe(e, out var shown));
                    Assert.DoesNotContain(e.ParamName!, shown);
                    Assert.DoesNotContain("(Parameter", shown);
                    Assert.DoesNotContain("--", OptionErrors.Detail(e));
                }
            }
        }
        Assert.True(refused > 20, $"only {refused} refusals: the probes no longer reach the checks");
    }

    [Theory]
    [InlineData("Introspection.TopK", "--top-k must be a positive integer (got 0).")]
    [InlineData("Training.Epochs", "--epochs must be a positive integer (got 0).")]
    public void MessagesReadAsBeforeUnderTheFlag(string path, string expected)
    {
        var config = path == "Training.Epochs"
            ? new RunConfiguration { Training = new TrainingOptions { Epochs = 0 } }
            : new RunConfiguration { Introspection = new() { TopK = 0 } };
        var e = Assert.ThrowsAny<ArgumentException>(() => Trainer.Validate(config));
        Assert.Equal(path, e.ParamName);
        Assert.StartsWith(path + " must be", e.Message);
        Assert.True(OptionFlags.TryDescribe(e, out var shown));
        Assert.Equal(expected, shown);
    }

    [Fact]
    public void ASecondSettingInTheMessageIsRenamedToo()
    {
        var config = new RunConfiguration { Training = new TrainingOptions { Checkpoint = false, CheckpointEverySteps = 5 } };
        var e = Assert.ThrowsAny<ArgumentException>(() => Trainer.Validate(config));
        Assert.True(OptionFlags.TryDescribe(e, out var shown));
        Assert.StartsWith("--no-checkpoint and --checkpoint-every exclude each other", shown);
    }

    [Fact]
    public void AnArgumentExceptionOfAnotherNameIsNotTheUsersError()
    {
        Assert.False(OptionFlags.TryDescribe(new ArgumentException("bad", "groupNames"), out _));
        Assert.False(OptionFlags.TryDescribe(new ArgumentException("bad"), out _));
    }

    [Fact]
    public void AConfigOnlySettingIsNamedByItsJsonField()
    {
        using var tmp = new TempFolder();
        var config = tmp.Combine("c.json");
        File.WriteAllText(config, """{ "introspection": { "flush_rows": 0 }, "training": { "epochs": 1 } }""");
        var (exit, _, err) = CliRunner.Run("run", "--config", config, "--out", tmp.Combine("run"));
        Assert.Equal(2, exit);
        Assert.Equal("error: introspection.flush_rows must be positive (got 0).", err.Trim());
    }

    [Fact]
    public void ASweepNamesTheSettingByItsJsonField()
    {
        using var tmp = new TempFolder();
        var path = tmp.Combine("study.json");
        File.WriteAllText(path, """{ "base": { "training": { "epochs": 1 } }, "axes": { "introspection.top_k": [2, 0] } }""");
        var e = Assert.Throws<InvalidInputException>(() => SweepSpecification.Load(path).Plan());
        Assert.Contains("run top-k-0 (introspection.top_k = 0): introspection.top_k must be a positive integer (got 0).", e.Message);
        Assert.DoesNotContain("--", e.Message);
    }
}
