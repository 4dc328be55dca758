using System.Text;
using AutoSpec.Data;

namespace AutoSpec.Tests.Data;

/// <summary>A temporary folder and helpers shared by the loader tests.</summary>
public abstract class LoaderTestBase : IDisposable
{
    protected string Dir { get; } = Directory.CreateTempSubdirectory("autospec-data-").FullName;

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected string WriteText(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    protected string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Loading fails with one line that contains every fragment.</summary>
    protected static InvalidInputException Fails(DataSource source, params string[] fragments)
    {
        var e = Assert.Throws<InvalidInputException>(() => DatasetLoader.Load(source));
        Assert.DoesNotContain('\n', e.Message);
        foreach (var f in fragments)
        {
            Assert.Contains(f, e.Message);
        }
        return e;
    }
}
