using AutoSpec.Data;
using AutoSpec.Record;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoSpec.Training;

/// <summary>
/// Accuracy and AUC of the trained model per group: whether the model serves every group equally well is the first
/// thing a group comparison is read against (a difference in gradients may just mirror a group it fits worse).
/// </summary>
internal static class GroupEvaluation
{
    /// <summary>One score per group with samples among <paramref name="rows"/>, in the order of <paramref name="groupNames"/>.</summary>
    public static List<GroupScore> Evaluate(nn.Module<Tensor, Tensor> model, float[] features, Dataset data, int[] rows,
        IReadOnlyList<string> groupNames)
    {
        if (rows.Length == 0)
        {
            return [];
        }
        long[] shape = [data.SampleCount, .. data.SampleShape.Select(d => (long)d)];
        using var x = tensor(features, shape);
        return Evaluate(model, x, data, rows, groupNames);
    }

    /// <summary>As above, on the samples as a tensor already made (every sample, in the data's order).</summary>
    private static List<GroupScore> Evaluate(nn.Module<Tensor, Tensor> model, Tensor x, Dataset data, int[] rows,
        IReadOnlyList<string> groupNames)
    {
        float[] probabilities;
        bool wasTraining = model.training;
        model.eval();
        using (no_grad())
        using (NewDisposeScope())
        {
            var index = tensor(rows.Select(i => (long)i).ToArray(), ScalarType.Int64);
            probabilities = softmax(model.call(x.index_select(0, index)), 1).data<float>().ToArray();
        }
        if (wasTraining)
        {
            model.train();
        }
        return Scores(probabilities, data, rows, groupNames);
    }

    /// <summary>
    /// One score per group from class probabilities already computed for <paramref name="rows"/> (row-major, one row
    /// of classes per row): the epoch loop's validation pass serves the groups too, without a second forward pass.
    /// </summary>
    public static List<GroupScore> Scores(float[] probabilities, Dataset data, int[] rows, IReadOnlyList<string> groupNames)
    {
        int classes = data.LabelNames.Count;
        var scores = new List<GroupScore>();
        foreach (var group in groupNames)
        {
            var members = Enumerable.Range(0, rows.Length).Where(k => data.Groups[rows[k]] == group).ToArray();
            if (members.Length == 0)
            {
                continue;
            }
            var p = members.SelectMany(k => probabilities.AsSpan(k * classes, classes).ToArray()).ToArray();
            var labels = members.Select(k => data.Labels[rows[k]]).ToArray();
            int subjects = members.Select(k => data.SubjectIds[rows[k]]).Distinct(StringComparer.Ordinal).Count();
            // Cross-entropy from the probabilities; the floor keeps a probability that underflowed to 0 finite.
            double loss = members.Select((k, j) => -Math.Log(Math.Max(p[j * classes + labels[j]], 1e-30))).Average();
            scores.Add(new GroupScore(group, members.Length, subjects, ClassificationMetrics.Accuracy(p, classes, labels),
                ClassificationMetrics.RocAuc(p, classes, labels), loss));
        }
        return scores;
    }
}
