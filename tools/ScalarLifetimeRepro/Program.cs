using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

// A minimal reproduction, without AutoSpec code, of the sporadic native faults of issue 12.
//
// TorchSharp converts a .NET number passed where an op takes a Scalar (t.mul(0.5), t.add(u, alpha: 2.0),
// optimisers' internals) into a temporary Scalar object that owns a native c10::Scalar and frees it in its
// finaliser. The op reads the native handle and passes it to libtorch; from then on nothing refers to the
// temporary, so a garbage collection started by another thread during the native call may finalise it and free
// the c10::Scalar while libtorch still reads it. The loop below does many such calls on one thread while another
// thread keeps collecting; each result is checked against its exact value. The second phase makes the same calls
// with Scalars created explicitly and kept alive until the call returned.
int iterations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
torch.set_num_threads(1);

Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}, .NET {Environment.Version}");
Console.WriteLine($"{iterations} iterations per phase, 3 scalar ops each, a second thread running GC.Collect() + WaitForPendingFinalizers()");
Report("implicit Scalars (t.mul(0.5), t.add(u, alpha: 2.0), t.clamp(min: -0.25))", Run(iterations, held: false));
Report("held Scalars (created with ToScalar(), disposed after the call)", Run(iterations, held: true));

static (int Wrong, int Exceptions, TimeSpan Time, string? First, Dictionary<string, int> Messages) Run(int iterations, bool held)
{
    using var stop = new CancellationTokenSource();
    var collector = new Thread(() =>
    {
        while (!stop.IsCancellationRequested)
        {
            // Garbage to give the collector work, then a full collection that runs pending finalisers.
            _ = new byte[64 * 1024];
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    })
    { IsBackground = true };
    collector.Start();

    int wrong = 0, exceptions = 0;
    string? first = null;
    var messages = new Dictionary<string, int>();
    var clock = Stopwatch.StartNew();
    using var x = torch.ones(16, dtype: float32);
    using var half = 0.5.ToScalar();
    using var two = 2.0.ToScalar();
    using var floor = (-0.25).ToScalar();
    for (int i = 0; i < iterations; i++)
    {
        try
        {
            using var scope = torch.NewDisposeScope();
            Tensor a, b, c;
            if (held)
            {
                a = x.mul(half);
                b = x.add(x, alpha: two);
                c = x.neg().clamp(min: floor);
            }
            else
            {
                a = x.mul(0.5);
                b = x.add(x, alpha: 2.0);
                c = x.neg().clamp(min: -0.25);
            }
            // Exact in float32: 16 · 0.5, 16 · 3, 16 · (−0.25).
            double sa = a.sum().item<float>(), sb = b.sum().item<float>(), sc = c.sum().item<float>();
            if (sa != 8 || sb != 48 || sc != -4)
            {
                wrong++;
                first ??= $"iteration {i}: sums {sa}, {sb}, {sc} (expected 8, 48, -4)";
            }
        }
        catch (Exception e)
        {
            exceptions++;
            string message = e.Message.Split('\n')[0];
            first ??= $"iteration {i}: {e.GetType().Name}: {message}";
            messages[message] = messages.GetValueOrDefault(message) + 1;
        }
    }
    stop.Cancel();
    collector.Join();
    return (wrong, exceptions, clock.Elapsed, first, messages);
}

static void Report(string phase, (int Wrong, int Exceptions, TimeSpan Time, string? First, Dictionary<string, int> Messages) r)
{
    Console.WriteLine($"{phase}: {r.Wrong} wrong results, {r.Exceptions} exceptions in {r.Time.TotalSeconds:F1} s"
        + (r.First is null ? "" : $"; first: {r.First}"));
    foreach (var (message, count) in r.Messages.OrderByDescending(m => m.Value))
    {
        Console.WriteLine($"    {count} × {message}");
    }
}
