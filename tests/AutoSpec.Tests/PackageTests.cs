using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests;

/// <summary>
/// The library as a user gets it: <c>dotnet pack src/AutoSpec</c> into a temporary folder (built in a folder of its
/// own, so the clone's bin/obj are not touched), then a new console project that does <c>dotnet add package
/// AutoSpec</c> from that folder, builds and runs a TorchSharp computation and one AutoSpec type. On Debian 12 the run
/// only succeeds if the package's buildTransitive targets patched TorchSharp's native wrapper in the consumer's output.
/// Slow (pack, restore, build, about 600 MB of natives copied): one pack serves both tests.
/// </summary>
public sealed class PackageTests(PackageTests.PackedLibrary packed) : IClassFixture<PackageTests.PackedLibrary>
{
    [Fact]
    public void PackageHasMetadataReadmeDocsAndTheNativeFix()
    {
        using var zip = ZipFile.OpenRead(packed.Package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        var listing = string.Join("\n", entries.Order());
        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        XDocument nuspec;
        using (var stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream);
        }
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal("AutoSpec", Value("id"));
        Assert.Equal(packed.Version, Value("version"));
        var description = Value("description");
        Assert.False(string.IsNullOrWhiteSpace(description), "no description in the nuspec");
        Assert.NotEqual("Package Description", description);
        Assert.False(string.IsNullOrWhiteSpace(Value("authors")), "no authors in the nuspec");
        var license = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "license");
        Assert.True(license is not null, "no licence in the nuspec:\n" + nuspec);
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        var readme = Value("readme");
        Assert.False(string.IsNullOrEmpty(readme), "no readme in the nuspec:\n" + nuspec);
        Assert.True(entries.Contains(readme), $"the readme {readme} is not in the package:\n{listing}");

        foreach (var expected in new[]
        {
            "lib/net10.0/AutoSpec.dll",
            "lib/net10.0/AutoSpec.xml",
            "buildTransitive/AutoSpec.targets",
            "buildTransitive/WeakenGlibcxxVersionNeed.cs",
        })
        {
            Assert.True(entries.Contains(expected), $"{expected} is not in the package:\n{listing}");
        }
        // The package carries the repository's own files, not copies that could drift.
        var root = Repository.Root();
        Assert.Equal(File.ReadAllText(Path.Combine(root, "build", "AutoSpec.targets")), ReadEntry(zip, "buildTransitive/AutoSpec.targets"));
        Assert.Equal(File.ReadAllText(Path.Combine(root, "build", "WeakenGlibcxxVersionNeed.cs")), ReadEntry(zip, "buildTransitive/WeakenGlibcxxVersionNeed.cs"));
    }

    [Fact]
    public void AConsoleProjectThatAddsThePackageBuildsAndRunsTorchSharp()
    {
        var consumer = packed.Folder.Combine("consumer");
        Directory.CreateDirectory(consumer);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), """
            using System.Globalization;
            using AutoSpec.Training;
            using TorchSharp;
            using static TorchSharp.torch;

            static string Show(Tensor t) => string.Join(" ", t.data<double>().ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)));

            using var a = tensor(new double[] { 3, 0, 0, 4 }, 2, 2);
            using var product = a.mm(a);
            using var sigma = linalg.svdvals(a);
            Console.WriteLine("product: " + Show(product));
            Console.WriteLine("singular values: " + Show(sigma));

            // One SGD step on w = (1, 2) with loss w·(1, 1): the gradient is (1, 1), so w becomes (0.5, 1.5).
            using var layer = nn.Linear(2, 1, hasBias: false, dtype: ScalarType.Float64);
            using (no_grad())
            {
                layer.weight!.copy_(tensor(new double[] { 1, 2 }, 1, 2));
            }
            var optimizer = new HeldScalarSgd(layer.parameters(), lr: 0.5, momentum: 0);
            using var x = ones(1, 2, dtype: ScalarType.Float64);
            using var loss = layer.call(x).sum();
            loss.backward();
            optimizer.step();
            Console.WriteLine("weight after one HeldScalarSgd step: " + Show(layer.weight!));
            """);
        // The usual feeds (user and machine NuGet.Config) stay; the folder with the package is added.
        File.WriteAllText(Path.Combine(consumer, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="autospec-package-test" value="{packed.Feed}" />
              </packageSources>
            </configuration>
            """);

        packed.Dotnet(consumer, TimeSpan.FromMinutes(10), "add", "package", "AutoSpec", "--version", packed.Version);
        packed.Dotnet(consumer, TimeSpan.FromMinutes(10), "build", "-c", "Release");
        var output = Path.Combine(consumer, "bin", "Release", "net10.0");
        var run = packed.Dotnet(consumer, TimeSpan.FromMinutes(2), Path.Combine(output, "Consumer.dll"));

        Assert.Contains("product: 9 0 0 16", run);
        Assert.Contains("singular values: 4 3", run);
        Assert.Contains("weight after one HeldScalarSgd step: 0.5 1.5", run);

        if (OperatingSystem.IsLinux())
        {
            // The fix ran in the consumer's build (from the package), on the output copy only.
            var patched = Path.Combine(output, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            Assert.True(File.Exists(patched), patched);
            Assert.Contains("Name: GLIBCXX_3.4.32  Flags: WEAK", PackedLibrary.ReadElfVersions(patched));
            var cached = Path.Combine(PackedLibrary.NuGetPackages(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            if (File.Exists(cached))
            {
                Assert.Contains("Name: GLIBCXX_3.4.32  Flags: none", PackedLibrary.ReadElfVersions(cached));
            }
        }
    }

    private static string ReadEntry(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Packs src/AutoSpec once, with a version of its own (so the NuGet cache cannot hold a stale package of that
    /// version), into a fresh folder; on dispose deletes the folder and that version from the NuGet cache.
    /// </summary>
    public sealed class PackedLibrary : IDisposable
    {
        public PackedLibrary()
        {
            Version = "0.0.0-packagetest." + Guid.NewGuid().ToString("N")[..12];
            Folder = new TempFolder();
            // An empty Directory.Build.* and Directory.Packages.props stop MSBuild's search upwards, so nothing
            // outside the folder (e.g. under the temporary folder) reaches the consumer project.
            foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            {
                File.WriteAllText(Folder.Combine(name), "<Project />\n");
            }
            Feed = Folder.Combine("feed");
            var project = Path.Combine(Repository.Root(), "src", "AutoSpec", "AutoSpec.csproj");
            Dotnet(Folder.Path, TimeSpan.FromMinutes(10), "pack", project, "-c", "Release", "-o", Feed,
                "--artifacts-path", Folder.Combine("build"), "-p:Version=" + Version);
            Package = Path.Combine(Feed, $"AutoSpec.{Version}.nupkg");
            Assert.True(File.Exists(Package), $"dotnet pack made no {Package}; the folder holds: "
                + string.Join(", ", Directory.Exists(Feed) ? Directory.GetFiles(Feed).Select(Path.GetFileName) : []));
        }

        public string Version { get; }

        public TempFolder Folder { get; }

        public string Feed { get; }

        public string Package { get; }

        public static string NuGetPackages() => Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

        public static string ReadElfVersions(string path)
        {
            using var process = Process.Start(new ProcessStartInfo("readelf", ["-V", path]) { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            return text;
        }

        /// <summary>Runs <c>dotnet ARGS</c> in a folder; fails with the command and its whole output unless it exits 0.</summary>
        public string Dotnet(string workingDirectory, TimeSpan timeout, params string[] args)
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            var start = new ProcessStartInfo(string.IsNullOrEmpty(dotnet) ? "dotnet" : dotnet, args)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // The test host's MSBuild settings are not the child's; no build servers are left behind (they would
            // also hold the output pipes open).
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                start.Environment.Remove(key);
            }
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            start.Environment["UseSharedCompilation"] = "false";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
            var command = "dotnet " + string.Join(" ", args);

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + command);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            bool exited = process.WaitForExit((int)timeout.TotalMilliseconds);
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            // A grandchild that kept the pipes open must not hang the test: take what has arrived.
            Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(30));
            string Text(Task<string> t) => t.IsCompletedSuccessfully ? t.Result : "(output not complete)";
            var report = $"{command}\n  in {workingDirectory}\n  "
                + (exited ? $"exit {process.ExitCode}" : $"killed after {timeout.TotalMinutes:0.#} min")
                + $" after {clock.Elapsed.TotalSeconds:0} s\n--- stdout ---\n{Text(stdout)}\n--- stderr ---\n{Text(stderr)}";
            Assert.True(exited && process.ExitCode == 0, report);
            return Text(stdout);
        }

        public void Dispose()
        {
            var cached = Path.Combine(NuGetPackages(), "autospec", Version.ToLowerInvariant());
            try
            {
                if (Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }
            }
            catch (IOException)
            {
            }
            Folder.Dispose();
        }
    }
}
