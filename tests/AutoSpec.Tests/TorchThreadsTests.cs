using static TorchSharp.torch;

namespace AutoSpec.Tests;

/// <summary>
/// torch's intra-op thread count is per calling thread (OpenMP), plus a process-wide default that a thread's first
/// torch work takes: what the background introspection thread relies on (docs/TORCHSHARP.md).
/// </summary>
public sealed class TorchThreadsTests
{
    [Fact]
    public void ThreadCountIsPerCallingThreadAndANewThreadTakesTheLastSetDefault()
    {
        int main = get_num_threads();
        int other = main + 1, seenThere = 0, seenByNewThread = 0;
        Run(() =>
        {
            set_num_threads(other);
            seenThere = get_num_threads();
        });
        Assert.Equal(other, seenThere);
        Assert.Equal(main, get_num_threads());
        Run(() =>
        {
            seenByNewThread = get_num_threads();
            set_num_threads(main); // leave the default as it was
        });
        Assert.Equal(other, seenByNewThread);
    }

    private static void Run(Action action)
    {
        var thread = new Thread(() => action());
        thread.Start();
        thread.Join();
    }
}
