using System.Text.RegularExpressions;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Introspection;

/// <summary>
/// Inside the core project the folders follow the method (capture → partition → spectra → permutation →
/// introspection): no file imports a folder further down the flow. Between projects the project references enforce
/// the same; inside one project only a test can.
/// </summary>
public partial class CoreFlowTests
{
    private static readonly Dictionary<string, int> Rank = new()
    {
        ["Files"] = 0,
        ["Training"] = 0,
        ["Capture"] = 1,
        ["Layers"] = 2,
        ["Partition"] = 2,
        ["Spectra"] = 3,
        ["Permutation"] = 4,
        ["Introspection"] = 5,
    };

    // A namespace followed by "." or ";": a using directive or a qualified name, not prose in a message.
    [GeneratedRegex(@"\bAutoSpec\.([A-Z][A-Za-z]+)(?=[.;])")]
    private static partial Regex Reference();

    [Fact]
    public void NoCoreFolderImportsOneFurtherDownTheFlow()
    {
        var core = Path.Combine(Repository.Root(), "src", "AutoSpec");
        var folders = Directory.GetDirectories(core).Select(Path.GetFileName).Where(d => d is not ("bin" or "obj")).ToList();
        Assert.Equal(Rank.Keys.Order(), folders.Order());
        var against = new List<string>();
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(core, folder!), "*.cs", SearchOption.AllDirectories))
            {
                var code = string.Join('\n', File.ReadLines(file).Where(l => !l.TrimStart().StartsWith("///", StringComparison.Ordinal)));
                foreach (Match m in Reference().Matches(code))
                {
                    var target = m.Groups[1].Value;
                    if (Rank.TryGetValue(target, out int rank) && rank > Rank[folder!])
                    {
                        against.Add($"{Path.GetRelativePath(core, file)} uses AutoSpec.{target}");
                    }
                }
            }
        }
        Assert.True(against.Count == 0, string.Join("\n", against));
    }
}
