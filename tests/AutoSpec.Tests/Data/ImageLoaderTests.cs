using AutoSpec.Data;

namespace AutoSpec.Tests.Data;

public sealed class ImageLoaderTests : LoaderTestBase
{
    private DataSource List(string table) => new()
    {
        Path = table,
        LabelColumn = "dx",
        GroupColumns = ["site"],
        SubjectColumn = "id",
        PathColumn = "image",
    };

    private void Image(string name, int[] dims, Func<int, float> value)
    {
        var n = dims.Aggregate(1, (a, b) => a * b);
        NiftiFile.Write(Path.Combine(Dir, name), Enumerable.Range(0, n).Select(value).ToArray(), dims);
    }

    [Fact]
    public void ListedVolumesLoadInCOrderWithRelativePaths()
    {
        Directory.CreateDirectory(Path.Combine(Dir, "img"));
        Image("img/a.nii.gz", [2, 2, 2], i => i);
        Image("img/b.nii", [2, 2, 2], i => 10 + i);
        var table = WriteText("subjects.csv", "id,dx,site,image\ns1,pt,A,img/a.nii.gz\ns2,hc,B,img/b.nii\n");

        var (d, _) = DatasetLoader.Load(List(table));

        Assert.Equal([2, 2, 2], d.SampleShape);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (float)i).Concat(Enumerable.Range(10, 8).Select(i => (float)i)), d.Features);
        Assert.Equal(["hc", "pt"], d.LabelNames);
        Assert.Equal([1, 0], d.Labels);
        Assert.Equal("v1_0_1", d.FeatureNames[5]);
    }

    [Fact]
    public void MaskKeepsInMaskVoxelsOf4DImages()
    {
        Image("a.nii", [2, 1, 1, 3], i => i); // C order [x, y, z, t]: voxel 0 → 0 1 2, voxel 1 → 3 4 5
        Image("b.nii", [2, 1, 1, 3], i => -i);
        Image("mask.nii", [2, 1, 1], i => i); // only voxel 1 is inside
        var table = WriteText("s.csv", "id,dx,site,image\ns1,1,A,a.nii\ns2,0,A,b.nii\n");

        var (d, _) = DatasetLoader.Load(List(table) with { MaskPath = Path.Combine(Dir, "mask.nii") });

        Assert.Equal([1, 3], d.SampleShape);
        Assert.Equal([3f, 4f, 5f, -3f, -4f, -5f], d.Features);
        Assert.Equal("v1_0_0_2", d.FeatureNames[2]);
    }

    [Fact]
    public void MismatchedShapesNameTheSubject()
    {
        Image("a.nii", [2, 2, 2], i => i);
        Image("b.nii", [2, 2, 3], i => i);
        var table = WriteText("s.csv", "id,dx,site,image\ns1,1,A,a.nii\ns2,0,A,b.nii\n");
        Fails(List(table), "b.nii", "2 × 2 × 3", "subject 's2'", "2 × 2 × 2", "not resampled");
    }

    [Fact]
    public void MissingImageAndMaskGridAreErrors()
    {
        Image("a.nii", [2, 2, 2], i => i);
        Image("m.nii", [3, 2, 2], i => 1);
        var table = WriteText("s.csv", "id,dx,site,image\ns1,1,A,a.nii\ns2,0,A,gone.nii\n");
        Fails(List(table), "s.csv", "line 3", "'gone.nii'", "subject 's2'", "not found");
        var ok = WriteText("t.csv", "id,dx,site,image\ns1,1,A,a.nii\ns2,0,A,a.nii\n");
        Fails(List(ok) with { MaskPath = Path.Combine(Dir, "m.nii") }, "a.nii", "differs from the mask");
    }

    [Fact]
    public void NiftiStackPairsVolumesWithRows()
    {
        Image("stack.nii.gz", [2, 1, 1, 3], i => i); // volume t has voxel values x*3 + t
        var table = WriteText("s.csv", "id,dx,site\ns1,0,A\ns2,1,A\ns3,1,B\n");

        var (d, _) = DatasetLoader.Load(new DataSource
        {
            Path = Path.Combine(Dir, "stack.nii.gz"),
            LabelColumn = "dx",
            GroupColumns = ["site"],
            SubjectColumn = "id",
            SubjectTablePath = table,
        });

        Assert.Equal([2, 1, 1], d.SampleShape);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], d.Features);
        Assert.Equal(["s1", "s2", "s3"], d.SubjectIds);
    }

    [Fact]
    public void NaNVoxelNamesSubjectAndIndex()
    {
        Image("a.nii", [2, 2, 1], i => i == 3 ? float.NaN : i);
        Image("b.nii", [2, 2, 1], i => i);
        var table = WriteText("s.csv", "id,dx,site,image\ns1,1,A,a.nii\ns2,0,A,b.nii\n");
        Fails(List(table), "sample 0 (subject 's1')", "index (1, 1, 0)", "NaN");
    }
}
