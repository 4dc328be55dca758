using AutoSpec.Introspection;
using AutoSpec.Record;
using AutoSpec.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace OwnTrainingLoop;

/// <summary>
/// Adds AutoSpec to an ordinary TorchSharp training loop: a small classifier of patients and controls from two
/// sites, whose per-site gradient spectra are recorded into a run folder that <c>autospec report</c> reads.
/// </summary>
public static class Program
{
    /// <summary>Trains and records into the folder given as the first argument (default runs/own-loop).</summary>
    public static int Main(string[] args)
    {
        string folder = args.Length > 0 ? args[0] : Path.Combine("runs", "own-loop");
        Train(folder, epochs: 10);
        Console.WriteLine($"recorded into {folder}; see it with: autospec report {folder}");
        return 0;
    }

    /// <summary>The loop: data, model and optimiser are the caller's; the lines marked AutoSpec are all it adds.</summary>
    public static void Train(string folder, int epochs)
    {
        var (x, y, site) = SiteData.Generate(subjects: 240, features: 12, seed: 1);
        random.manual_seed(1);
        using var model = nn.Sequential(("fc1", nn.Linear(12, 32)), ("relu", nn.ReLU()), ("fc2", nn.Linear(32, 2)));
        // TorchSharp's own optimisers free Scalars while libtorch reads them (docs/TORCHSHARP.md): use the held ones.
        using var optimizer = new HeldScalarAdam(model.parameters(), 1e-3);

        // AutoSpec: record every step's per-site spectra (and the online permutation test) into a run folder.
        var run = RunRecorder.Create(folder, new RunDescription
        {
            Details = new Dictionary<string, string> { ["model"] = "MLP 12-32-2", ["optimizer"] = "Adam 1e-3", ["data"] = "SiteData, 240 subjects" },
            Overwrite = true,
        });
        using var probe = new IntrospectionProbe(model, new IntrospectionOptions(), SiteData.Sites, subjectGroups: site, sinks: [run]);

        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var batch in SiteData.Batches(x.shape[0], batchSize: 32, seed: epoch))
            {
                using var scope = NewDisposeScope();
                using var index = tensor(batch);
                optimizer.zero_grad();
                using (probe.Step(epoch, step++, [.. batch.Select(i => site[i])], [.. batch.Select(i => (int)i)])) // AutoSpec
                {
                    nn.functional.cross_entropy(model.call(x.index_select(0, index)), y.index_select(0, index)).backward();
                }
                optimizer.step();
            }
            probe.EndEpoch(); // AutoSpec (optional): test the epoch's window and flush now
        }
        probe.Complete(); // AutoSpec: final σ(W), merge the tables, mark the run complete
    }
}
