using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace AutoSpec.Data;

/// <summary>
/// The result of <see cref="DelimitedTableLoader.Load"/>: the data set plus non-fatal findings (one line each, naming
/// the file) that the caller should show, e.g. a group value with fewer than 2 samples.
/// </summary>
public sealed record LoadedTable(Dataset Dataset, IReadOnlyList<string> Warnings)
{
    /// <summary>Wide tables: the columns left out of the features by <see cref="DataSource.ExcludeColumns"/>, in file order.</summary>
    public IReadOnlyList<string> ExcludedColumns { get; init; } = [];

    /// <summary>
    /// Wide tables: named columns that are neither label, group, subject, feature nor excluded (those left out of an
    /// explicit <see cref="DataSource.FeatureColumns"/>), in file order.
    /// </summary>
    public IReadOnlyList<string> UnusedColumns { get; init; } = [];
}

/// <summary>
/// Loads a wide delimited text table (CSV/TSV, one row per subject) into a <see cref="Dataset"/>.
/// </summary>
/// <remarks>
/// <para>Format: the first non-blank line is the header. Fields may be quoted with '"' (a quoted field may contain
/// the delimiter, line breaks and doubled quotes ""); unquoted fields are trimmed of surrounding spaces. Line ends
/// may be LF or CRLF, blank lines are skipped, a UTF-8 byte-order mark is ignored, and gzip-compressed files are
/// recognised by their content (any name, e.g. data.csv.gz). Text must be UTF-8.</para>
/// <para>Features are parsed with the invariant culture ('.' decimal point, exponents allowed) and must be finite
/// float32 values; empty cells are errors. Labels may be any non-empty text: if every label parses as a number, the
/// classes are ordered numerically (texts with the same numeric value, such as "1" and "1.0", are one class named by
/// the first text seen), otherwise ordinally by text. <see cref="Dataset.LabelNames"/> keeps the text.</para>
/// <para>Every problem that makes the file unusable throws <see cref="InvalidInputException"/> with one line naming
/// the file and, where it applies, the 1-based line number (of the start of the row) and the column. Problems that
/// do not stop loading are returned in <see cref="LoadedTable.Warnings"/>: a group value or label with a single
/// sample, a repeated subject id, and header columns without a name (ignored).</para>
/// </remarks>
public static class DelimitedTableLoader
{
    private const int MaxListedColumns = 8;

    /// <summary>Reads the table described by <paramref name="options"/>.</summary>
    /// <exception cref="InvalidInputException">The file or an option cannot be used; the message says why.</exception>
    public static LoadedTable Load(DelimitedTableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new InvalidInputException("Path: no input file given.");
        }
        var path = options.Path;
        if (string.IsNullOrWhiteSpace(options.LabelColumn))
        {
            throw new InvalidInputException($"{path}: --label is empty; name the column holding the class label.");
        }
        if (string.IsNullOrWhiteSpace(options.GroupColumn))
        {
            throw new InvalidInputException($"{path}: --group is empty; name the column holding the group.");
        }
        if (options.Delimiter is { } d && d is not (',' or '\t' or ';'))
        {
            throw new InvalidInputException($"{path}: Delimiter {Show(d.ToString())} is not supported (use ',', tab or ';').");
        }
        return ReadText(path, reader => Parse(path, options, reader));
    }

    /// <summary>
    /// Opens <paramref name="path"/> as UTF-8 text (gzip recognised by content) and hands it to
    /// <paramref name="parse"/>; missing files, damaged gzip data, non-UTF-8 text and I/O errors become one-line
    /// <see cref="InvalidInputException"/>s naming the file. Shared by every loader of delimited text.
    /// </summary>
    internal static T ReadText<T>(string path, Func<TextReader, T> parse)
    {
        if (Directory.Exists(path))
        {
            throw new InvalidInputException($"{path}: is a directory, not a file.");
        }

        Stream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidInputException($"{path}: file not found.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InvalidInputException($"{path}: cannot be read: {OneLine(e.Message)}");
        }

        try
        {
            var gzip = IsGzip(stream);
            if (gzip)
            {
                stream = new VerifiedGzipStream(stream);
            }
            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true),
                detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            return parse(reader);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidInputException($"{path}: is not UTF-8 text; save it as UTF-8 (CSV UTF-8).");
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{path}: {OneLine(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{path}: cannot be read: {OneLine(e.Message)}");
        }
        finally
        {
            stream.Dispose();
        }
    }

    internal static bool IsGzip(Stream stream)
    {
        Span<byte> head = stackalloc byte[2];
        var n = stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        stream.Position = 0;
        return n == 2 && head[0] == 0x1f && head[1] == 0x8b;
    }

    private static LoadedTable Parse(string path, DelimitedTableOptions options, TextReader text)
    {
        var records = new RecordReader(text, path);
        var delimiter = options.Delimiter ?? DefaultDelimiter(path, records.PeekFirstLine());
        records.Delimiter = delimiter;
        var warnings = new List<string>();

        var header = records.Next() ?? throw new InvalidInputException($"{path}: file is empty (no header line).");
        var headerLine = records.RecordLine;
        var names = header.Select(f => f.Text).ToArray();
        var columnOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < names.Length; c++)
        {
            if (names[c].Length == 0)
            {
                continue;
            }
            if (columnOf.TryGetValue(names[c], out var first))
            {
                throw new InvalidInputException(
                    $"{path}: line {headerLine}: column name {Show(names[c])} appears twice (columns {first + 1} and {c + 1}).");
            }
            columnOf[names[c]] = c;
        }

        int Find(string name, string role, string option) =>
            columnOf.TryGetValue(name, out var index) ? index : throw NotFound(path, names, name, role, option);

        var labelCol = Find(options.LabelColumn, "label", nameof(options.LabelColumn));
        int[] groupCols = [Find(options.GroupColumn, "group", nameof(options.GroupColumn)),
            .. options.AdditionalGroupColumns.Select(g => Find(g, "group", nameof(options.GroupColumn)))];
        int? subjectCol = options.SubjectColumn is null
            ? null
            : Find(options.SubjectColumn, "subject", nameof(options.SubjectColumn));
        var excluded = Excluded(path, options, names, Find, labelCol, groupCols, subjectCol);

        int[] featureCols;
        var byDefault = options.FeatureColumns is null;
        if (options.FeatureColumns is { } wanted)
        {
            var chosen = new List<int>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in wanted)
            {
                if (!seen.Add(name))
                {
                    throw new InvalidInputException($"{path}: --features lists {Show(name)} twice.");
                }
                var c = Find(name, "feature", nameof(options.FeatureColumns));
                if (c == labelCol)
                {
                    throw new InvalidInputException(
                        $"{path}: --features includes the label column {Show(name)}; the label cannot be a feature.");
                }
                chosen.Add(c);
            }
            featureCols = [.. chosen];
        }
        else
        {
            var chosen = new List<int>();
            for (var c = 0; c < names.Length; c++)
            {
                if (names[c].Length == 0)
                {
                    warnings.Add($"{path}: column {c + 1} has no header name and is ignored.");
                }
                else if (c != labelCol && !groupCols.Contains(c) && c != subjectCol && !excluded.Contains(c))
                {
                    chosen.Add(c);
                }
            }
            featureCols = [.. chosen];
        }
        if (featureCols.Length == 0)
        {
            throw new InvalidInputException(options.FeatureColumns is not null
                ? $"{path}: --features is empty; name at least one feature column."
                : excluded.Count > 0
                ? $"{path}: no feature columns: every column is the label, a group, the subject or excluded (--exclude)."
                : $"{path}: no feature columns: every column is the label, group or subject column.");
        }

        var missing = MissingCodes.Create(path, options.MissingCodes, options.MissingPolicy);
        var impute = missing?.Policy == MissingValuePolicy.Impute;
        var missingCount = new int[featureCols.Length];
        var missingCells = new List<long>();
        var droppedSubjects = new HashSet<string>(StringComparer.Ordinal);
        var droppedRows = 0;

        var features = new List<float>();
        var labelTexts = new List<string>();
        var groups = new List<string>();
        var subjects = new List<string>();
        var lines = new List<int>();
        // Columns taken as features by default that hold text: all of them are named at once, with the first bad cell.
        var notNumbers = new Dictionary<int, (int Line, string Text)>();
        while (records.Next() is { } row)
        {
            var line = records.RecordLine;
            if (row.Count != names.Length)
            {
                throw new InvalidInputException(
                    $"{path}: line {line}: {row.Count} fields, but the header has {names.Length} columns.");
            }
            var label = row[labelCol].Text;
            if (label.Length == 0)
            {
                throw new InvalidInputException($"{path}: line {line}, column {Show(names[labelCol])}: the label is empty.");
            }
            foreach (var gc in groupCols)
            {
                if (row[gc].Text.Length == 0)
                {
                    throw new InvalidInputException($"{path}: line {line}, column {Show(names[gc])}: the group is empty.");
                }
            }
            var group = groupCols.Length == 1 ? row[groupCols[0]].Text : string.Join('/', groupCols.Select(gc => row[gc].Text));
            string subject;
            if (subjectCol is { } sc)
            {
                subject = row[sc].Text;
                if (subject.Length == 0)
                {
                    throw new InvalidInputException($"{path}: line {line}, column {Show(names[sc])}: the subject id is empty.");
                }
            }
            else
            {
                subject = "row-" + line.ToString(CultureInfo.InvariantCulture);
            }
            var rowStart = features.Count;
            var rowMissing = false;
            for (var k = 0; k < featureCols.Length; k++)
            {
                var c = featureCols[k];
                var cell = row[c].Text;
                if (missing is not null && missing.IsMissing(cell))
                {
                    rowMissing = true;
                    missingCount[k]++;
                    if (impute)
                    {
                        missingCells.Add((long)labelTexts.Count * featureCols.Length + k);
                    }
                    // NaN until imputed: a cell that escaped imputation would stop training rather than train on a code.
                    features.Add(float.NaN);
                    continue;
                }
                if (cell.Length == 0)
                {
                    throw new InvalidInputException(
                        $"{path}: line {line}, column {Show(names[c])}: the value is missing (to drop or impute missing values, declare them: --missing CODES or --missing-policy drop|impute; empty cells then count as missing).");
                }
                if (byDefault && !IsNumber(cell))
                {
                    notNumbers.TryAdd(c, (line, cell));
                    features.Add(0);
                    continue;
                }
                features.Add(ParseFeature(path, line, names[c], cell));
            }
            if (rowMissing && !impute)
            {
                features.RemoveRange(rowStart, featureCols.Length);
                droppedRows++;
                droppedSubjects.Add(subject);
                continue;
            }
            labelTexts.Add(label);
            groups.Add(group);
            subjects.Add(subject);
            lines.Add(line);
        }
        if (notNumbers.Count > 0)
        {
            throw NotNumeric(path, names, notNumbers);
        }
        if (labelTexts.Count == 0 && droppedRows > 0)
        {
            var worst = Enumerable.Range(0, featureCols.Length).Where(k => missingCount[k] > 0).OrderByDescending(k => missingCount[k]).Take(3)
                .Select(k => $"{Show(names[featureCols[k]])} in {missingCount[k]}");
            throw new InvalidInputException(
                $"{path}: every one of the {droppedRows} rows has a missing value ({missing!.Describe()}), and --missing-policy drop leaves none (missing: {string.Join(", ", worst)} rows); exclude the columns most often missing (--exclude) or impute them (--missing-policy impute).");
        }
        if (labelTexts.Count == 0)
        {
            throw new InvalidInputException($"{path}: has a header but no data rows.");
        }
        MissingValues? missingValues = null;
        if (missing is not null)
        {
            droppedSubjects.ExceptWith(subjects);
            missingValues = new MissingValues
            {
                Codes = missing.Codes,
                Policy = missing.Policy,
                DroppedSamples = droppedRows,
                DroppedSubjects = droppedSubjects.Count,
                ByFeature = Enumerable.Range(0, featureCols.Length).Where(k => missingCount[k] > 0)
                    .ToDictionary(k => names[featureCols[k]], k => missingCount[k]),
                Cells = missingCells,
            };
        }

        var (labels, labelNames) = EncodeLabels(labelTexts);
        if (labelNames.Length < 2)
        {
            throw new InvalidInputException(
                $"{path}: column {Show(names[labelCol])} has only one distinct label ({Show(labelNames[0])}){(droppedRows > 0 ? $" once the {Plural.Of(droppedRows, "row")} with missing values are dropped" : "")}; at least 2 classes are needed.");
        }
        RefuseNonClassLabel(path, names[labelCol], labelNames.Length, labels.Length);

        var groupColumns = groupCols.Length == 1
            ? $"column {Show(names[groupCols[0]])}"
            : $"columns {string.Join(", ", groupCols.Select(gc => names[gc]))}";
        foreach (var (group, count) in groups.CountBy(g => g, StringComparer.Ordinal))
        {
            if (count < 2)
            {
                warnings.Add($"{path}: group {Show(group)} ({groupColumns}) has only {count} sample.");
            }
        }
        var classCounts = new int[labelNames.Length];
        foreach (var l in labels)
        {
            classCounts[l]++;
        }
        for (var k = 0; k < labelNames.Length; k++)
        {
            if (classCounts[k] < 2)
            {
                warnings.Add($"{path}: label {Show(labelNames[k])} (column {Show(names[labelCol])}) has only {classCounts[k]} sample.");
            }
        }
        if (subjectCol is { } subjectIndex)
        {
            var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
            var repeated = 0;
            string? example = null;
            for (var i = 0; i < subjects.Count; i++)
            {
                if (!firstLine.TryAdd(subjects[i], lines[i]))
                {
                    repeated++;
                    example ??= $"{Show(subjects[i])} on lines {firstLine[subjects[i]]} and {lines[i]}";
                }
            }
            if (repeated > 0)
            {
                warnings.Add($"{path}: column {Show(names[subjectIndex])} repeats subject ids {repeated} time(s), e.g. {example}.");
            }
        }

        var dataset = new Dataset(
            [.. features],
            featureCols.Length,
            labels,
            labelNames,
            [.. groups],
            featureCols.Select(c => names[c]).ToArray(),
            [.. subjects],
            System.IO.Path.GetFullPath(path),
            missing: missingValues);
        var used = new HashSet<int>([labelCol, .. groupCols, .. featureCols, .. excluded]);
        if (subjectCol is { } subjectColumn)
        {
            used.Add(subjectColumn);
        }
        return new LoadedTable(dataset, warnings)
        {
            ExcludedColumns = [.. excluded.Order().Select(c => names[c])],
            UnusedColumns = [.. Enumerable.Range(0, names.Length).Where(c => names[c].Length > 0 && !used.Contains(c)).Select(c => names[c])],
        };
    }

    /// <summary>The columns of <see cref="DelimitedTableOptions.ExcludeColumns"/>, each checked to be a possible feature.</summary>
    private static HashSet<int> Excluded(string path, DelimitedTableOptions options, string[] names,
        Func<string, string, string, int> find, int labelCol, int[] groupCols, int? subjectCol)
    {
        var excluded = new HashSet<int>();
        if (options.ExcludeColumns.Count == 0)
        {
            return excluded;
        }
        if (options.FeatureColumns is not null)
        {
            throw new InvalidInputException(
                $"{path}: --features and --exclude exclude each other: --features names every feature column itself; leave out of it the columns to exclude.");
        }
        foreach (var name in options.ExcludeColumns)
        {
            var c = find(name, "excluded", nameof(options.ExcludeColumns));
            var role = c == labelCol ? "label" : groupCols.Contains(c) ? "group" : c == subjectCol ? "subject" : null;
            if (role is not null)
            {
                throw new InvalidInputException(
                    $"{path}: --exclude names the {role} column {Show(name)}; it is not a feature anyway, and excluding it would leave the run without a {role}.");
            }
            if (!excluded.Add(c))
            {
                throw new InvalidInputException($"{path}: --exclude lists {Show(names[c])} twice.");
            }
        }
        return excluded;
    }

    /// <summary>
    /// Default features that hold text (sex, site, a diagnosis written out): refused rather than dropped silently,
    /// naming every such column and the option that leaves them out.
    /// </summary>
    private static InvalidInputException NotNumeric(string path, string[] names, Dictionary<int, (int Line, string Text)> columns)
    {
        var ordered = columns.OrderBy(p => p.Key).ToList();
        var (first, (line, text)) = (ordered[0].Key, ordered[0].Value);
        var others = "";
        if (ordered.Count > 1)
        {
            others = "; so are " + string.Join(", ", ordered.Skip(1).Take(MaxListedColumns - 1).Select(p => $"{Show(names[p.Key])} (line {p.Value.Line}: {Show(p.Value.Text)})"));
            if (ordered.Count > MaxListedColumns)
            {
                others += $", … ({ordered.Count} columns in all)";
            }
        }
        var list = string.Join(',', ordered.Select(p => names[p.Key]));
        var taken = ordered.Count == 1 ? $"{Show(names[first])} was taken as a feature" : "these columns were taken as features";
        return new InvalidInputException(
            $"{path}: line {line}, column {Show(names[first])}: {Show(text)} is not a number{others}; {taken} (every column other than the label, group and subject is one): leave {(ordered.Count == 1 ? "it" : "them")} out with --exclude {list}, or name the features with --features.");
    }

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    internal static char DefaultDelimiter(string path, string firstLine)
    {
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        var extension = System.IO.Path.GetExtension(name);
        if (extension.Equals(".tsv", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".tab", StringComparison.OrdinalIgnoreCase))
        {
            return '\t';
        }
        // Spreadsheets in many locales save "CSV" with ';' between fields.
        return !firstLine.Contains(',') && firstLine.Contains(';') ? ';' : ',';
    }

    internal static float ParseFeature(string path, int line, string column, string text)
    {
        if (text.Length == 0)
        {
            throw new InvalidInputException($"{path}: line {line}, column {Show(column)}: the value is missing.");
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidInputException($"{path}: line {line}, column {Show(column)}: {Show(text)} is not a number.");
        }
        if (!double.IsFinite(value))
        {
            throw new InvalidInputException($"{path}: line {line}, column {Show(column)}: {Show(text)} is not a finite number.");
        }
        var single = (float)value;
        if (!float.IsFinite(single))
        {
            throw new InvalidInputException($"{path}: line {line}, column {Show(column)}: {Show(text)} is outside the float32 range.");
        }
        return single;
    }

    /// <summary>
    /// Refuses a label column where most classes hold a single sample: a measurement (age, a score) or an id was named
    /// as the label, and training would run with one class per subject and a warning for each.
    /// </summary>
    internal static void RefuseNonClassLabel(string source, string column, int classes, int samples)
    {
        if (classes >= 10 && 2 * classes > samples)
        {
            throw new InvalidInputException(
                $"{source}: --label column {Show(column)} has {classes} distinct values among {samples} samples; a label names classes (e.g. a diagnosis), not a continuous measurement or an id.");
        }
    }

    internal static (int[] Labels, string[] Names) EncodeLabels(List<string> texts)
    {
        var numbers = new double[texts.Count];
        var numeric = true;
        for (var i = 0; i < texts.Count && numeric; i++)
        {
            numeric = double.TryParse(texts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i])
                && !double.IsNaN(numbers[i]);
        }
        var labels = new int[texts.Count];
        if (numeric)
        {
            var firstText = new Dictionary<double, string>();
            for (var i = 0; i < texts.Count; i++)
            {
                firstText.TryAdd(numbers[i], texts[i]);
            }
            var order = firstText.Keys.Order().ToArray();
            var index = new Dictionary<double, int>();
            for (var k = 0; k < order.Length; k++)
            {
                index[order[k]] = k;
            }
            for (var i = 0; i < texts.Count; i++)
            {
                labels[i] = index[numbers[i]];
            }
            return (labels, order.Select(v => firstText[v]).ToArray());
        }
        var names = texts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < names.Length; k++)
        {
            byName[names[k]] = k;
        }
        for (var i = 0; i < texts.Count; i++)
        {
            labels[i] = byName[texts[i]];
        }
        return (labels, names);
    }

    internal static InvalidInputException NotFound(string path, string[] names, string name, string role, string option)
    {
        var available = names.Where(n => n.Length > 0).ToArray();
        var listed = string.Join(", ", available.Take(MaxListedColumns).Select(Show));
        if (available.Length > MaxListedColumns)
        {
            listed += $", … ({available.Length} columns)";
        }
        var hint = available.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        var didYouMean = hint is null ? "" : $" (did you mean {Show(hint)}? names are case-sensitive)";
        return new InvalidInputException(
            $"{path}: {role} column {Show(name)} ({option}) not found{didYouMean}; columns: {listed}.");
    }

    /// <summary>Quotes a value for a one-line message: control characters escaped, long values shortened.</summary>
    internal static string Show(string value)
    {
        const int max = 40;
        var sb = new StringBuilder("'");
        foreach (var ch in value.Length > max ? value[..max] : value)
        {
            sb.Append(ch switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(ch) => $"\\u{(int)ch:x4}",
                _ => ch.ToString(),
            });
        }
        if (value.Length > max)
        {
            sb.Append('…');
        }
        return sb.Append('\'').ToString();
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ");

    internal readonly record struct Field(string Text, bool Quoted);

    /// <summary>Splits text into records of fields (RFC 4180 quoting, LF/CRLF/CR line ends, blank lines skipped).</summary>
    internal sealed class RecordReader(TextReader reader, string path)
    {
        private readonly char[] _buffer = new char[1 << 16];
        private readonly StringBuilder _field = new();
        private int _pos;
        private int _length;
        private int _line = 1;

        public char Delimiter { get; set; } = ',';

        /// <summary>1-based line number where the record last returned by <see cref="Next"/> starts.</summary>
        public int RecordLine { get; private set; }

        /// <summary>The buffered text of the first line (up to the buffer size), without consuming it.</summary>
        public string PeekFirstLine()
        {
            Fill();
            var span = _buffer.AsSpan(_pos, _length - _pos);
            var end = span.IndexOfAny('\r', '\n');
            return new string(end < 0 ? span : span[..end]);
        }

        public List<Field>? Next()
        {
            while (true)
            {
                if (Peek() < 0)
                {
                    return null;
                }
                RecordLine = _line;
                var fields = ReadRecord();
                var blank = fields.Count == 1 && !fields[0].Quoted && fields[0].Text.Length == 0;
                if (!blank)
                {
                    return fields;
                }
            }
        }

        private List<Field> ReadRecord()
        {
            var fields = new List<Field>();
            while (true)
            {
                _field.Clear();
                var quoted = false;
                SkipSpaces();
                if (Peek() == '"')
                {
                    quoted = true;
                    var startLine = _line;
                    Read();
                    while (true)
                    {
                        var c = Read();
                        if (c < 0)
                        {
                            throw new InvalidInputException(
                                $"{path}: line {startLine}: a quoted field (field {fields.Count + 1}) is not closed before the end of the file.");
                        }
                        if (c == '"')
                        {
                            if (Peek() == '"')
                            {
                                Read();
                                _field.Append('"');
                                continue;
                            }
                            break;
                        }
                        CountLineBreak(c);
                        _field.Append((char)c);
                    }
                    SkipSpaces();
                    var next = Peek();
                    if (next >= 0 && next != Delimiter && next != '\r' && next != '\n')
                    {
                        throw new InvalidInputException(
                            $"{path}: line {_line}: unexpected {Show(((char)next).ToString())} after the closing quote of field {fields.Count + 1}.");
                    }
                }
                else
                {
                    while (Peek() is var c and >= 0 && c != Delimiter && c != '\r' && c != '\n')
                    {
                        _field.Append((char)Read());
                    }
                }
                var text = _field.ToString();
                fields.Add(new Field(quoted ? text : text.TrimEnd(' ', Delimiter == '\t' ? ' ' : '\t'), quoted));

                var end = Read();
                if (end == Delimiter)
                {
                    continue;
                }
                if (end == '\r' && Peek() == '\n')
                {
                    Read();
                }
                if (end >= 0)
                {
                    _line++;
                }
                return fields;
            }
        }

        private void CountLineBreak(int c)
        {
            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                _line++;
            }
        }

        private void SkipSpaces()
        {
            while (Peek() is var c && (c == ' ' || (c == '\t' && Delimiter != '\t')))
            {
                Read();
            }
        }

        private int Peek()
        {
            if (_pos >= _length && !Fill())
            {
                return -1;
            }
            return _buffer[_pos];
        }

        private int Read()
        {
            var c = Peek();
            if (c >= 0)
            {
                _pos++;
            }
            return c;
        }

        private bool Fill()
        {
            if (_pos < _length)
            {
                return true;
            }
            _length = reader.Read(_buffer, 0, _buffer.Length);
            _pos = 0;
            return _length > 0;
        }
    }
}
