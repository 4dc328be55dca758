using System.Globalization;
using System.Reflection;
using TorchSharp;

namespace AutoSpec.Record;

/// <summary>The versions a run's manifest records: AutoSpec, TorchSharp, libtorch, .NET, the OS and torch's threads.</summary>
internal static class RunVersions
{
    /// <summary>The versions of this process.</summary>
    public static Dictionary<string, string> Current() => new()
    {
        ["autospec"] = typeof(RunVersions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        ["libtorch"] = torch.__version__,
        ["dotnet"] = Environment.Version.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["threads"] = torch.get_num_threads().ToString(CultureInfo.InvariantCulture),
    };
}
