using System.Diagnostics;
using System.Globalization;
using AutoSpec.Benchmarks.Report;
using AutoSpec.Introspection;
using AutoSpec.Partition;
using AutoSpec.Record;
using AutoSpec.Spectra;
using Parquet;

namespace AutoSpec.Benchmarks.Harness;

/// <summary>
/// What a Parquet flush costs, without training: a <see cref="RunRecorder"/> fed synthetic spectra of the MLP
/// benchmark's shapes (1378→512→256→2, batch 64, groups A and B of 32 samples and "all", G, A and Δ every step), one
/// flush per epoch, timed as the probe times it; then where one epoch's flush goes (our column buffers, Parquet.Net's
/// encoding per table, file, rename, manifest), each piece timed on its own.
/// </summary>
internal static class FlushBenchmark
{
    private static readonly (string Name, int In, int Out)[] Layers = [("fc1", 1378, 512), ("fc2", 512, 256), ("fc3", 256, 2)];
    private static readonly (string Name, int Samples)[] Groups = [("A", 32), ("B", 32), ("all", 64)];

    public static string Run(BenchmarkSettings s, TextWriter log)
    {
        string dir = Path.Combine(s.WorkDirectory, $"flush-{Environment.ProcessId}");
        var spectra = Enumerable.Range(0, s.StepsPerEpoch).Select(SyntheticSpectra).ToList();
        var recorder = RunRecorder.Create(dir, new RunDescription { RunId = "flush-benchmark", Overwrite = true });
        var options = new IntrospectionOptions { Permutations = 0, Every = 1, Quantities = SpectrumQuantities.Grad | SpectrumQuantities.Act | SpectrumQuantities.Delta };
        recorder.Start(new ProbeDescription(options, Layers.ToDictionary(l => l.Name, l => $"{l.Out}x{l.In}"),
            [.. Groups.Take(2).Select(g => g.Name)], 1));

        long step = 0;
        var add = new List<double>();
        var flush = new List<double>();
        var flushCpu = new List<double>();
        var flushBytes = new List<double>();
        var process = Process.GetCurrentProcess();
        long rowsBefore = 0;
        var rows = new List<long>();
        int epochs = s.FlushWarmup + s.FlushEpochs;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int b = 0; b < s.StepsPerEpoch; b++, step++)
            {
                var info = new StepInfo(epoch, step, 64);
                foreach (var (name, _, _) in Layers)
                {
                    recorder.AddGroupSpectra(info, name, "linear", spectra[b][name]);
                }
                recorder.EndStep(recorded: true);
            }
            long t1 = Stopwatch.GetTimestamp();
            if (epoch == epochs - 1)
            {
                // The last epoch's rows stay buffered for the breakdown below, which flushes them piece by piece.
                break;
            }
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            long bytes0 = GC.GetAllocatedBytesForCurrentThread();
            recorder.Flush();
            long t2 = Stopwatch.GetTimestamp();
            long bytes1 = GC.GetAllocatedBytesForCurrentThread();
            process.Refresh();
            var cpu1 = process.TotalProcessorTime;
            long flushed = recorder.Manifest.Progress["spectra_rows"] + recorder.Manifest.Progress["metrics_rows"];
            if (epoch >= s.FlushWarmup)
            {
                add.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                flush.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                rows.Add(flushed - rowsBefore);
                flushCpu.Add((cpu1 - cpu0).TotalMilliseconds);
                flushBytes.Add((bytes1 - bytes0) / 1024.0);
            }
            rowsBefore = flushed;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[flush] epoch {epoch}: rows added in {Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds:F2} ms, flushed in {Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds:F2} ms"));
        }
        var breakdown = Breakdown(recorder, dir, s.FlushEpochs);
        recorder.Complete();
        Directory.Delete(dir, recursive: true);

        double perFlush = Median(flush);
        double perRows = rows.Count > 0 ? rows.Average() : 0;
        // The fastest epoch is what the work costs when nothing else takes the cores (the machine is shared).
        var table = new MarkdownTable("what", "ms per epoch (median)", "(fastest)", "ms per step (median)", "µs per row (median)");
        table.Add("adding the rows (RunRecorder.AddGroupSpectra, EndStep)", F(Median(add)), F(add.Min()), F(Median(add) / s.StepsPerEpoch),
            F(1000 * Median(add) / perRows));
        table.Add("flush (RunRecorder.Flush: every table's part file, manifest)", F(perFlush), F(flush.Min()), F(perFlush / s.StepsPerEpoch),
            F(1000 * perFlush / perRows));
        // Wall time on a shared machine counts other processes' turns; the process's CPU time and the bytes the
        // flushing thread allocates do not.
        table.Add("flush: CPU time of the process", F(Median(flushCpu)), F(flushCpu.Min()), F(Median(flushCpu) / s.StepsPerEpoch),
            F(1000 * Median(flushCpu) / perRows));
        table.Add("flush: KiB allocated (flushing thread)", F(Median(flushBytes)), F(flushBytes.Min()), "", "");
        return $"Synthetic spectra of the MLP benchmark's shapes ({string.Join(", ", Layers.Select(l => $"{l.Name} {l.In}→{l.Out}"))}; " +
            $"groups {string.Join(", ", Groups.Select(g => $"{g.Name} ({g.Samples} samples)"))}; G, A and Δ), {s.StepsPerEpoch} steps per epoch, " +
            $"a flush per epoch: {perRows:F0} rows per flush (spectra + metrics), median of {flush.Count} epochs after {s.FlushWarmup} warm-up.\n\n" +
            $"{table}\nOne epoch's flush, piece by piece (median of {s.FlushEpochs} repetitions of each piece on the same buffered rows):\n\n{breakdown}";
    }

    /// <summary>
    /// Spectra of one step of an epoch per layer: every structurally non-zero σ, descending, random (as distinct as
    /// real singular values, so that no column compresses better than it would in a real run).
    /// </summary>
    private static Dictionary<string, IReadOnlyList<GroupSpectra>> SyntheticSpectra(int step)
    {
        var random = new Random(step);
        double[] Sigma(int n) => [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() * 10).OrderDescending()];
        var result = new Dictionary<string, IReadOnlyList<GroupSpectra>>();
        foreach (var (name, inputs, outputs) in Layers)
        {
            result[name] = [.. Groups.Select(g => new GroupSpectra(
                new GroupRows(g.Name, [.. Enumerable.Range(0, g.Samples).Select(i => (long)i)], g.Samples),
                SpectrumRoute.Gram, Sigma(Math.Min(g.Samples, Math.Min(inputs, outputs))), Sigma(Math.Min(g.Samples, inputs)),
                Sigma(Math.Min(g.Samples, outputs))))];
        }
        return result;
    }

    /// <summary>
    /// Times each piece of a flush of the rows buffered now: our columns' buffers handed to Parquet.Net, Parquet.Net's
    /// encoding of each table into memory, the file write, the rename, the manifest; the rows stay buffered until the
    /// real flush at the end.
    /// </summary>
    private static string Breakdown(RunRecorder recorder, string dir, int reps)
    {
        var pieces = new Dictionary<string, List<double>>();
        void Time(string piece, Action action)
        {
            long t = Stopwatch.GetTimestamp();
            action();
            (pieces.TryGetValue(piece, out var list) ? list : pieces[piece] = []).Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        var tables = recorder.Tables.Where(t => t.BufferedRows > 0).ToList();
        string scratch = Path.Combine(dir, "scratch.parquet");
        for (int r = 0; r < reps; r++)
        {
            foreach (var t in tables)
            {
                byte[] bytes = [];
                Time($"{t.Name}: encode {t.BufferedRows} rows × {t.Columns.Count} columns (Parquet.Net, into memory)",
                    () => bytes = Encode(t));
                EncodeByColumn(t, Time);
                Time($"{t.Name}: write {bytes.Length / 1024} KiB to a .tmp file", () => File.WriteAllBytes(scratch + ".tmp", bytes));
                Time($"{t.Name}: rename", () => File.Move(scratch + ".tmp", scratch, overwrite: true));
            }
            Time("manifest.json (serialise, write, rename)", () => recorder.Manifest.Save(dir));
        }
        File.Delete(scratch);
        var table = new MarkdownTable("piece", "ms (median)", "(fastest)");
        foreach (var (piece, times) in pieces)
        {
            table.Add(piece, F(Median(times)), F(times.Min()));
        }
        return table.ToString();
    }

    /// <summary>Encodes a table as <see cref="PartitionedParquetTable.WriteRowGroupAsync"/> does, timing each column's share.</summary>
    private static void EncodeByColumn(PartitionedParquetTable table, Action<string, Action> time)
    {
        using var memory = new MemoryStream();
        time($"{table.Name}:   of which opening the writer", () => { });
        var writer = ParquetWriter.CreateAsync(table.Schema, memory).GetAwaiter().GetResult();
        var group = writer.CreateRowGroup();
        foreach (var c in table.Columns)
        {
            time($"{table.Name}:   of which column {c.Field.Name} ({c.Field.ClrType.Name}{(c.Field.IsNullable ? "?" : "")})",
                () => c.WriteAsync(group).GetAwaiter().GetResult());
        }
        time($"{table.Name}:   of which closing the row group and writing the footer", () =>
        {
            group.Dispose();
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        });
    }

    private static byte[] Encode(PartitionedParquetTable table)
    {
        using var memory = new MemoryStream();
        table.WriteRowGroupAsync(memory).GetAwaiter().GetResult();
        return memory.ToArray();
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
}
