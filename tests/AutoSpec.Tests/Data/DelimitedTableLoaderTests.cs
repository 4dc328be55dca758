using System.IO.Compression;
using System.Text;
using AutoSpec.Data;

namespace AutoSpec.Tests.Data;

public sealed class DelimitedTableLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autospec-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text, bool bom = false)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(bom));
        return path;
    }

    private static DelimitedTableOptions Options(string path, string label = "Dx", string group = "site") => new()
    {
        Path = path,
        LabelColumn = label,
        GroupColumn = group,
    };

    private static InvalidInputException LoadFails(DelimitedTableOptions options)
    {
        var e = Assert.Throws<InvalidInputException>(() => DelimitedTableLoader.Load(options));
        Assert.Contains(Path.GetFileName(options.Path), e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        return e;
    }

    [Fact]
    public void ReadsQuotedFieldsCrlfAndBom()
    {
        var path = Write("quoted.csv",
            "id,\"Dx\",site,\"a,b\",x\r\n" +
            "s1,ctl,\"Site \"\"1\"\"\",1.5,-2\r\n" +
            "s2,pt,S2,2e3,  3 \r\n" +
            "\r\n" +
            "s3,ctl,\"Site \"\"1\"\"\",.5,4\r\n" +
            "s4,pt,S2,0,+5\r\n",
            bom: true);

        var (data, warnings) = DelimitedTableLoader.Load(Options(path) with { SubjectColumn = "id" });

        Assert.Equal(4, data.SampleCount);
        Assert.Equal(["a,b", "x"], data.FeatureNames);
        Assert.Equal([1.5f, -2f, 2000f, 3f, 0.5f, 4f, 0f, 5f], data.Features);
        Assert.Equal(["ctl", "pt"], data.LabelNames);
        Assert.Equal([0, 1, 0, 1], data.Labels);
        Assert.Equal(["Site \"1\"", "S2", "Site \"1\"", "S2"], data.Groups);
        Assert.Equal(["s1", "s2", "s3", "s4"], data.SubjectIds);
        Assert.Equal(Path.GetFullPath(path), data.Source);
        Assert.Empty(warnings);
    }

    [Fact]
    public void QuotedFieldMayContainLineBreaksAndLineNumbersStayPhysical()
    {
        var path = Write("multiline.csv", "Dx,site,note,x\n0,A,\"two\nlines\",1\n1,B,plain,\n");

        var e = LoadFails(Options(path) with { FeatureColumns = ["x"] });

        Assert.Contains("line 4, column 'x'", e.Message);
    }

    [Fact]
    public void DefaultSubjectIdsAreRowLineNumbersAndFeaturesAreAllOtherColumns()
    {
        var path = Write("plain.csv", "x,Dx,y,site\n1,0,2,A\n\n3,1,4,A\n5,0,6,B\n7,1,8,B\n");

        var (data, _) = DelimitedTableLoader.Load(Options(path));

        Assert.Equal(["row-2", "row-4", "row-5", "row-6"], data.SubjectIds);
        Assert.Equal(["x", "y"], data.FeatureNames);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], data.Features);
    }

    [Fact]
    public void TsvIsRecognisedByExtensionAndNumericLabelsSortNumerically()
    {
        var path = Write("table.tsv", "Dx\tsite\tval ue\n10\tA\t1\n2\tA\t2\n1\tB\t3\n10\tB\t4\n1.0\tB\t5\n");

        var (data, _) = DelimitedTableLoader.Load(Options(path));

        Assert.Equal(["val ue"], data.FeatureNames);
        Assert.Equal(["1", "2", "10"], data.LabelNames);
        Assert.Equal([2, 1, 0, 2, 0], data.Labels);
    }

    [Fact]
    public void StringLabelsSortOrdinally()
    {
        var path = Write("strings.csv", "Dx,site,x\npatient,A,1\nControl,A,2\ncontrol,B,3\npatient,B,4\n");

        var (data, _) = DelimitedTableLoader.Load(Options(path));

        Assert.Equal(["Control", "control", "patient"], data.LabelNames);
        Assert.Equal([2, 0, 1, 2], data.Labels);
    }

    [Theory]
    [InlineData("data.csv.gz", ',')]
    [InlineData("data.tsv.gz", '\t')]
    public void ReadsGzipFiles(string name, char delimiter)
    {
        var path = Path.Combine(_dir, name);
        var text = string.Join(delimiter, "Dx", "site", "x") + "\n" + string.Join(delimiter, "0", "A", "1.25") + "\n"
            + string.Join(delimiter, "1", "B", "2.5") + "\n";
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        {
            gzip.Write([0xEF, 0xBB, 0xBF]);
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        var (data, _) = DelimitedTableLoader.Load(Options(path));

        Assert.Equal([1.25f, 2.5f], data.Features);
        Assert.Equal(["0", "1"], data.LabelNames);
        Assert.Equal(["A", "B"], data.Groups);
        Assert.Equal(["x"], data.FeatureNames);
    }

    [Fact]
    public void ExplicitFeatureColumnsAreUsedInTheGivenOrder()
    {
        var path = Write("explicit.csv", "id,a,b,c,Dx,site\ns1,1,2,3,0,A\ns2,4,5,6,1,A\n");

        var (data, _) = DelimitedTableLoader.Load(Options(path) with { FeatureColumns = ["c", "a"] });

        Assert.Equal(["c", "a"], data.FeatureNames);
        Assert.Equal([3f, 1f, 6f, 4f], data.Features);
    }

    [Fact]
    public void GroupColumnMayAlsoBeAnExplicitFeature()
    {
        var path = Write("groupfeature.csv", "Dx,site,x\n0,1,5\n1,2,6\n");

        var (data, _) = DelimitedTableLoader.Load(Options(path) with { FeatureColumns = ["x", "site"] });

        Assert.Equal([5f, 1f, 6f, 2f], data.Features);
    }

    [Fact]
    public void SemicolonIsDetectedAndCanBeGiven()
    {
        var path = Write("semi.csv", "Dx;site;x\n0;A;1\n1;B;2\n");

        Assert.Equal([1f, 2f], DelimitedTableLoader.Load(Options(path)).Dataset.Features);
        Assert.Equal([1f, 2f], DelimitedTableLoader.Load(Options(path) with { Delimiter = ';' }).Dataset.Features);
    }

    [Fact]
    public void ExplicitDelimiterOverridesTheExtension()
    {
        var path = Write("tabs.csv", "Dx\tsite\tx\n0\tA\t1\n1\tB\t2\n");

        Assert.Equal([1f, 2f], DelimitedTableLoader.Load(Options(path) with { Delimiter = '\t' }).Dataset.Features);
    }

    [Fact]
    public void RareGroupsUnnamedColumnsAndRepeatedSubjectsAreWarnings()
    {
        var path = Write("warn.csv", ",id,Dx,site,x\n0,s1,0,A,1\n1,s2,1,A,2\n2,s1,0,B,3\n3,s4,1,A,4\n");

        var (data, warnings) = DelimitedTableLoader.Load(Options(path) with { SubjectColumn = "id" });

        Assert.Equal(["x"], data.FeatureNames);
        Assert.Equal(4, data.SampleCount);
        Assert.Contains(warnings, w => w.Contains("group 'B'") && w.Contains("1 sample"));
        Assert.Contains(warnings, w => w.Contains("column 1 has no header name"));
        Assert.Contains(warnings, w => w.Contains("'s1' on lines 2 and 4"));
        Assert.DoesNotContain(warnings, w => w.Contains("group 'A'"));
        Assert.All(warnings, w => Assert.Contains("warn.csv", w));
    }

    [Fact]
    public void LoadsTheEnigmaExampleCovariates()
    {
        var path = Path.Combine(AutoSpec.Tests.Support.SharedData.Path(), "enigma_example_tle", "cov.csv");

        var (data, _) = DelimitedTableLoader.Load(new DelimitedTableOptions
        {
            Path = path,
            LabelColumn = "Dx",
            GroupColumn = "Sex",
            FeatureColumns = ["Age", "ICV"],
            SubjectColumn = "SubjID",
        });

        Assert.Equal(20, data.SampleCount);
        Assert.Equal(["0", "1"], data.LabelNames);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal("sub-PX003", data.SubjectIds[0]);
        Assert.Equal([54f, 1684160f], data.Features[..2]);
        Assert.Equal(["1", "2"], data.Groups.Distinct().Order());
        Assert.Equal(10, data.Labels.Count(l => l == 1));
    }

    // ---- errors: one test per failure, each checking that the message names the file and the place ----

    [Fact]
    public void MissingFile()
    {
        var e = LoadFails(Options(Path.Combine(_dir, "absent.csv")));
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void DirectoryInsteadOfFile()
    {
        var sub = Directory.CreateDirectory(Path.Combine(_dir, "folder.csv")).FullName;
        var e = LoadFails(Options(sub));
        Assert.Contains("directory", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\n  \n")]
    public void EmptyFile(string text)
    {
        var e = LoadFails(Options(Write("empty.csv", text, bom: true)));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void DuplicateHeaderName()
    {
        var e = LoadFails(Options(Write("dup.csv", "Dx,site,x,y,x\n0,A,1,2,3\n")));
        Assert.Contains("line 1", e.Message);
        Assert.Contains("'x' appears twice (columns 3 and 5)", e.Message);
    }

    [Theory]
    [InlineData("Diagnosis", "site", null, null, "label column 'Diagnosis'")]
    [InlineData("Dx", "Site", null, null, "group column 'Site' (GroupColumn) not found (did you mean 'site'?")]
    [InlineData("Dx", "site", "subject", null, "subject column 'subject'")]
    [InlineData("Dx", "site", null, "volume", "feature column 'volume'")]
    public void ColumnNotFound(string label, string group, string? subject, string? feature, string expected)
    {
        var path = Write("cols.csv", "id,Dx,site,x\ns1,0,A,1\n");
        var e = LoadFails(Options(path, label, group) with
        {
            SubjectColumn = subject,
            FeatureColumns = feature is null ? null : ["x", feature],
        });
        Assert.Contains(expected, e.Message);
        Assert.Contains("columns: 'id', 'Dx', 'site', 'x'", e.Message);
    }

    [Fact]
    public void ColumnListIsShortenedForWideFiles()
    {
        var header = string.Join(",", Enumerable.Range(0, 50).Select(i => "c" + i));
        var e = LoadFails(Options(Write("wide.csv", header + "\n")));
        Assert.Contains("'c7', … (50 columns)", e.Message);
        Assert.DoesNotContain("'c8'", e.Message);
    }

    [Theory]
    [InlineData("0,A,1\n", 3, 3)]
    [InlineData("0,A,1,2,3\n", 3, 5)]
    public void RowWithWrongFieldCount(string badRow, int line, int fields)
    {
        var path = Write("ragged.csv", "Dx,site,x,y\n1,B,1,2\n" + badRow);
        var e = LoadFails(Options(path));
        Assert.Contains($"line {line}: {fields} fields, but the header has 4 columns", e.Message);
    }

    [Fact]
    public void MissingFeatureValue()
    {
        var e = LoadFails(Options(Write("missing.csv", "Dx,site,x,y\n0,A,1,2\n1,B,,3\n")));
        Assert.Contains("line 3, column 'x': the value is missing", e.Message);
    }

    [Fact]
    public void NonNumericFeatureValue()
    {
        var rows = string.Concat(Enumerable.Range(0, 15).Select(i => $"{i % 2},A,{i}\n"));
        var path = Write("text.csv", "Dx,site,x\n" + rows + "1,B,abc\n");
        var e = LoadFails(Options(path));
        Assert.Contains("line 17, column 'x': 'abc' is not a number", e.Message);
    }

    [Theory]
    [InlineData("NaN", "is not a finite number")]
    [InlineData("Infinity", "is not a finite number")]
    [InlineData("-Infinity", "is not a finite number")]
    [InlineData("1e999", "is not a finite number")]
    [InlineData("1e39", "is outside the float32 range")]
    [InlineData("1,5", "is not a number")]
    public void NonFiniteFeatureValue(string value, string expected)
    {
        var path = Write("nonfinite.csv", $"Dx,site,x\n0,A,1\n1,B,\"{value}\"\n");
        var e = LoadFails(Options(path));
        Assert.Contains($"line 3, column 'x': '{value}' ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void EmptyLabel()
    {
        var e = LoadFails(Options(Write("nolabel.csv", "Dx,site,x\n0,A,1\n,B,2\n")));
        Assert.Contains("line 3, column 'Dx': the label is empty", e.Message);
    }

    [Fact]
    public void EmptyGroup()
    {
        var e = LoadFails(Options(Write("nogroup.csv", "Dx,site,x\n0,A,1\n1,\"\",2\n")));
        Assert.Contains("line 3, column 'site': the group is empty", e.Message);
    }

    [Fact]
    public void EmptySubjectId()
    {
        var e = LoadFails(Options(Write("nosubject.csv", "id,Dx,site,x\ns1,0,A,1\n ,1,B,2\n")) with { SubjectColumn = "id" });
        Assert.Contains("line 3, column 'id': the subject id is empty", e.Message);
    }

    [Fact]
    public void SingleDistinctLabel()
    {
        var e = LoadFails(Options(Write("onelabel.csv", "Dx,site,x\n1,A,1\n1.0,B,2\n")));
        Assert.Contains("column 'Dx' has only one distinct label ('1')", e.Message);
    }

    [Fact]
    public void NoFeatureColumns()
    {
        var e = LoadFails(Options(Write("nofeatures.csv", "id,Dx,site\ns1,0,A\ns2,1,B\n")) with { SubjectColumn = "id" });
        Assert.Contains("no feature columns", e.Message);
    }

    [Fact]
    public void EmptyFeatureColumnList()
    {
        var e = LoadFails(Options(Write("emptylist.csv", "Dx,site,x\n0,A,1\n1,B,2\n")) with { FeatureColumns = [] });
        Assert.Contains("--features is empty", e.Message);
    }

    [Fact]
    public void LabelColumnAsFeature()
    {
        var e = LoadFails(Options(Write("leak.csv", "Dx,site,x\n0,A,1\n1,B,2\n")) with { FeatureColumns = ["x", "Dx"] });
        Assert.Contains("label column 'Dx'", e.Message);
    }

    [Fact]
    public void FeatureListedTwice()
    {
        var e = LoadFails(Options(Write("twice.csv", "Dx,site,x\n0,A,1\n1,B,2\n")) with { FeatureColumns = ["x", "x"] });
        Assert.Contains("'x' twice", e.Message);
    }

    [Fact]
    public void NoDataRows()
    {
        var e = LoadFails(Options(Write("header-only.csv", "Dx,site,x\r\n\r\n")));
        Assert.Contains("no data rows", e.Message);
    }

    [Fact]
    public void UnclosedQuote()
    {
        var e = LoadFails(Options(Write("unclosed.csv", "Dx,site,x\n0,A,1\n1,\"B,2\n0,A,3\n")));
        Assert.Contains("line 3: a quoted field (field 2) is not closed", e.Message);
    }

    [Fact]
    public void TextAfterClosingQuote()
    {
        var e = LoadFails(Options(Write("afterquote.csv", "Dx,site,x\n0,\"A\"B,1\n")));
        Assert.Contains("line 2: unexpected 'B' after the closing quote of field 2", e.Message);
    }

    [Fact]
    public void NotUtf8()
    {
        var path = Path.Combine(_dir, "latin1.csv");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("Dx,site,x\n0,M"), 0xFC, .. Encoding.ASCII.GetBytes("ller,1\n")]);
        var e = LoadFails(Options(path));
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void DamagedGzip()
    {
        var path = Path.Combine(_dir, "broken.csv.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0xff, 0xff, 0xff]);
        var e = LoadFails(Options(path));
        Assert.Contains("gzip", e.Message);
    }

    [Fact]
    public void UnsupportedDelimiterOption()
    {
        var e = LoadFails(Options(Write("pipe.csv", "Dx|site|x\n")) with { Delimiter = '|' });
        Assert.Contains("Delimiter", e.Message);
    }
}
