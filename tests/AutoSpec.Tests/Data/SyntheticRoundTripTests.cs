using AutoSpec.Data;

namespace AutoSpec.Tests.Data;

/// <summary>Synthetic data written in every layout loads back unchanged through <see cref="DatasetLoader"/>.</summary>
public sealed class SyntheticRoundTripTests : LoaderTestBase
{
    private static DataSource Source(string path) => new()
    {
        Path = path,
        LabelColumn = SyntheticDataWriter.LabelColumn,
        GroupColumns = [SyntheticDataWriter.GroupColumn],
        SubjectColumn = SyntheticDataWriter.SubjectColumn,
    };

    private static void Same(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.Features, actual.Features);
        Assert.Equal(expected.SampleShape, actual.SampleShape);
        Assert.Equal(expected.LabelNames, actual.LabelNames);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Groups, actual.Groups);
        Assert.Equal(expected.SubjectIds, actual.SubjectIds);
    }

    private static Dataset Table() => GaussianMixtureGenerator.Generate(new GaussianMixtureOptions { Samples = 40, Features = 10 });

    private static Dataset TimeCourses() => TimeCourseGenerator.Generate(new TimeCourseOptions { Subjects = 16, Components = 6, TimePoints = 20, LowHz = 0.01, HighHz = 0.2 });

    [Fact]
    public void WideTable()
    {
        var d = Table();
        var (back, _) = DatasetLoader.Load(Source(SyntheticDataWriter.WriteWideTable(d, Dir)));
        Same(d, back);
        Assert.Equal(d.FeatureNames, back.FeatureNames);
    }

    [Fact]
    public void LongTable()
    {
        var d = Table();
        var path = SyntheticDataWriter.WriteLongTable(d, Dir);
        var (back, _) = DatasetLoader.Load(Source(path) with { SessionColumn = "session", PivotColumn = "feature", ValueColumn = "value" });
        Same(d, back);
        Assert.Equal(d.FeatureNames, back.FeatureNames);
    }

    [Fact]
    public void NpyWithSubjectTable()
    {
        var d = TimeCourses();
        var npy = SyntheticDataWriter.WriteNpy(d, Dir, "tc.npy");
        var table = SyntheticDataWriter.WriteSubjectTable(d, Dir);
        var (back, _) = DatasetLoader.Load(Source(npy) with { SubjectTablePath = table });
        Same(d, back);
    }

    [Fact]
    public void Hdf5WithSubjectTable()
    {
        var d = TimeCourses();
        var h5 = SyntheticDataWriter.WriteHdf5(d, Dir, "tc.h5", "timecourses");
        var table = SyntheticDataWriter.WriteSubjectTable(d, Dir);
        var (back, _) = DatasetLoader.Load(Source(h5) with { SubjectTablePath = table, DatasetPath = "/timecourses" });
        Same(d, back);
    }

    [Fact]
    public void NiftiImagesWithMask()
    {
        var o = new VolumeOptions { Subjects = 8, SizeX = 6, SizeY = 7, SizeZ = 5 };
        var d = VolumeGenerator.Generate(o);
        var table = SyntheticDataWriter.WriteNiftiImages(d, Dir, 3f);
        var (back, _) = DatasetLoader.Load(Source(table) with { PathColumn = "image" });
        Same(d, back);

        var maskPath = Path.Combine(Dir, "mask.nii.gz");
        var mask = VolumeGenerator.BrainMask(o);
        NiftiFile.Write(maskPath, mask, [6, 7, 5]);
        var (masked, _) = DatasetLoader.Load(Source(table) with { PathColumn = "image", MaskPath = maskPath });
        var inside = Enumerable.Range(0, mask.Length).Where(v => mask[v] != 0).ToArray();
        Assert.Equal([inside.Length], masked.SampleShape);
        Assert.Equal(d.Features[(3 * d.FeatureCount) + inside[5]], masked.Features[(3 * inside.Length) + 5]);
    }
}
