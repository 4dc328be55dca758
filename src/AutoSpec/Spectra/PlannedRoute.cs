using AutoSpec.Capture;
using AutoSpec.Partition;
using static TorchSharp.torch;

namespace AutoSpec.Spectra;

/// <summary>
/// The route <see cref="SpectrumRoute.Auto"/> plans per group and quantity: each spectrum is taken over the smaller
/// side of its matrices, and the whole batch reuses its groups' work.
/// </summary>
/// <remarks>
/// Two exact methods per quantity:
/// <list type="bullet">
/// <item><b>Rows</b> (reported as "gram"): from the row Gram blocks K_A = AAᵀ, K_Δ = ΔΔᵀ (computed once per layer and
/// step). σ(A_g)² = eig K_A[g,g]; σ(Δ_g)² = eig K_Δ[g,g]; σ(G_g)² by <see cref="GramKernel"/>, its symmetric
/// product solved in the step's batch of eigenproblems.</item>
/// <item><b>Columns</b> (reported as "direct"): from the group's cross-products AᵀA (p×p), ΔᵀΔ (q×q) and G = AᵀΔ
/// (p×q), in float64. Because the groups partition the batch, the whole batch's cross-products are the sums of its
/// groups': "all" then costs only its eigenproblem or SVD, not another pass over every row.</item>
/// </list>
/// Which method serves which group and quantity is chosen from the shapes alone by <see cref="Plan"/> (so a run is
/// reproducible), counting LAPACK's small eigenproblems at their measured cost: on these CPUs a 64×64 symmetric
/// eigenproblem takes ~0.3 ms and a 224×224 one with eigenvectors ~13 ms (docs/PERFORMANCE.md), so they, not the
/// products, dominate the spectra of small layers.
/// </remarks>
internal sealed class PlannedRoute
{
    /// <summary>How one quantity of one group is computed.</summary>
    internal enum Method
    {
        /// <summary>From row Gram blocks (n_g×n_g problems).</summary>
        Rows,

        /// <summary>From the group's column cross-products (p×p, q×q, p×q problems).</summary>
        Columns,
    }

    /// <summary>Methods per group (index 0 = "all", then the groups) for grad, act and delta, and the estimated cost.</summary>
    internal sealed record Plan(Method[] Grad, Method[] Act, Method[] Delta, double Cost);

    // Units of RouteCostModel: a float32 multiply-add pair = 1; float64 products cost 2; LAPACK's float64 symmetric
    // eigensolver (eigenvalues only) and SVD run far below peak. A call costs ~0.1–0.2 ms however small (measured).
    private const double Float64 = 2;
    private const double EigenWeight = 24;
    private const double SvdWeight = 12;
    private const double CholeskyWeight = 4;
    private const double CallOverhead = 2e5;

    /// <summary>The cheapest plan for a layer of p inputs and q outputs with these row counts ("all" first).</summary>
    /// <param name="rows">Rows of "all", then of each group.</param>
    /// <param name="p">Columns of A.</param>
    /// <param name="q">Columns of Δ.</param>
    /// <param name="quantities">The quantities to compute.</param>
    /// <param name="deltaGramGiven">K_Δ is at hand already (formed for a layer sharing Δ): using it costs nothing.</param>
    public static Plan Choose(IReadOnlyList<long> rows, long p, long q, SpectrumQuantities quantities, bool deltaGramGiven = false)
    {
        Plan? best = null;
        // Whether K_A / K_Δ are formed at all couples the groups; whether the groups use columns decides whether "all"
        // gets its cross-products for free. Both are enumerated; the rest is chosen per group.
        foreach (bool ka in new[] { false, true })
        {
            foreach (bool kd in new[] { false, true })
            {
                for (int forced = 0; forced < 8; forced++)
                {
                    var plan = Evaluate(rows, p, q, quantities, ka, kd, kd && !deltaGramGiven, (forced & 1) != 0, (forced & 2) != 0, (forced & 4) != 0);
                    if (plan is not null && (best is null || plan.Cost < best.Cost))
                    {
                        best = plan;
                    }
                }
            }
        }
        return best!;
    }

    private static Plan? Evaluate(IReadOnlyList<long> rows, long p, long q, SpectrumQuantities quantities,
        bool ka, bool kd, bool formKd, bool gradColumns, bool actColumns, bool deltaColumns)
    {
        int count = rows.Count;
        var grad = new Method[count];
        var act = new Method[count];
        var delta = new Method[count];
        double cost = (ka ? GramCost(rows[0], p) : 0) + (formKd ? GramCost(rows[0], q) : 0);
        bool wantGrad = quantities.HasFlag(SpectrumQuantities.Grad);
        bool wantAct = quantities.HasFlag(SpectrumQuantities.Act);
        bool wantDelta = quantities.HasFlag(SpectrumQuantities.Delta);
        bool groupsAllColumns(Method[] m) => count > 1 && m.Skip(1).All(x => x == Method.Columns);
        // Groups first (index ≥ 1), then "all", whose column work may be the sum of theirs.
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = pass == 0 ? 1 : 0; i < (pass == 0 ? count : 1); i++)
            {
                double m = rows[i];
                bool isAll = i == 0;
                if (wantGrad)
                {
                    double columns = Float64 * (isAll && groupsAllColumns(grad) ? p * q : 2 * m * p * q) + Svd(p, q);
                    double byRows = ka && kd ? Cholesky(m) + Float64 * 4 * m * m * m + Eigen(m) : double.PositiveInfinity;
                    (grad[i], cost) = Pick(gradColumns && !isAll, columns, byRows, cost);
                }
                if (wantAct)
                {
                    double columns = Float64 * (isAll && groupsAllColumns(act) ? p * p : 2 * m * p * p) + Eigen(p);
                    double byRows = ka ? Eigen(m) : double.PositiveInfinity;
                    (act[i], cost) = Pick(actColumns && !isAll, columns, byRows, cost);
                }
                if (wantDelta)
                {
                    double columns = Float64 * (isAll && groupsAllColumns(delta) ? q * q : 2 * m * q * q) + Eigen(q);
                    double byRows = kd ? Eigen(m) : double.PositiveInfinity;
                    (delta[i], cost) = Pick(deltaColumns && !isAll, columns, byRows, cost);
                }
            }
        }
        return double.IsFinite(cost) ? new Plan(grad, act, delta, cost) : null;
    }

    /// <summary>Whether the plan computes some requested quantity from K_Δ.</summary>
    internal static bool UsesDeltaGram(Plan plan, SpectrumQuantities quantities) =>
        (quantities.HasFlag(SpectrumQuantities.Delta) && plan.Delta.Contains(Method.Rows))
        || (quantities.HasFlag(SpectrumQuantities.Grad) && plan.Grad.Contains(Method.Rows));

    /// <summary>Cost of one row Gram matrix (n×n from n rows of <paramref name="width"/> columns), in float64.</summary>
    internal static double GramCost(double n, double width) => Float64 * 2 * n * n * width;

    private static (Method, double) Pick(bool forceColumns, double columns, double byRows, double cost) =>
        forceColumns || columns <= byRows ? (Method.Columns, cost + columns) : (Method.Rows, cost + byRows);

    private static double Eigen(double m) => EigenWeight * m * m * m + CallOverhead;

    private static double Cholesky(double m) => CholeskyWeight * m * m * m / 3 + CallOverhead;

    private static double Svd(double m, double n)
    {
        double big = Math.Max(m, n), small = Math.Min(m, n);
        return SvdWeight * (4 * big * small * small + 8 * small * small * small) + CallOverhead;
    }

    /// <summary>The cheapest plan for a layer step's factors and groups ("all" first).</summary>
    public static Plan Choose(LayerFactors f, IReadOnlyList<GroupRows> groups, SpectrumQuantities quantities) =>
        Choose(groups.Select(g => (long)g.RowCount).ToList(), f.P, f.Q, quantities);

    /// <summary>Spectra of every group ("all" first, the groups partitioning its rows) by a given plan.</summary>
    /// <param name="f">The layer's factors.</param>
    /// <param name="groups">"all", then the groups.</param>
    /// <param name="quantities">The quantities to compute.</param>
    /// <param name="plan">The plan (see <see cref="Choose(IReadOnlyList{long}, long, long, SpectrumQuantities, bool)"/>).</param>
    /// <param name="working">The precision of every product and decomposition.</param>
    /// <param name="deltaGram">K_Δ of these rows in <paramref name="working"/> precision, when at hand (not disposed here).</param>
    internal static List<GroupSpectra> Compute(LayerFactors f, IReadOnlyList<GroupRows> groups, SpectrumQuantities quantities, Plan plan,
        ScalarType working, Tensor? deltaGram = null)
    {
        using var scope = NewDisposeScope();
        bool wantGrad = quantities.HasFlag(SpectrumQuantities.Grad);
        bool wantAct = quantities.HasFlag(SpectrumQuantities.Act);
        bool wantDelta = quantities.HasFlag(SpectrumQuantities.Delta);
        bool Uses(Method[] methods, bool wanted, Method m) => wanted && methods.Contains(m);
        // A and Δ in the working precision, converted at most once.
        Tensor? aw = null, dw = null;
        Tensor AW() => aw ??= f.Inputs.to_type(working);
        Tensor DW() => dw ??= f.Adjoints.to_type(working);
        var ka = Uses(plan.Act, wantAct, Method.Rows) || Uses(plan.Grad, wantGrad, Method.Rows) ? AW().mm(AW().t()) : null;
        var kd = UsesDeltaGram(plan, quantities) ? deltaGram ?? DW().mm(DW().t()) : null;

        var gradSums = new Tensor?[] { null };
        var actSums = new Tensor?[] { null };
        var deltaSums = new Tensor?[] { null };
        var results = new GroupSpectra?[groups.Count];
        // Eigenproblems are queued and solved together at the end; the slots say where each result goes.
        var eigen = new SymmetricEigenBatch();
        var slots = new List<(int Group, SpectrumQuantities Quantity, int Problem)>();
        // Groups first so that "all" can add up their cross-products.
        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = pass == 0 ? 1 : 0; i < (pass == 0 ? groups.Count : 1); i++)
            {
                var g = groups[i];
                bool isAll = i == 0;
                long m = g.RowCount;
                var index = g.RowCount == f.Rows ? null : tensor(g.Rows, ScalarType.Int64);
                Tensor Rows(Tensor x) => index is null ? x : x.index_select(0, index);
                // A group's block of K_A serves grad and act, of K_Δ grad and delta: gathered once each.
                Tensor? blockA = null, blockD = null;
                Tensor Block(Tensor k) => index is null ? k : k.index_select(0, index).index_select(1, index);
                Tensor BlockA() => blockA ??= Block(ka!);
                Tensor BlockD() => blockD ??= Block(kd!);
                bool groupsSummed(Method[] methods) => isAll && groups.Count > 1 && methods.Skip(1).All(x => x == Method.Columns);
                Tensor Columns(Method[] methods, Tensor?[] sum, Func<Tensor> form)
                {
                    if (groupsSummed(methods))
                    {
                        return sum[0]!;
                    }
                    var c = form();
                    if (!isAll)
                    {
                        sum[0] = sum[0] is null ? c : sum[0]!.add(c, HeldScalars.One);
                    }
                    return c;
                }

                Tensor? ag = null, dg = null;
                // Select the float32 rows first unless the working copy exists anyway: a tall convolution's factors
                // are then never copied whole in float64.
                Tensor RowsA() => ag ??= aw is not null ? Rows(aw) : Rows(f.Inputs).to_type(working);
                Tensor RowsD() => dg ??= dw is not null ? Rows(dw) : Rows(f.Adjoints).to_type(working);
                double[]? grad = null;
                if (wantGrad)
                {
                    long keep = Math.Min(m, Math.Min(f.P, f.Q));
                    if (plan.Grad[i] == Method.Columns)
                    {
                        grad = SingularValues.FromSigma(linalg.svdvals(Columns(plan.Grad, gradSums, () => RowsA().t().mm(RowsD()))), keep);
                    }
                    else
                    {
                        slots.Add((i, SpectrumQuantities.Grad, eigen.Add(GramKernel.SymmetricProduct(BlockA(), BlockD()), keep)));
                    }
                }
                if (wantAct)
                {
                    long keep = Math.Min(m, f.P);
                    slots.Add((i, SpectrumQuantities.Act, eigen.Add(plan.Act[i] == Method.Columns
                        ? Columns(plan.Act, actSums, () => RowsA().t().mm(RowsA()))
                        : BlockA(), keep)));
                }
                if (wantDelta)
                {
                    long keep = Math.Min(m, f.Q);
                    slots.Add((i, SpectrumQuantities.Delta, eigen.Add(plan.Delta[i] == Method.Columns
                        ? Columns(plan.Delta, deltaSums, () => RowsD().t().mm(RowsD()))
                        : BlockD(), keep)));
                }
                var routes = new Dictionary<SpectrumQuantities, SpectrumRoute>();
                void Note(SpectrumQuantities quantity, bool wanted, Method method)
                {
                    if (wanted)
                    {
                        routes[quantity] = method == Method.Columns ? SpectrumRoute.Direct : SpectrumRoute.Gram;
                    }
                }
                Note(SpectrumQuantities.Grad, wantGrad, plan.Grad[i]);
                Note(SpectrumQuantities.Act, wantAct, plan.Act[i]);
                Note(SpectrumQuantities.Delta, wantDelta, plan.Delta[i]);
                var main = routes.Count > 0 ? routes.First().Value : SpectrumRoute.Direct;
                results[i] = new GroupSpectra(g, main, grad, null, null) { QuantityRoutes = routes };
            }
        }
        var solved = eigen.SolveAsSingularValues();
        foreach (var (group, quantity, problem) in slots)
        {
            var r = results[group]!;
            results[group] = quantity switch
            {
                SpectrumQuantities.Grad => r with { Grad = solved[problem] },
                SpectrumQuantities.Act => r with { Act = solved[problem] },
                _ => r with { Delta = solved[problem] },
            };
        }
        return [.. results.Select(r => r!)];
    }
}
