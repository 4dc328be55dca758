using System.Diagnostics;
using System.Text.Json;
using AutoSpec.Cli;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Sweeps;

/// <summary>What a SLURM script calls: an installed tool or a published binary rather than a development build.</summary>
public class ScriptCommandTests
{
    private const string DevBuild = "/src/AutoSpec.Cli/bin/Release/net10.0/AutoSpec.Cli";

    private static string Executable(TempFolder tmp, params string[] parts)
    {
        var path = tmp.Combine(parts);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    [Fact]
    public void AnInstalledToolCallsItsShim()
    {
        using var tmp = new TempFolder();
        var shim = Executable(tmp, "tools", "autospec");
        var dll = tmp.Combine("tools", ".store", "autospec.cli", "1.0.0", "autospec.cli", "1.0.0", "tools", "net10.0", "any", "AutoSpec.Cli.dll");
        var (command, note, warning) = ScriptCommand.Choose(null, dll, "/usr/share/dotnet/dotnet", "", "dotnet " + dll);
        Assert.Equal(shim, command);
        Assert.Null(note);
        Assert.False(warning);
    }

    [Fact]
    public void APublishedBinaryCallsItself()
    {
        var (command, note, _) = ScriptCommand.Choose(null, "/opt/autospec/AutoSpec.Cli.dll", "/opt/autospec/AutoSpec.Cli", "", "/opt/autospec/AutoSpec.Cli");
        Assert.Equal("/opt/autospec/AutoSpec.Cli", command);
        Assert.Null(note);
        var (published, _, _) = ScriptCommand.Choose(null, "/c/src/AutoSpec.Cli/bin/Release/net10.0/publish/AutoSpec.Cli.dll", null, "", "P");
        Assert.Equal("P", published);
        var (singleFile, _, _) = ScriptCommand.Choose(null, "", "/opt/bin/AutoSpec.Cli", "", "unused");
        Assert.Equal("/opt/bin/AutoSpec.Cli", singleFile);
    }

    [Fact]
    public void ADevelopmentBuildPrefersTheInstalledCommandOnPath()
    {
        using var tmp = new TempFolder();
        var installed = Executable(tmp, "bin", "autospec");
        var (command, note, warning) = ScriptCommand.Choose(null, "/c" + DevBuild + ".dll", "/c" + DevBuild,
            "/nowhere" + Path.PathSeparator + tmp.Combine("bin"), "/c" + DevBuild);
        Assert.Equal(installed, command);
        Assert.Contains("installed tool", note);
        Assert.False(warning);
    }

    [Fact]
    public void ADevelopmentBuildWithNothingInstalledIsUsedWithAWarning()
    {
        using var tmp = new TempFolder();
        // A file named autospec that is not executable is not a command.
        File.WriteAllText(tmp.Combine("autospec"), "");
        var (command, note, warning) = ScriptCommand.Choose(null, "/c" + DevBuild + ".dll", "/c" + DevBuild, tmp.Path, "/c" + DevBuild);
        Assert.Equal("/c" + DevBuild, command);
        Assert.True(warning);
        Assert.Contains("scripts/install-tool.sh", note);
        Assert.Contains(ScriptCommand.Variable, note);
    }

    [Fact]
    public void TheEnvironmentVariableWins()
    {
        var (command, note, _) = ScriptCommand.Choose(" /shared/autospec/AutoSpec.Cli ", "/c" + DevBuild + ".dll", null, "", "/c" + DevBuild);
        Assert.Equal("/shared/autospec/AutoSpec.Cli", command);
        Assert.Null(note);
    }

    [Fact]
    public void TheCliProjectPacksAsTheAutospecTool()
    {
        // Evaluation only (seconds): packing itself takes minutes; scripts/install-tool.sh --check packs, installs and runs it.
        var project = Path.Combine(Repository.Root(), "src", "AutoSpec.Cli", "AutoSpec.Cli.csproj");
        var start = new ProcessStartInfo("dotnet", ["msbuild", project, "-nologo", "-getProperty:PackAsTool", "-getProperty:ToolCommandName", "-getProperty:PackageId"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output + process.StandardError.ReadToEnd());
        var properties = JsonDocument.Parse(output).RootElement.GetProperty("Properties");
        Assert.Equal("true", properties.GetProperty("PackAsTool").GetString());
        Assert.Equal("autospec", properties.GetProperty("ToolCommandName").GetString());
        Assert.Equal("AutoSpec.Cli", properties.GetProperty("PackageId").GetString());
    }
}
