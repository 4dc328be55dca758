using static TorchSharp.torch;

namespace OwnTrainingLoop;

/// <summary>
/// Stand-in data of the example: subjects of two sites with a diagnosis; at site B the diagnosis shifts one more
/// feature, so the sites' gradients differ.
/// </summary>
public static class SiteData
{
    /// <summary>The sites, in the order of their indices.</summary>
    public static readonly string[] Sites = ["site-A", "site-B"];

    /// <summary>Features, diagnoses (0/1) and the site index of every subject.</summary>
    public static (Tensor X, Tensor Y, int[] Site) Generate(int subjects, int features, int seed)
    {
        var rng = new Random(seed);
        var values = new float[subjects * features];
        var labels = new long[subjects];
        var site = new int[subjects];
        for (int s = 0; s < subjects; s++)
        {
            site[s] = rng.Next(4) == 0 ? 1 : 0;
            labels[s] = rng.Next(2);
            for (int f = 0; f < features; f++)
            {
                double noise = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                double effect = labels[s] == 1 && (f == 0 || (site[s] == 1 && f == 1)) ? 1.0 : 0.0;
                values[s * features + f] = (float)(noise + effect);
            }
        }
        return (tensor(values, [subjects, features]), tensor(labels), site);
    }

    /// <summary>Shuffled mini-batches of subject indices.</summary>
    public static IEnumerable<long[]> Batches(long subjects, int batchSize, int seed)
    {
        var order = Enumerable.Range(0, (int)subjects).Select(i => (long)i).ToArray();
        new Random(seed).Shuffle(order);
        return order.Chunk(batchSize);
    }
}
