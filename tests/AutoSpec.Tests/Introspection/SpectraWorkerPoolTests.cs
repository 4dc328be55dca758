using AutoSpec.Introspection;

namespace AutoSpec.Tests.Introspection;

public class SpectraWorkerPoolTests
{
    [Fact]
    public void UnitsRunAtOnceOnTheirOwnThreadsWithTheirOwnTorchThreadCount()
    {
        // Synchronous on purpose: OpenMP's thread count is per thread, so the caller's is read on one thread.
        int callerThreads = TorchSharp.torch.get_num_threads();
        using var pool = new SpectraWorkerPool(3, torchThreads: callerThreads + 1);
        // Each unit waits until all three have started: only three threads running at once get past the barrier.
        using var barrier = new Barrier(3);
        using var done = new CountdownEvent(3);
        var seen = new (string? Name, int Torch, bool Together)[3];
        for (int i = 0; i < 3; i++)
        {
            int unit = i;
            _ = pool.Run(() =>
            {
                bool together = barrier.SignalAndWait(TimeSpan.FromSeconds(30));
                seen[unit] = (Thread.CurrentThread.Name, TorchSharp.torch.get_num_threads(), together);
                done.Signal();
                return unit;
            });
        }
        Assert.True(done.Wait(TimeSpan.FromSeconds(60)), "the units did not finish");
        Assert.All(seen, s => Assert.True(s.Together, "the units did not run at once"));
        Assert.Equal(3, seen.Select(s => s.Name).Distinct().Count());
        Assert.All(seen, s => Assert.StartsWith("autospec-spectra-", s.Name));
        Assert.All(seen, s => Assert.Equal(callerThreads + 1, s.Torch));
        Assert.Equal(callerThreads, TorchSharp.torch.get_num_threads());
    }

    [Fact]
    public async Task AFailingUnitFaultsOnlyItsOwnTask()
    {
        using var pool = new SpectraWorkerPool(2, torchThreads: 1);
        var failing = pool.Run<int>(() => throw new InvalidOperationException("unit failed"));
        var fine = pool.Run(() => 42);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("unit failed", error.Message);
        Assert.Equal(42, await fine);
    }

    [Fact]
    public void DisposeFinishesTheQueuedUnits()
    {
        Task<int>[] units;
        using (var pool = new SpectraWorkerPool(1, torchThreads: 1))
        {
            units = [.. Enumerable.Range(0, 20).Select(i => pool.Run(() =>
            {
                Thread.Sleep(1);
                return i;
            }))];
        }
        Assert.All(units, u => Assert.True(u.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(0, 20), units.Select(u => u.Result));
    }

    [Fact]
    public void AutoUsesTheCoresTrainingLeavesFreeAndAtLeastOne()
    {
        Assert.Equal(5, SpectraWorkerPool.Resolve(5, trainingThreads: 1));
        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), SpectraWorkerPool.Resolve(0, trainingThreads: 1));
        Assert.Equal(1, SpectraWorkerPool.Resolve(0, trainingThreads: Environment.ProcessorCount + 4));
    }

    [Fact]
    public void TryRunOneRunsAQueuedUnitOnTheCallingThread()
    {
        using var pool = new SpectraWorkerPool(1, torchThreads: 1);
        // Keep the only worker busy so that the next unit stays queued for the caller.
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        _ = pool.Run(() =>
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return 0;
        });
        try
        {
            Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
            int ranOn = -1;
            var queued = pool.Run(() => ranOn = Environment.CurrentManagedThreadId);
            Assert.True(pool.TryRunOne());
            Assert.Equal(Environment.CurrentManagedThreadId, ranOn);
            Assert.True(queued.IsCompletedSuccessfully);
            Assert.False(pool.TryRunOne());
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void ANegativeWorkerCountIsRefusedNamingTheOption()
    {
        var error = Assert.ThrowsAny<ArgumentException>(new IntrospectionOptions { SpectraWorkers = -1 }.Validate);
        Assert.Equal("Introspection.SpectraWorkers", error.ParamName);
        Assert.StartsWith("Introspection.SpectraWorkers", error.Message);
    }
}
