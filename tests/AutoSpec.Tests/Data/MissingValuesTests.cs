using System.Globalization;
using System.Text;
using AutoSpec.Data;
using AutoSpec.Tests.Support;
using AutoSpec.Training;

namespace AutoSpec.Tests.Data;

/// <summary>
/// Missing-value codes in wide tables (issue 15): <c>--missing</c> codes, numbers matched by value and text as text,
/// empty cells; samples dropped or cells imputed from training samples only; undeclared sentinels warned about.
/// </summary>
public sealed class MissingValuesTests : LoaderTestBase
{
    private DataSource Wide(string text, string name = "wide.csv") => new()
    {
        Path = WriteText(name, text),
        LabelColumn = "dx",
        GroupColumns = ["site"],
        SubjectColumn = "id",
    };

    private const string Coded = "id,dx,site,iq,x\n" +
        "s1,0,A,101,1\ns2,1,A,-9999,2\ns3,0,B,99.5,NA\ns4,1,B,-9999.0,4\ns5,1,A,120,5\ns6,1,B,90,\n";

    [Fact]
    public void DropLeavesOutEveryRowWithACodeOrAnEmptyCell()
    {
        var loaded = DatasetLoader.Load(Wide(Coded) with { MissingCodes = ["-9999", "NA"] });

        var d = loaded.Dataset;
        Assert.Equal(["s1", "s5"], d.SubjectIds);
        Assert.Equal([101f, 1, 120, 5], d.Features);
        var m = Assert.IsType<MissingValues>(d.Missing);
        Assert.Equal(MissingValuePolicy.Drop, m.Policy);
        Assert.Equal(["-9999", "NA"], m.Codes);
        Assert.Equal(4, m.DroppedSamples);
        Assert.Equal(4, m.DroppedSubjects);
        Assert.Equal(new Dictionary<string, int> { ["iq"] = 2, ["x"] = 2 }, m.ByFeature);
        Assert.Empty(m.Cells);
        Assert.Equal("missing values (-9999, NA and empty cells): 4 cells (iq 2, x 2); 4 samples dropped, 4 subjects left without one",
            DatasetSummary.MissingLine(m));
    }

    [Fact]
    public void TextCodesMatchExactlyAndNumericCodesByValue()
    {
        // "na" is not the code "NA": it stays a text cell in a feature column, which is refused.
        Fails(Wide(Coded.Replace("NA", "na")) with { MissingCodes = ["-9999", "NA"] }, "'na' is not a number", "--exclude x");
        // "-9.999e3" is -9999.
        var loaded = DatasetLoader.Load(Wide(Coded.Replace("-9999.0", "-9.999e3")) with { MissingCodes = ["-9999", "NA"] });
        Assert.Equal(4, loaded.Dataset.Missing!.DroppedSamples);
        // 99.5 is not 99: numbers are compared whole.
        loaded = DatasetLoader.Load(Wide(Coded) with { MissingCodes = ["-9999", "NA", "99"] });
        Assert.Equal(4, loaded.Dataset.Missing!.DroppedSamples);
    }

    [Fact]
    public void DroppingOneSessionKeepsTheSubject()
    {
        var text = "id,dx,site,x\ns1,0,A,1\ns1,0,A,-1\ns2,1,B,2\ns3,0,A,3\ns3,0,A,4\ns4,1,B,-1\n";

        var m = DatasetLoader.Load(Wide(text) with { MissingCodes = ["-1"] }).Dataset.Missing!;

        Assert.Equal(2, m.DroppedSamples);
        Assert.Equal(1, m.DroppedSubjects); // s4; s1 keeps a session
    }

    [Fact]
    public void EmptyCellsAreErrorsUnlessMissingValuesAreDeclared()
    {
        var text = "id,dx,site,x\ns1,0,A,1\ns2,1,B,\ns3,0,A,3\ns4,1,B,4\ns5,1,A,5\n";
        Fails(Wide(text), "line 3, column 'x': the value is missing", "--missing");

        var loaded = DatasetLoader.Load(Wide(text) with { MissingPolicy = MissingValuePolicy.Drop });
        Assert.Equal(4, loaded.Dataset.SampleCount);
        Assert.Empty(loaded.Dataset.Missing!.Codes);
    }

    [Fact]
    public void ImputeKeepsTheRowsWithNaNInTheMissingCells()
    {
        var d = DatasetLoader.Load(Wide(Coded) with { MissingCodes = ["-9999", "NA"], MissingPolicy = MissingValuePolicy.Impute }).Dataset;

        Assert.Equal(6, d.SampleCount);
        Assert.Equal([2L, 5, 6, 11], d.Missing!.Cells); // s2.iq, s3.x, s4.iq, s6.x (2 features a row)
        Assert.All(d.Missing.Cells, c => Assert.True(float.IsNaN(d.Features[c])));
        Assert.Equal(4, d.Features.Count(float.IsNaN));
        Assert.Equal(0, d.Missing.DroppedSamples);
    }

    [Fact]
    public void ImputationUsesTheTrainingSamplesOnly()
    {
        // iq: training rows 0, 1, 2 (101, missing, 99.5) and validation rows 3, 4, 5 (missing, 120, 90): the training
        // mean is 100.25; with the validation values it would be 102.625.
        var d = DatasetLoader.Load(Wide(Coded) with { MissingCodes = ["-9999", "NA"], MissingPolicy = MissingValuePolicy.Impute }).Dataset;
        int[] train = [0, 1, 2];

        var imputer = MissingValueImputer.Fit(d, train);
        var filled = imputer.Apply(d);

        Assert.Equal(100.25, imputer.Means["iq"]);
        Assert.Equal(1.5, imputer.Means["x"]); // with the validation values: 3
        Assert.Equal([101f, 1, 100.25f, 2, 99.5f, 1.5f, 100.25f, 4, 120, 5, 90, 1.5f], filled.Features);
        Assert.Same(d.Missing, filled.Missing);
        Assert.Equal(4, d.Features.Count(float.IsNaN)); // the loaded data are left as they are

        var e = Assert.Throws<InvalidInputException>(() => MissingValueImputer.Fit(d, [1, 3]));
        Assert.Contains("feature 'iq' is missing in all 2 training samples", e.Message);
        Assert.Contains("--exclude iq", e.Message);
    }

    [Fact]
    public void BadDeclarationsAreRefused()
    {
        Fails(Wide(Coded) with { MissingCodes = ["-9999", " "] }, "wide.csv", "--missing lists an empty code");
        Fails(Wide(Coded) with { MissingPolicy = (MissingValuePolicy)7 }, "--missing-policy 7");
        var longTable = Wide("id,dx,site,roi,value\ns1,0,A,r1,1\ns1,0,A,r2,2\ns2,1,B,r1,3\ns2,1,B,r2,4\n", "long.csv");
        Fails(longTable with { PivotColumn = "roi", ValueColumn = "value", MissingCodes = ["NA"] }, "long.csv", "MissingCodes", "do(es) not apply");
        Fails(longTable with { PivotColumn = "roi", ValueColumn = "value", MissingPolicy = MissingValuePolicy.Impute }, "MissingPolicy");
    }

    [Fact]
    public void DroppingEveryRowOrAClassIsExplained()
    {
        var text = "id,dx,site,x,y\ns1,0,A,1,-9999\ns2,1,B,-9999,2\ns3,0,A,-9999,NA\n";
        Fails(Wide(text) with { MissingCodes = ["-9999", "NA"] }, "every one of the 3 rows has a missing value", "'x' in 2", "--missing-policy impute");
        Fails(Wide(Coded.Replace("s5,1", "s5,0")) with { MissingCodes = ["-9999", "NA"] },
            "only one distinct label ('0') once the 4 rows with missing values are dropped");
    }

    [Fact]
    public void AnUndeclaredSentinelFarFromTheOtherValuesIsWarnedAbout()
    {
        var text = new StringBuilder("id,dx,site,iq,z,sign,flag\n");
        var random = new Random(5);
        for (int i = 0; i < 40; i++)
        {
            // iq: about 105 ± 15, -9999 in three rows; z: standard normal values with an exact -1 as minimum (a value,
            // not a code); sign: -1/1; flag: 0/1 with one 99 (coded "unknown", far from 0 and 1 in SD terms).
            var iq = i is 3 or 17 or 30 ? "-9999" : (105 + 15 * Normal(random)).ToString("F0", CultureInfo.InvariantCulture);
            var z = i == 7 ? "-1" : (0.2 * Normal(random)).ToString("F3", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"s{i},{i % 2},{(i < 20 ? "A" : "B")},{iq},{z},{(i % 3 == 0 ? -1 : 1)},{(i == 9 ? 99 : i % 4 == 0 ? 1 : 0)}\n");
        }

        var loaded = DatasetLoader.Load(Wide(text.ToString()));

        var warnings = loaded.Warnings.Where(w => w.Contains("missing-value code", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("feature 'iq': its minimum -9999 (3 samples, e.g. subject 's3') lies ", warnings[0]);
        Assert.Contains("declare it (--missing -9999)", warnings[0]);
        Assert.Contains("feature 'flag': its maximum 99 (1 sample, e.g. subject 's9')", warnings[1]);
        Assert.DoesNotContain(loaded.Warnings, w => w.Contains("'z'", StringComparison.Ordinal) || w.Contains("'sign'", StringComparison.Ordinal));

        // Declared, the code is no longer a value and nothing is warned about it.
        var declared = DatasetLoader.Load(Wide(text.ToString()) with { MissingCodes = ["-9999"], MissingPolicy = MissingValuePolicy.Impute });
        Assert.DoesNotContain(declared.Warnings, w => w.Contains("'iq'", StringComparison.Ordinal));
        Assert.Equal(3, declared.Dataset.Missing!.Cells.Count);

        // data inspect without roles points at it too.
        var summary = FileSummary.Describe(Path.Combine(Dir, "wide.csv"));
        Assert.Contains("-9999 in 3 rows lies ", summary);
        Assert.Contains("declare it with --missing -9999", summary);
    }

    [Fact]
    public void TheEnigmaCovariatesImputeOrDropTheirPatientOnlyColumns()
    {
        // AO and DURILL (age at onset, duration of illness) are empty for the 10 controls.
        var source = new DataSource
        {
            Path = SharedData.Path("enigma_example_tle", "cov.csv"),
            LabelColumn = "Dx",
            SubjectColumn = "SubjID",
            ExcludeColumns = ["SDx"],
        };

        var imputed = DatasetLoader.Load(source with { MissingPolicy = MissingValuePolicy.Impute }).Dataset;
        Assert.Equal(20, imputed.SampleCount);
        Assert.Equal(new Dictionary<string, int> { ["AO"] = 10, ["DURILL"] = 10 }, imputed.Missing!.ByFeature);
        Assert.Equal(20, imputed.Missing.Cells.Count);

        Fails(source with { MissingPolicy = MissingValuePolicy.Drop }, "cov.csv", "only one distinct label ('1') once the 10 rows with missing values are dropped");
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
