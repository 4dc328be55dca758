
namespace AutoSpec.Spectra;

/// <summary>
/// One layer at one step, reduced to what a relabelling needs (DESIGN.md, Gram route): K_A = AAᵀ and K_Δ = ΔΔᵀ in
/// float64, computed once, and which subject each row belongs to. The spectrum of any group's gradient
/// G_g = A_gᵀΔ_g is then σ(G_g)² = eig(K_A[g,g]·K_Δ[g,g]): a relabelling only re-slices the cached blocks.
/// </summary>
internal sealed class GramStep
{
    private readonly double[] _ka;
    private readonly double[] _kd;
    private readonly int[] _rowSubject;
    private readonly int _rank;
    private readonly Dictionary<int, int> _subjectSamples;
    private double[]? _hadamard;
    private double[]? _hadamardRowSums;
    private double _hadamardTotal;
    private int[]? _samplesOfSubjects;
    private double[]? _subjectEnergy;

    /// <summary>Caches the Gram matrices of the factors A (rows×p) and Δ (rows×q).</summary>
    /// <param name="a">Layer inputs, one row per row of the batch.</param>
    /// <param name="delta">Adjoints dL/d(output), same rows.</param>
    /// <param name="rowSubject">Subject (0-based, shared by all steps of a window) of every row.</param>
    /// <remarks>Every subject counts as one sample of a batch made of the subjects seen here.</remarks>
    public GramStep(double[,] a, double[,] delta, int[] rowSubject)
    {
        if (a.GetLength(0) != delta.GetLength(0) || a.GetLength(0) != rowSubject.Length)
        {
            throw new ArgumentException("A, Δ and the row → subject map must have the same rows");
        }
        _ka = Gram(a);
        _kd = Gram(delta);
        _rowSubject = rowSubject;
        _rank = Math.Min(a.GetLength(1), delta.GetLength(1));
        Subjects = rowSubject.Distinct().Order().ToArray();
        _subjectSamples = Subjects.ToDictionary(s => s, _ => 1);
        BatchSamples = Subjects.Length;
    }

    /// <summary>M Mᵀ, row-major.</summary>
    private static double[] Gram(double[,] m)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var t = TorchSharp.torch.tensor(m);
        return t.matmul(t.t()).contiguous().data<double>().ToArray();
    }

    /// <summary>
    /// Takes Gram matrices computed elsewhere (row-major, rows × rows, float64). Rows may be compressed factor rows
    /// (see <see cref="SubjectGram"/>): only Σ over a subject's rows of its gradient needs to be exact.
    /// </summary>
    /// <param name="ka">K_A, row-major.</param>
    /// <param name="kd">K_Δ, row-major.</param>
    /// <param name="rowSubject">Subject of every row.</param>
    /// <param name="rank">min(p, q) of the layer: at most that many singular values are non-zero.</param>
    /// <param name="subjectSamples">Batch samples of every subject in this step (for the N/n_g normaliser).</param>
    /// <param name="batchSamples">Samples of the whole batch (N).</param>
    internal GramStep(double[] ka, double[] kd, int[] rowSubject, int rank, Dictionary<int, int> subjectSamples, int batchSamples)
    {
        int n = rowSubject.Length;
        if (ka.Length != n * n || kd.Length != n * n)
        {
            throw new ArgumentException("K_A and K_Δ must be rows × rows");
        }
        _ka = ka;
        _kd = kd;
        _rowSubject = rowSubject;
        _rank = rank;
        _subjectSamples = subjectSamples;
        Subjects = rowSubject.Distinct().Order().ToArray();
        BatchSamples = batchSamples;
    }

    /// <summary>Subjects with rows in this step (the batch).</summary>
    public int[] Subjects { get; }

    /// <summary>Samples of the whole batch (N of the per-sample normaliser N/n_g).</summary>
    public int BatchSamples { get; }

    /// <summary>Rows held (memory: two rows × rows float64 matrices).</summary>
    public int Rows => _rowSubject.Length;

    /// <summary>Batch samples of the subjects in the group (n_g).</summary>
    public int Samples(IReadOnlyList<bool> subjectInGroup) =>
        Subjects.Where(s => subjectInGroup[s]).Sum(s => _subjectSamples[s]);

    /// <summary>
    /// Singular values (descending) of the gradient of the rows whose subject is in the group, and the number of
    /// the group's subjects in this step; empty when the group has no row here.
    /// </summary>
    public (double[] Sigma, int Subjects) Group(IReadOnlyList<bool> subjectInGroup)
    {
        var rows = RowsOf(subjectInGroup);
        int subjects = Subjects.Count(s => subjectInGroup[s]);
        if (rows.Length == 0)
        {
            return ([], 0);
        }
        // Only min(rows, p, q) values are structurally non-zero (as in spectra.parquet); the rest would be square
        // roots of rounding noise and would bias rank-type metrics.
        var values = GramKernel.SingularValues(Block(_ka, rows), Block(_kd, rows), rows.Length, Math.Min(rows.Length, _rank));
        return (values, subjects);
    }

    /// <summary>
    /// ‖G_g‖²_F = Σ_{i,j∈g} K_A[i,j]·K_Δ[i,j] (trace of K_A[g,g]K_Δ[g,g]): no eigendecomposition, which makes the
    /// Frobenius metrics cheap enough to permute during training.
    /// </summary>
    public double FrobeniusSquared(IReadOnlyList<bool> subjectInGroup)
    {
        var rows = RowsOf(subjectInGroup);
        int n = _rowSubject.Length;
        double sum = 0;
        foreach (int i in rows)
        {
            int offset = i * n;
            foreach (int j in rows)
            {
                sum += _ka[offset + j] * _kd[offset + j];
            }
        }
        return Math.Max(sum, 0);
    }

    /// <summary>
    /// ‖G_B‖²_F and ‖G_A‖²_F of a split of this step's rows into the subjects in B and all others, with the two
    /// groups' sample counts. With H = K_A ∘ K_Δ cached, ‖G_A‖²_F = 1ᵀH1 − 2·1ᵀH m_B + m_Bᵀ H m_B: one quadratic form
    /// over B's rows per relabelling instead of two, and no allocation (the hot loop of the online test).
    /// </summary>
    internal (double B, double A, int SamplesB, int SamplesA) FrobeniusSplit(bool[] inB)
    {
        int n = _rowSubject.Length;
        EnsureCaches();
        int samplesB = 0, samplesAll = 0;
        for (int k = 0; k < Subjects.Length; k++)
        {
            samplesAll += _samplesOfSubjects![k];
            if (inB[Subjects[k]])
            {
                samplesB += _samplesOfSubjects[k];
            }
        }
        // m_Bᵀ H m_B as dense dot products of H's rows with the 0/1 indicator of B: SIMD-friendly and ~10× faster
        // than gathering H[i, j] over pairs of B's rows.
        Span<double> indicator = n <= 2048 ? stackalloc double[n] : new double[n];
        double rowSums = 0;
        for (int r = 0; r < n; r++)
        {
            bool b = inB[_rowSubject[r]];
            indicator[r] = b ? 1 : 0;
            if (b)
            {
                rowSums += _hadamardRowSums![r];
            }
        }
        double quadratic = 0;
        var hb = _hadamard.AsSpan();
        for (int r = 0; r < n; r++)
        {
            if (indicator[r] != 0)
            {
                quadratic += Dot(hb.Slice(r * n, n), indicator);
            }
        }
        double a = _hadamardTotal - 2 * rowSums + quadratic;
        return (Math.Max(quadratic, 0), Math.Max(a, 0), samplesB, samplesAll - samplesB);
    }

    /// <summary>
    /// Per-sample gradient energy of the subjects in B and of all others: Σ_{s∈g} ‖G_s‖²_F with G_s the gradient of
    /// subject s's rows (the diagonal blocks of H = K_A ∘ K_Δ), and the two groups' sample counts. Unlike ‖G_g‖_F,
    /// its mean over a group's samples has no noise term that shrinks with the group's size.
    /// </summary>
    internal (double B, double A, int SamplesB, int SamplesA) EnergySplit(bool[] inB)
    {
        EnsureCaches();
        double b = 0, all = 0;
        int samplesB = 0, samplesAll = 0;
        for (int k = 0; k < Subjects.Length; k++)
        {
            all += _subjectEnergy![k];
            samplesAll += _samplesOfSubjects![k];
            if (inB[Subjects[k]])
            {
                b += _subjectEnergy[k];
                samplesB += _samplesOfSubjects[k];
            }
        }
        return (b, Math.Max(all - b, 0), samplesB, samplesAll - samplesB);
    }

    /// <summary>Builds H = K_A ∘ K_Δ and its sums on first use (one thread: the observed labelling runs first).</summary>
    private void EnsureCaches()
    {
        if (_hadamard is not null)
        {
            return;
        }
        int n = _rowSubject.Length;
        var h = new double[n * n];
        var sums = new double[n];
        for (int i = 0; i < h.Length; i++)
        {
            h[i] = _ka[i] * _kd[i];
            sums[i / n] += h[i];
        }
        _hadamardRowSums = sums;
        _hadamardTotal = sums.Sum();
        _samplesOfSubjects = Subjects.Select(s => _subjectSamples[s]).ToArray();
        _subjectEnergy = SubjectEnergies(h);
        Thread.MemoryBarrier();
        _hadamard = h;
    }

    /// <summary>‖G_s‖²_F of every subject (in <see cref="Subjects"/> order): Σ of H over pairs of the subject's rows.</summary>
    private double[] SubjectEnergies(double[] h)
    {
        int n = _rowSubject.Length;
        var position = new Dictionary<int, int>(Subjects.Length);
        for (int k = 0; k < Subjects.Length; k++)
        {
            position[Subjects[k]] = k;
        }
        var energy = new double[Subjects.Length];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (_rowSubject[i] == _rowSubject[j])
                {
                    energy[position[_rowSubject[i]]] += h[i * n + j];
                }
            }
        }
        for (int k = 0; k < energy.Length; k++)
        {
            energy[k] = Math.Max(energy[k], 0);
        }
        return energy;
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int width = System.Numerics.Vector<double>.Count, i = 0;
        var sum = System.Numerics.Vector<double>.Zero;
        for (; i <= x.Length - width; i += width)
        {
            sum += new System.Numerics.Vector<double>(x[i..]) * new System.Numerics.Vector<double>(y[i..]);
        }
        double total = System.Numerics.Vector.Sum(sum);
        for (; i < x.Length; i++)
        {
            total += x[i] * y[i];
        }
        return total;
    }

    /// <summary>The same step keeping only the rows of the subjects kept (e.g. the two groups of a pair).</summary>
    public GramStep Restrict(IReadOnlyList<bool> keepSubject)
    {
        var rows = RowsOf(keepSubject);
        if (rows.Length == _rowSubject.Length)
        {
            return this;
        }
        return new GramStep(Block(_ka, rows), Block(_kd, rows),
            rows.Select(r => _rowSubject[r]).ToArray(), _rank, _subjectSamples, BatchSamples);
    }

    /// <summary>
    /// Writes what the step was built from (K_A, K_Δ bit for bit, rows, rank and sample counts) so that a resumed run
    /// tests the same blocks; the caches are derived and rebuilt on use.
    /// </summary>
    internal void Write(BinaryWriter w)
    {
        w.Write(_rowSubject.Length);
        foreach (int s in _rowSubject)
        {
            w.Write(s);
        }
        w.Write(_rank);
        w.Write(BatchSamples);
        w.Write(_subjectSamples.Count);
        foreach (var (subject, samples) in _subjectSamples)
        {
            w.Write(subject);
            w.Write(samples);
        }
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_ka.AsSpan()));
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_kd.AsSpan()));
    }

    /// <summary>Reads a step written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The data do not describe a step.</exception>
    internal static GramStep Read(BinaryReader r)
    {
        int n = r.ReadInt32();
        // Bounds checked before allocating: the bytes come from a file (checksummed, but possibly of another version).
        if (n < 0 || (long)n * n * 2 * sizeof(double) > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new InvalidDataException($"Gram step with {n} rows does not fit the data");
        }
        var rowSubject = new int[n];
        for (int i = 0; i < n; i++)
        {
            rowSubject[i] = r.ReadInt32();
        }
        int rank = r.ReadInt32();
        int batchSamples = r.ReadInt32();
        int subjects = r.ReadInt32();
        if (subjects < 0 || subjects > n)
        {
            throw new InvalidDataException($"Gram step with {subjects} subjects for {n} rows");
        }
        var subjectSamples = new Dictionary<int, int>(subjects);
        for (int i = 0; i < subjects; i++)
        {
            int subject = r.ReadInt32();
            if (!subjectSamples.TryAdd(subject, r.ReadInt32()))
            {
                throw new InvalidDataException($"Gram step lists subject {subject} twice");
            }
        }
        var ka = ReadDoubles(r, n * n);
        var kd = ReadDoubles(r, n * n);
        if (rowSubject.Any(s => !subjectSamples.ContainsKey(s)))
        {
            throw new InvalidDataException("Gram step with a row of a subject without sample count");
        }
        return new GramStep(ka, kd, rowSubject, rank, subjectSamples, batchSamples);
    }

    private static double[] ReadDoubles(BinaryReader r, int count)
    {
        var values = new double[count];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        while (bytes.Length > 0)
        {
            int read = r.Read(bytes);
            if (read == 0)
            {
                throw new EndOfStreamException();
            }
            bytes = bytes[read..];
        }
        return values;
    }

    private int[] RowsOf(IReadOnlyList<bool> subjectInGroup)
    {
        var rows = new List<int>(_rowSubject.Length);
        for (int r = 0; r < _rowSubject.Length; r++)
        {
            if (subjectInGroup[_rowSubject[r]])
            {
                rows.Add(r);
            }
        }
        return [.. rows];
    }

    /// <summary>The rows × rows block of a row-major Gram matrix, row-major.</summary>
    private double[] Block(double[] k, int[] rows)
    {
        int n = _rowSubject.Length, m = rows.Length;
        var block = new double[m * m];
        for (int i = 0; i < m; i++)
        {
            int offset = rows[i] * n;
            for (int j = 0; j < m; j++)
            {
                block[i * m + j] = k[offset + rows[j]];
            }
        }
        return block;
    }
}
