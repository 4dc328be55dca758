using System.Buffers.Binary;
using System.Text;
using AutoSpec.Data;
using AutoSpec.Files;
using AutoSpec.Record;

namespace AutoSpec.Tests.Data;

public sealed class ArrayFileLoaderTests : LoaderTestBase
{
    private const string Subjects = "id,dx,sex\ns1,0,F\ns2,1,M\ns3,0,M\n";

    private DataSource Npy(string path, string table) => new()
    {
        Path = path,
        LabelColumn = "dx",
        GroupColumns = ["sex"],
        SubjectColumn = "id",
        SubjectTablePath = table,
    };

    /// <summary>A .npy file made byte by byte: version 1.0 header padded to 64 bytes, then the raw data.</summary>
    private static byte[] NpyBytes(string descr, bool fortran, string shape, byte[] data)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        var total = 10 + dict.Length + 1;
        var padded = (total + 63) / 64 * 64;
        var header = dict + new string(' ', padded - total) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 };
        bytes.Add((byte)(header.Length & 0xff));
        bytes.Add((byte)(header.Length >> 8));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return [.. bytes];
    }

    [Fact]
    public void HandMadeBigEndianFortranInt16ArrayPairsRowsInOrder()
    {
        // Shape (3, 2): C-order values 1..6; Fortran order stores column by column: 1, 3, 5, 2, 4, 6.
        var data = new byte[12];
        short[] fortran = [1, 3, 5, 2, 4, 6];
        for (var i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(2 * i), fortran[i]);
        }
        var npy = WriteBytes("x.npy", NpyBytes(">i2", true, "(3, 2)", data));
        var table = WriteText("subjects.csv", Subjects);

        var (d, _) = DatasetLoader.Load(Npy(npy, table));

        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], d.Features);
        Assert.Equal([2], d.SampleShape);
        Assert.Equal(["s1", "s2", "s3"], d.SubjectIds);
        Assert.Equal([0, 1, 0], d.Labels);
        Assert.Equal(["F", "M", "M"], d.Groups);
    }

    [Fact]
    public void ThreeDimensionalFloat64KeepsSampleShape()
    {
        var values = Enumerable.Range(0, 3 * 2 * 4).Select(i => i * 0.5).ToArray();
        var npy = Path.Combine(Dir, "tc.npy");
        NpyFile.Write(npy, values, 3, 2, 4);

        var (d, _) = DatasetLoader.Load(Npy(npy, WriteText("s.csv", Subjects)));

        Assert.Equal([2, 4], d.SampleShape);
        Assert.Equal(values.Select(v => (float)v), d.Features);
        Assert.Equal("v1_3", d.FeatureNames[7]);
    }

    [Fact]
    public void IdsFileMatchesRowsById()
    {
        var npy = Path.Combine(Dir, "x.npy");
        NpyFile.Write(npy, new float[] { 10, 20, 30 }, 3, 1);
        var ids = WriteText("ids.txt", "s3\ns1\ns2\n");

        var (d, _) = DatasetLoader.Load(Npy(npy, WriteText("s.csv", Subjects)) with { SampleIdsPath = ids });

        Assert.Equal(["s3", "s1", "s2"], d.SubjectIds);
        Assert.Equal([0, 0, 1], d.Labels);
        Assert.Equal([10f, 20f, 30f], d.Features);
    }

    [Fact]
    public void DataWithoutRowAndRowWithoutDataAreErrors()
    {
        var npy = Path.Combine(Dir, "x.npy");
        NpyFile.Write(npy, new float[] { 1, 2, 3 }, 3);
        var table = WriteText("s.csv", Subjects);

        Fails(Npy(npy, table) with { SampleIdsPath = WriteText("a.txt", "s1\ns2\ns9\n") },
            "x.npy", "sample 2", "'s9'", "no row in");
        var four = Path.Combine(Dir, "four.npy");
        NpyFile.Write(four, new float[] { 1, 2 }, 2);
        Fails(Npy(four, table) with { SampleIdsPath = WriteText("b.txt", "s1\ns2\n") },
            "s.csv", "line 4", "subject 's3' has no sample");
        Fails(Npy(four, table), "four.npy", "2 samples", "3 rows");
    }

    [Fact]
    public void DuplicateSubjectIdIsAnError()
    {
        var npy = Path.Combine(Dir, "x.npy");
        NpyFile.Write(npy, new float[] { 1, 2, 3 }, 3);
        Fails(Npy(npy, WriteText("dup.csv", "id,dx,sex\ns1,0,F\ns2,1,M\ns1,0,M\n")),
            "dup.csv", "duplicate subject id 's1' on lines 2 and 4");
    }

    [Fact]
    public void SessionsAllowRepeatedSubjects()
    {
        var npy = Path.Combine(Dir, "x.npy");
        NpyFile.Write(npy, new float[] { 1, 2, 3 }, 3);
        var table = WriteText("ses.csv", "id,ses,dx,sex\ns1,a,0,F\ns1,b,0,F\ns2,a,1,M\n");

        var (d, _) = DatasetLoader.Load(Npy(npy, table) with { SessionColumn = "ses" });

        Assert.Equal(["s1", "s1", "s2"], d.SubjectIds);
    }

    [Fact]
    public void NaNNamesSubjectAndIndex()
    {
        var npy = Path.Combine(Dir, "nan.npy");
        NpyFile.Write(npy, new float[] { 1, 2, 3, 4, float.NaN, 6 }, 3, 2);
        Fails(Npy(npy, WriteText("s.csv", Subjects)), "nan.npy", "sample 2 (subject 's3')", "index (0)", "NaN");
        NpyFile.Write(npy, new float[] { 1, float.PositiveInfinity, 3, 4, 5, 6 }, 3, 2);
        Fails(Npy(npy, WriteText("s.csv", Subjects)), "sample 0 (subject 's1')", "index (1)", "+Inf");
    }

    [Fact]
    public void UnsupportedDtypeAndTruncatedDataAreErrors()
    {
        var table = WriteText("s.csv", Subjects);
        var complex = WriteBytes("c.npy", NpyBytes("<c8", false, "(3,)", new byte[24]));
        Fails(Npy(complex, table), "c.npy", "unsupported dtype '<c8'");
        var shortData = WriteBytes("t.npy", NpyBytes("<f4", false, "(3, 2)", new byte[20]));
        Fails(Npy(shortData, table), "t.npy", "20 bytes", "needs 24 bytes");
    }

    [Fact]
    public void OneClassAndMissingSubjectTableAreErrors()
    {
        var npy = Path.Combine(Dir, "x.npy");
        NpyFile.Write(npy, new float[] { 1, 2, 3 }, 3);
        Fails(Npy(npy, WriteText("one.csv", "id,dx,sex\ns1,0,F\ns2,0,M\ns3,0,M\n")), "one.csv", "only one distinct label");
        Fails(Npy(npy, "") with { SubjectTablePath = null }, "x.npy", "--subjects");
    }

    [Fact]
    public void UnknownFormatIsAnError()
    {
        Fails(Npy(WriteText("x.parquet", "?"), "s.csv"), "x.parquet", "unknown format '.parquet'");
        Assert.Throws<InvalidInputException>(() => DatasetLoader.ParseFormat("xlsx"));
        Assert.Equal(DataFormat.Hdf5, DatasetLoader.ResolveFormat("a/b.MAT"));
        Assert.Equal(DataFormat.Nifti, DatasetLoader.ResolveFormat("a/b.nii.gz"));
        Assert.Equal(DataFormat.Tsv, DatasetLoader.ResolveFormat("a/b.tsv.gz"));
    }

    [Fact]
    public void WideTableWithTwoGroupColumnsCombinesThem()
    {
        var path = WriteText("wide.csv", "id,dx,site,sex,x,y\ns1,0,A,F,1,2\ns2,1,A,M,3,4\ns3,0,B,F,5,6\ns4,1,B,F,7,8\n");

        var (d, warnings) = DatasetLoader.Load(new DataSource
        {
            Path = path,
            LabelColumn = "dx",
            GroupColumns = ["site", "sex"],
            SubjectColumn = "id",
        });

        Assert.Equal(["x", "y"], d.FeatureNames);
        Assert.Equal(["A/F", "A/M", "B/F", "B/F"], d.Groups);
        Assert.Equal(2, warnings.Count); // A/F and A/M have one sample each
    }

    [Fact]
    public void WideTableWithoutGroupColumnsGroupsByLabel()
    {
        var path = WriteText("wide.tsv", "dx\tx\n0\t1\n1\t2\n0\t3\n1\t4\n");

        var (d, _) = DatasetLoader.Load(new DataSource { Path = path, LabelColumn = "dx" });

        Assert.Equal(["0", "1", "0", "1"], d.Groups);
        Assert.Equal(["x"], d.FeatureNames);
    }

    [Fact]
    public void OptionsOfAnotherLayoutAreRefused()
    {
        var npy = Path.Combine(Dir, "x.npy");
        NpyFile.Write(npy, new float[] { 1, 2, 3 }, 3);
        Fails(Npy(npy, WriteText("s.csv", Subjects)) with { PivotColumn = "roi", DatasetPath = "/x" }, "x.npy", "DatasetPath, PivotColumn", "Npy");
        var csv = WriteText("t.csv", "dx,x\n0,1\n1,2\n");
        Fails(new DataSource { Path = csv, LabelColumn = "dx", SubjectTablePath = "s.csv" }, "t.csv", "SubjectTablePath");
    }
}
