using AutoSpec.Data;
using AutoSpec.Tests.Support;

namespace AutoSpec.Tests.Data;

/// <summary>
/// Wide tables with columns beyond label, group, subject and features (issue 15): every other column becomes a feature
/// unless excluded, text columns are refused with the option that leaves them out, and the choice is reported.
/// </summary>
public sealed class ExtraColumnsTests : LoaderTestBase
{
    private const string Table = "id,dx,site,age,sex,f1,f2\n" +
        "s1,0,A,31,M,1.5,2\ns2,1,A,42,F,2.5,3\ns3,0,B,55,F,1.25,2\ns4,1,B,23,M,2,3.5\n";

    private DataSource Wide(string text, string name = "wide.csv") => new()
    {
        Path = WriteText(name, text),
        LabelColumn = "dx",
        GroupColumns = ["site"],
        SubjectColumn = "id",
    };

    [Fact]
    public void ANumericExtraColumnIsAFeatureUnlessExcluded()
    {
        var numeric = Table.Replace(",sex", "").Replace(",M,", ",").Replace(",F,", ",");

        var all = DatasetLoader.Load(Wide(numeric));
        Assert.Equal(["age", "f1", "f2"], all.Dataset.FeatureNames);
        Assert.Empty(all.ExcludedColumns);

        var excluded = DatasetLoader.Load(Wide(numeric) with { ExcludeColumns = ["age"] });
        Assert.Equal(["f1", "f2"], excluded.Dataset.FeatureNames);
        Assert.Equal(["age"], excluded.ExcludedColumns);
        Assert.Equal([1.5f, 2, 2.5f, 3, 1.25f, 2, 2, 3.5f], excluded.Dataset.Features);
    }

    [Fact]
    public void ATextColumnTakenAsAFeatureIsRefusedWithTheExcludeHint()
    {
        var e = Fails(Wide(Table), "wide.csv", "line 2, column 'sex': 'M' is not a number",
            "'sex' was taken as a feature", "--exclude sex");
        Assert.DoesNotContain("so are", e.Message);

        var loaded = DatasetLoader.Load(Wide(Table) with { ExcludeColumns = ["sex", "age"] });
        Assert.Equal(["f1", "f2"], loaded.Dataset.FeatureNames);
        Assert.Equal(["age", "sex"], loaded.ExcludedColumns); // file order
    }

    [Fact]
    public void EveryTextColumnIsNamedAtOnce()
    {
        var text = "id,dx,site,sex,hand,f1\ns1,0,A,1,R,1\ns2,1,A,F,R,2\ns3,0,B,F,L,3\ns4,1,B,M,R,4\n";

        Fails(Wide(text), "line 3, column 'sex': 'F' is not a number", "so are 'hand' (line 2: 'R')",
            "these columns were taken as features", "--exclude sex,hand");
    }

    [Fact]
    public void ExplicitFeaturesKeepThePlainMessageAndReportTheUnusedColumns()
    {
        var e = Fails(Wide(Table) with { FeatureColumns = ["f1", "sex"] }, "line 2, column 'sex': 'M' is not a number.");
        Assert.DoesNotContain("--exclude", e.Message);

        var loaded = DatasetLoader.Load(Wide(Table) with { FeatureColumns = ["f2", "f1"] });
        Assert.Equal(["f2", "f1"], loaded.Dataset.FeatureNames);
        Assert.Equal(["age", "sex"], loaded.UnusedColumns);
    }

    [Fact]
    public void BadExclusionsAreRefusedNamingTheColumn()
    {
        Fails(Wide(Table) with { ExcludeColumns = ["Sex"] }, "excluded column 'Sex'", "did you mean 'sex'?", "'f1'");
        Fails(Wide(Table) with { ExcludeColumns = ["dx"] }, "--exclude names the label column 'dx'");
        Fails(Wide(Table) with { ExcludeColumns = ["site"] }, "--exclude names the group column 'site'");
        Fails(Wide(Table) with { ExcludeColumns = ["id"] }, "--exclude names the subject column 'id'");
        Fails(Wide(Table) with { ExcludeColumns = ["sex", "sex"] }, "--exclude lists 'sex' twice");
        Fails(Wide(Table) with { ExcludeColumns = ["sex"], FeatureColumns = ["f1"] }, "--features and --exclude exclude each other");
        Fails(Wide(Table) with { ExcludeColumns = ["age", "sex", "f1", "f2"] }, "no feature columns", "--exclude");
    }

    [Fact]
    public void ExcludeAppliesToWideTablesOnly()
    {
        var longTable = Wide("id,dx,site,roi,value\ns1,0,A,r1,1\ns1,0,A,r2,2\ns2,1,B,r1,3\ns2,1,B,r2,4\n", "long.csv");
        Fails(longTable with { PivotColumn = "roi", ValueColumn = "value", ExcludeColumns = ["roi"] }, "long.csv", "ExcludeColumns", "do(es) not apply");
    }

    [Fact]
    public void CombinedGroupColumnsAreNeitherFeaturesNorExcludable()
    {
        var source = Wide(Table) with { GroupColumns = ["site", "sex"], ExcludeColumns = ["age"] };

        var loaded = DatasetLoader.Load(source);

        Assert.Equal(["f1", "f2"], loaded.Dataset.FeatureNames);
        Assert.Equal(["A/M", "A/F", "B/F", "B/M"], loaded.Dataset.Groups);
        Assert.Contains(loaded.Warnings, w => w.Contains("group 'A/M' (columns site, sex) has only 1 sample", StringComparison.Ordinal));
        Fails(source with { ExcludeColumns = ["sex"] }, "--exclude names the group column 'sex'");
    }

    [Fact]
    public void TheEnigmaCovariatesNeedTheirExtraColumnsExcluded()
    {
        // cov.csv: SubjID, Dx, SDx (a finer diagnosis: the label again), Age, Sex, Handedness, AO and DURILL (age at
        // onset and duration of illness: patients only, empty for controls), ICV.
        var source = new DataSource { Path = SharedData.Path("enigma_example_tle", "cov.csv"), LabelColumn = "Dx", SubjectColumn = "SubjID" };

        Fails(source, "cov.csv", "line 12, column 'AO': the value is missing");

        var loaded = DatasetLoader.Load(source with { ExcludeColumns = ["SDx", "AO", "DURILL"] });
        Assert.Equal(["Age", "Sex", "Handedness", "ICV"], loaded.Dataset.FeatureNames);
        Assert.Equal(["SDx", "AO", "DURILL"], loaded.ExcludedColumns);
        Assert.Equal(20, loaded.Dataset.SampleCount);
        Assert.Equal(
            ["label: Dx; group: Dx (the label); subject: SubjID", "features (4): Age, Sex, Handedness, ICV", "excluded (3): SDx, AO, DURILL"],
            DatasetSummary.Columns(loaded, source with { ExcludeColumns = ["SDx", "AO", "DURILL"] }));
    }

    [Fact]
    public void ManyNamesAreAbbreviated()
    {
        var names = Enumerable.Range(0, 300).Select(i => $"roi{i}").ToArray();
        Assert.Equal("roi0, roi1, roi2, …, roi299 (300 in all)", DatasetSummary.Names(names, 4));
        Assert.Equal("roi0, roi1", DatasetSummary.Names(names[..2], 4));
    }
}
