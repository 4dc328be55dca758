using AutoSpec.Data;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Data;

public sealed class LongTableLoaderTests : LoaderTestBase
{
    private const string Header = "subject,session,dx,site,roi,value\n";

    private DataSource Long(string path) => new()
    {
        Path = path,
        LabelColumn = "dx",
        GroupColumns = ["site"],
        SubjectColumn = "subject",
        SessionColumn = "session",
        PivotColumn = "roi",
        ValueColumn = "value",
    };

    [Fact]
    public void PivotsToOneSamplePerSubjectSession()
    {
        var path = WriteText("long.csv", Header +
            "s1,pre,p,A,b,1\n" +
            "s1,pre,p,A,a,2\n" +
            "s2,pre,c,B,a,3\n" +
            "s1,post,p,A,a,4\n" +
            "s2,pre,c,B,b,5\n" +
            "s1,post,p,A,b,6\n" +
            "s3,pre,c,A,b,7\n" +
            "s3,pre,c,A,a,8\n");

        var (data, _) = DatasetLoader.Load(Long(path));

        Assert.Equal(["b", "a"], data.FeatureNames); // order of first appearance
        Assert.Equal(["s1", "s2", "s1", "s3"], data.SubjectIds); // sessions share the subject id
        Assert.Equal([1f, 2f, 5f, 3f, 6f, 4f, 7f, 8f], data.Features);
        Assert.Equal(["c", "p"], data.LabelNames);
        Assert.Equal([1, 0, 1, 0], data.Labels);
        Assert.Equal(["A", "B", "A", "A"], data.Groups);
    }

    [Fact]
    public void FeatureColumnsChooseAndOrderPivotValues()
    {
        var path = WriteText("long.csv", Header + "s1,pre,p,A,a,1\ns1,pre,p,A,b,2\ns2,pre,c,A,a,3\ns2,pre,c,A,b,4\n");

        var (data, _) = DatasetLoader.Load(Long(path) with { FeatureColumns = ["b"] });

        Assert.Equal(["b"], data.FeatureNames);
        Assert.Equal([2f, 4f], data.Features);
    }

    [Fact]
    public void MissingCellNamesSampleAndFeature()
    {
        var path = WriteText("gap.csv", Header + "s1,pre,p,A,a,1\ns1,pre,p,A,b,2\ns2,pre,c,A,a,3\n");
        Fails(Long(path), "gap.csv", "subject 's2' session 'pre'", "no row for 'b'");
    }

    [Fact]
    public void RepeatedCellNamesBothLines()
    {
        var path = WriteText("dup.csv", Header + "s1,pre,p,A,a,1\ns1,pre,p,A,a,2\n");
        Fails(Long(path), "dup.csv", "lines 2 and 3", "'a'");
    }

    [Fact]
    public void LabelMustBeConstantWithinASample()
    {
        var path = WriteText("mixed.csv", Header + "s1,pre,p,A,a,1\ns1,pre,c,A,b,2\n");
        Fails(Long(path), "mixed.csv", "line 3", "label 'c' differs from 'p' on line 2");
    }

    [Fact]
    public void NonFiniteValueNamesLine()
    {
        var path = WriteText("nan.csv", Header + "s1,pre,p,A,a,NaN\ns2,pre,c,A,a,1\n");
        Fails(Long(path), "nan.csv", "line 2", "not a finite number");
    }

    [Fact]
    public void OneClassIsAnError()
    {
        var path = WriteText("one.csv", Header + "s1,pre,p,A,a,1\ns2,pre,p,A,a,2\n");
        Fails(Long(path), "one.csv", "only one distinct label ('p')");
    }

    [Fact]
    public void RealDegenerationConnectivityPivots()
    {
        // SOURCE.md: 2,983 rows = 19 region pairs × 157 subject-sessions; 40 patients (p) and 39 controls (c);
        // sub-57 lacks ses-post and sub-70 is absent.
        var path = SharedData.Path("degeneration_connectivity", "connectivity.tsv");

        var (data, warnings) = DatasetLoader.Load(new DataSource
        {
            Path = path,
            LabelColumn = "group",
            GroupColumns = ["group"],
            SubjectColumn = "subject",
            SessionColumn = "session",
            PivotColumn = "regions",
            ValueColumn = "connectivity",
        });

        Assert.Equal(157, data.SampleCount);
        Assert.Equal(19, data.FeatureCount);
        Assert.Equal([19], data.SampleShape);
        Assert.Contains("ppc-left_ppc-right", data.FeatureNames);
        Assert.Equal(79, data.SubjectIds.Distinct().Count());
        Assert.Equal(["c", "p"], data.LabelNames);
        var subjectsByLabel = data.SubjectIds.Zip(data.Labels).Distinct().CountBy(p => p.Second).ToDictionary();
        Assert.Equal(39, subjectsByLabel[0]);
        Assert.Equal(40, subjectsByLabel[1]);
        Assert.Single(data.SubjectIds, s => s == "sub-57");
        Assert.DoesNotContain("sub-70", data.SubjectIds);
        Assert.Empty(warnings);
        Assert.All(data.Features, v => Assert.InRange(v, -1f, 1f)); // correlations
    }
}
