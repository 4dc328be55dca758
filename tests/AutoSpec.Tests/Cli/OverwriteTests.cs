using AutoSpec.Record;
using AutoSpec.Sweeps;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Cli;

/// <summary>
/// <c>run --overwrite</c> deletes only what a run writes, only in a folder holding an AutoSpec run manifest, and
/// never under a live writer.
/// </summary>
[Collection("cli")]
public sealed class OverwriteTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Exit, string Out, string Err) Tiny(string dir, params string[] extra) =>
        CliRunner.Run(["run", "--epochs", "1", "--synth-samples", "100", "--permutations", "0", "--quantities", "grad",
            "--threads", "1", "--out", dir, .. extra]);

    [Fact]
    public void ForeignManifestFolderIsNotTouched()
    {
        var dir = _temp.Combine("p");
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "manifest.json"), "{\"name\":\"x\"}");
        File.WriteAllText(Path.Combine(dir, "src", "a.js"), "hi");

        var r = Tiny(dir, "--overwrite");

        Refusal.AssertErrorLine(r, "--out", "not an AutoSpec run manifest");
        Assert.Equal("hi", File.ReadAllText(Path.Combine(dir, "src", "a.js")));
        Assert.Equal("{\"name\":\"x\"}", File.ReadAllText(Path.Combine(dir, "manifest.json")));
    }

    [Fact]
    public void OverwriteKeepsTheUsersFilesBesideARun()
    {
        var dir = _temp.Combine("run");
        Assert.Equal(0, Tiny(dir).Exit);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        Directory.CreateDirectory(Path.Combine(dir, "src"));
        File.WriteAllText(Path.Combine(dir, "src", "a.js"), "hi");
        File.WriteAllText(Path.Combine(dir, "spectra.parquet.bak"), "backup");

        var r = Tiny(dir, "--overwrite", "--seed", "3");

        Assert.True(r.Exit == 0, r.Err);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "notes.txt")));
        Assert.Equal("hi", File.ReadAllText(Path.Combine(dir, "src", "a.js")));
        Assert.Equal("backup", File.ReadAllText(Path.Combine(dir, "spectra.parquet.bak")));
        Assert.Contains("\"seed\": 3", File.ReadAllText(Path.Combine(dir, "manifest.json")));
    }

    [Fact]
    public void HeldLockRefusesOverwriteNamingTheProcess()
    {
        var dir = _temp.Combine("run");
        Assert.Equal(0, Tiny(dir).Exit);
        // A live writer: this process holds the lock through its own open file, as a running trainer does.
        using (var held = RunLock.TryAcquire(Path.Combine(dir, RunFiles.Lock)))
        {
            Assert.NotNull(held);
            var before = File.ReadAllText(Path.Combine(dir, "manifest.json"));

            var r = Tiny(dir, "--overwrite", "--seed", "4");

            Refusal.AssertErrorLine(r, "--out", "run.lock", $"process {Environment.ProcessId}");
            Assert.Equal(before, File.ReadAllText(Path.Combine(dir, "manifest.json")));
            Assert.True(File.Exists(Path.Combine(dir, "spectra.parquet")));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LockOnlyFolderStartsAgain(bool overwrite)
    {
        // What a run killed by a full disk before its manifest leaves behind.
        var dir = _temp.Combine("run");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, RunFiles.Lock), "");
        File.WriteAllText(Path.Combine(dir, "manifest.json.tmp"), "{\"form");

        var r = overwrite ? Tiny(dir, "--overwrite") : Tiny(dir);

        Assert.True(r.Exit == 0, r.Err);
        Assert.False(File.Exists(Path.Combine(dir, "manifest.json.tmp")));
        Assert.Contains("\"status\": \"complete\"", File.ReadAllText(Path.Combine(dir, "manifest.json")));
    }

    [Fact]
    public void EmptyOutIsRefused()
    {
        var r = CliRunner.Run("run", "--epochs", "1", "--out", "");

        Refusal.AssertErrorLine(r, "--out", "empty");
    }

    [Theory]
    [InlineData("manifest.json", true)]
    [InlineData("run.lock", true)]
    [InlineData("parts/spectra-00001.parquet", true)]
    [InlineData("parts/spectra-00001.parquet.tmp", true)]
    [InlineData("dump/step-000003/fc1.A.npy", true)]
    [InlineData("dump/step-000003/groups.json", true)]
    [InlineData("checkpoint.bin.tmp", true)]
    [InlineData("permutation_null.parquet", true)]
    [InlineData("parts/notes-00001.parquet", false)]
    [InlineData("src/a.js", false)]
    [InlineData("spectra.parquet.bak", false)]
    [InlineData("dump/readme.txt", false)]
    public void RunFilesAreKnownByName(string path, bool written) => Assert.Equal(written, RunFiles.IsRunFile(path));
}
