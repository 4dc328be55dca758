using AutoSpec.Data;
using PureHDF;

namespace AutoSpec.Tests.Data;

public sealed class Hdf5ArrayTests : LoaderTestBase
{
    private const string Subjects = "id,dx\ns1,hc\ns2,sz\ns3,sz\n";

    private string WriteH5(string name, Action<H5File> fill)
    {
        var path = Path.Combine(Dir, name);
        var file = new H5File();
        fill(file);
        file.Write(path);
        return path;
    }

    private DataSource Source(string path, string dataset) => new()
    {
        Path = path,
        DatasetPath = dataset,
        LabelColumn = "dx",
        SubjectColumn = "id",
        SubjectTablePath = WriteText("s.csv", Subjects),
    };

    [Fact]
    public void ReadsFloat32ThreeDimensionalDatasetInAGroup()
    {
        // subjects × components × time = 3 × 2 × 4, value = 100 s + 10 c + t.
        var values = new float[24];
        for (var i = 0; i < 24; i++)
        {
            values[i] = 100 * (i / 8) + 10 * (i / 4 % 2) + i % 4;
        }
        var path = WriteH5("tc.h5", f => f["gift"] = new H5Group { ["tc"] = new H5Dataset(values, fileDims: [3, 2, 4]) });

        var (d, _) = DatasetLoader.Load(Source(path, "gift/tc"));

        Assert.Equal([2, 4], d.SampleShape);
        Assert.Equal(values, d.Features);
        Assert.Equal(["hc", "sz", "sz"], d.Groups); // no group columns: groups are the labels
    }

    [Fact]
    public void ConvertsFloat64AndInt16AndReversesMatlabAxes()
    {
        var doubles = new double[] { 0.5, 1.5, 2.5 };
        var shorts = new short[] { -3, 7, 9, 11, 13, 15 };
        var path = WriteH5("m.mat", f =>
        {
            f["d"] = new H5Dataset(doubles, fileDims: [3]);
            // MATLAB writes a 3-subject × 2-feature matrix as 2 × 3 (column-major): row k = feature k.
            f["i"] = new H5Dataset(shorts, fileDims: [2, 3]);
        });

        var (d, _) = DatasetLoader.Load(Source(path, "/d"));
        Assert.Equal([0.5f, 1.5f, 2.5f], d.Features);
        Assert.Equal([1], d.SampleShape);

        var (m, _) = DatasetLoader.Load(Source(path, "/i") with { ReverseAxes = true });
        Assert.Equal([2], m.SampleShape);
        Assert.Equal([-3f, 11f, 7f, 13f, 9f, 15f], m.Features);
    }

    [Fact]
    public void MissingDatasetPathListsDatasets()
    {
        var path = WriteH5("x.h5", f => f["tc"] = new H5Dataset(new float[3], fileDims: [3]));
        Fails(Source(path, "/timecourses"), "x.h5", "no dataset at HDF5 path '/timecourses'", "/tc");
        Fails(Source(path, "/a/b"), "no dataset at HDF5 path '/a/b'");
        Fails(Source(path, "/tc") with { DatasetPath = null }, "--dataset");
    }

    [Fact]
    public void NotHdf5IsAnError()
    {
        Fails(Source(WriteText("fake.h5", "not hdf5 at all"), "/tc"), "fake.h5", "not a readable HDF5 file");
        Fails(Source(Path.Combine(Dir, "none.h5"), "/tc"), "none.h5", "file not found");
    }

    [Fact]
    public void ListShowsEveryDataset()
    {
        var path = WriteH5("l.h5", f =>
        {
            f["b"] = new H5Dataset(new double[2], fileDims: [2]);
            f["g"] = new H5Group { ["a"] = new H5Dataset(new float[6], fileDims: [2, 3]) };
        });

        var list = Hdf5Array.List(path);

        Assert.Equal(["/b", "/g/a"], list.Select(x => x.Path));
        Assert.Equal([2L, 3L], list[1].Shape);
    }
}
