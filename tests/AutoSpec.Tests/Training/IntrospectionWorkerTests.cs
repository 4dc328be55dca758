using AutoSpec.Introspection;

namespace AutoSpec.Tests.Training;

public class IntrospectionWorkerTests
{
    private sealed class Item(Action run, long bytes = 0) : IntrospectionWorker.IItem
    {
        public long Bytes => bytes;

        public bool Ran { get; private set; }

        public bool Discarded { get; private set; }

        public void Run()
        {
            Ran = true;
            run();
        }

        public void Discard() => Discarded = true;
    }

    [Fact]
    public void WorkRunsInPostingOrderOnOneOtherThread()
    {
        var timings = new IntrospectionTimings();
        using var worker = new IntrospectionWorker(2, long.MaxValue, 1, timings);
        var seen = new List<(int Item, int Thread)>();
        for (int i = 0; i < 50; i++)
        {
            int k = i;
            worker.Post(new Item(() => seen.Add((k, Environment.CurrentManagedThreadId))));
        }
        worker.Drain();
        Assert.Equal(Enumerable.Range(0, 50), seen.Select(s => s.Item));
        Assert.Single(seen.Select(s => s.Thread).Distinct());
        Assert.NotEqual(Environment.CurrentManagedThreadId, seen[0].Thread);
    }

    [Fact]
    public async Task AFullQueueMakesThePosterWait()
    {
        var timings = new IntrospectionTimings();
        using var worker = new IntrospectionWorker(2, long.MaxValue, 1, timings);
        using var release = new ManualResetEventSlim();
        worker.Post(new Item(() => release.Wait()));
        worker.Post(new Item(() => { }));
        // Two items are unfinished (one runs, blocked; one waits): the third post has to wait for the first to finish.
        var third = Task.Run(() => worker.Post(new Item(() => { })));
        Assert.NotSame(third, await Task.WhenAny(third, Task.Delay(300)));
        release.Set();
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        worker.Drain();
        Assert.True(timings[IntrospectionPhase.Waiting] > TimeSpan.Zero);
    }

    [Fact]
    public async Task TheByteBudgetMakesThePosterWaitButNeverBlocksASingleLargeItem()
    {
        using var worker = new IntrospectionWorker(100, 1000, 1, new IntrospectionTimings());
        using var release = new ManualResetEventSlim();
        // Larger than the whole budget, but nothing is pending: it goes through.
        worker.Post(new Item(() => release.Wait(), 5000));
        var second = Task.Run(() => worker.Post(new Item(() => { }, 10)));
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(300)));
        release.Set();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        worker.Drain();
    }

    [Fact]
    public void TheFirstErrorIsRethrownAndLaterWorkIsDiscarded()
    {
        using var worker = new IntrospectionWorker(4, long.MaxValue, 1, new IntrospectionTimings());
        using var release = new ManualResetEventSlim();
        var failing = new Item(() =>
        {
            release.Wait();
            throw new InvalidInputException("layer 'fc1' broke");
        });
        var queued = new Item(() => { });
        worker.Post(failing);
        worker.Post(queued);
        release.Set();
        var error = Assert.Throws<InvalidInputException>(worker.Drain);
        Assert.Contains("fc1", error.Message);
        Assert.False(queued.Ran);
        Assert.True(queued.Discarded);
        // A post after the error is refused with the same error, and its item is released.
        var late = new Item(() => { });
        Assert.Throws<InvalidInputException>(() => worker.Post(late));
        Assert.True(late.Discarded);
        Assert.False(late.Ran);
    }

    [Fact]
    public void QuiesceWaitsWithoutRethrowing()
    {
        using var worker = new IntrospectionWorker(2, long.MaxValue, 1, new IntrospectionTimings());
        worker.Post(new Item(() => throw new InvalidOperationException("boom")));
        worker.Quiesce();
        Assert.Throws<InvalidOperationException>(worker.Drain);
    }
}
