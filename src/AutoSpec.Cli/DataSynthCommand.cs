using System.CommandLine;
using System.Globalization;
using AutoSpec.Data;

namespace AutoSpec.Cli;

/// <summary>
/// <c>autospec data synth KIND --out DIR</c>: writes a synthetic data set with a planted group effect in the layout
/// the loaders read, plus a README.txt with its ground truth and the options that load it.
/// </summary>
internal static class DataSynthCommand
{
    private static readonly Argument<string> Kind = new("KIND") { Description = "table (wide CSV), long-table (long CSV), timecourses (.npy + .h5 + subjects.csv) or volumes (.nii.gz + subjects.csv + mask)." };
    private static readonly Option<string> Out = new("--out") { Description = "Folder to write into (created if needed; must be empty unless --overwrite).", Required = true };
    private static readonly Option<bool> Overwrite = new("--overwrite") { Description = "Write into a non-empty --out, replacing the files synth writes (others are left alone)." };
    private static readonly Option<int?> Subjects = new("--subjects") { Description = "Number of subjects (default: 200 time courses, 100 volumes, 1200 table rows)." };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Seed (default 0): same seed, same files." };
    private static readonly Option<bool> Null = new("--null") { Description = "No group effect (the null: groups drawn from one distribution)." };
    private static readonly Option<double?> EffectSize = new("--effect-size") { Description = "Group effect size: mean shift (table), correlation (timecourses), intensity change (volumes)." };
    private static readonly Option<int?> Components = new("--components") { Description = "Time courses: number of components (default 10)." };
    private static readonly Option<int?> TimePoints = new("--timepoints") { Description = "Time courses: number of time points (default 150)." };
    private static readonly Option<int?> Size = new("--size") { Description = "Volumes: edge length of the cubic grid (default 32)." };

    public static Command Create()
    {
        var command = new Command("synth", "Write a synthetic data set with a planted group effect (and its ground truth) in the formats `run` reads.")
        {
            Kind, Out, Overwrite, Subjects, Seed, Null, EffectSize, Components, TimePoints, Size,
        };
        command.SetAction(Execute);
        return command;
    }

    private static int Execute(ParseResult p)
    {
        try
        {
            var dir = p.GetValue(Out)!;
            if (File.Exists(dir))
            {
                throw new InvalidInputException($"--out: {dir} is a file, not a folder.");
            }
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any() && !p.GetValue(Overwrite))
            {
                // Data a study depends on is not replaced by accident (same file names, other seed or size).
                throw new InvalidInputException($"--out: {dir} is not empty; choose a new folder, or pass --overwrite to replace the files synth writes there.");
            }
            var seed = p.GetValue(Seed) ?? 0;
            var kind = p.GetValue(Kind) ?? "";
            var (written, load, truth) = kind switch
            {
                "table" or "long-table" => Table(p, dir, seed, kind == "long-table"),
                "timecourses" => TimeCourses(p, dir, seed),
                "volumes" => Volumes(p, dir, seed),
                _ => throw new InvalidInputException($"KIND: unknown kind '{kind}' (use table, long-table, timecourses or volumes)."),
            };
            var folder = Path.GetFullPath(dir);
            var readme = Path.Combine(folder, "README.txt");
            // The README's paths are relative to the data folder, so they stay right wherever the folder is read or moved to.
            File.WriteAllText(readme,
                $"Synthetic data written by `autospec data synth {kind}`.\n\nGround truth (see docs/DATA.md for the model):\n  {truth}\n\n" +
                $"Load it from this folder with:\n  autospec data inspect {load(f => SweepWorkerCommand.Quote(Path.GetRelativePath(folder, f)))}\n");
            foreach (var (file, note) in written.Append(new Written(readme, "")))
            {
                Console.WriteLine($"wrote {ShownPath.Of(file)}{note}");
            }
            Console.WriteLine($"load with: autospec data inspect {load(ShownPath.Of)}");
            return ExitCodes.Success;
        }
        catch (InvalidInputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
    }

    private static (Written[] Written, Func<Func<string, string>, string> Load, string Truth) Table(ParseResult p, string dir, int seed, bool longLayout)
    {
        Reject(p, Components, TimePoints, Size);
        var o = new GaussianMixtureOptions { Seed = seed };
        o = o with
        {
            Samples = p.GetValue(Subjects) ?? o.Samples,
            Effect = p.GetValue(Null) ? PlantedEffect.None : o.Effect,
            EffectSize = p.GetValue(EffectSize) ?? o.EffectSize,
        };
        var data = GaussianMixtureGenerator.Generate(o);
        var path = longLayout ? SyntheticDataWriter.WriteLongTable(data, dir) : SyntheticDataWriter.WriteWideTable(data, dir);
        return ([new(path, "")], show => longLayout
            ? $"{show(path)} --label label --group group --subject subject --session session --pivot feature --value value"
            : $"{show(path)} --label label --group group --subject subject", data.Source);
    }

    private static (Written[] Written, Func<Func<string, string>, string> Load, string Truth) TimeCourses(ParseResult p, string dir, int seed)
    {
        Reject(p, Size);
        var o = new TimeCourseOptions { Seed = seed };
        o = o with
        {
            Subjects = p.GetValue(Subjects) ?? o.Subjects,
            Components = p.GetValue(Components) ?? o.Components,
            TimePoints = p.GetValue(TimePoints) ?? o.TimePoints,
            Effect = p.GetValue(Null) ? TimeCourseEffect.None : o.Effect,
            EffectCorrelation = p.GetValue(EffectSize) ?? o.EffectCorrelation,
        };
        var data = TimeCourseGenerator.Generate(o);
        var npy = SyntheticDataWriter.WriteNpy(data, dir, "timecourses.npy");
        var h5 = SyntheticDataWriter.WriteHdf5(data, dir, "timecourses.h5", "timecourses");
        var table = SyntheticDataWriter.WriteSubjectTable(data, dir);
        return ([new(npy, ""), new(h5, ""), new(table, "")],
            show => $"{show(npy)} --subjects {show(table)} --label label --group group --subject subject", data.Source);
    }

    private static (Written[] Written, Func<Func<string, string>, string> Load, string Truth) Volumes(ParseResult p, string dir, int seed)
    {
        Reject(p, Components, TimePoints);
        var edge = p.GetValue(Size) ?? 32;
        var o = new VolumeOptions { Seed = seed, SizeX = edge, SizeY = edge, SizeZ = edge };
        o = o with
        {
            Subjects = p.GetValue(Subjects) ?? o.Subjects,
            Effect = p.GetValue(Null) ? VolumeEffect.None : o.Effect,
            EffectSize = p.GetValue(EffectSize) ?? o.EffectSize,
        };
        var data = VolumeGenerator.Generate(o);
        var table = SyntheticDataWriter.WriteNiftiImages(data, dir, o.VoxelSize);
        var mask = Path.Combine(Path.GetFullPath(dir), "mask.nii.gz");
        NiftiFile.Write(mask, VolumeGenerator.BrainMask(o), [edge, edge, edge], [o.VoxelSize, o.VoxelSize, o.VoxelSize]);
        var images = new Written(Path.Combine(Path.GetFullPath(dir), "images"), string.Create(CultureInfo.InvariantCulture, $"/ ({data.SampleCount} .nii.gz files)"));
        return ([new(table, ""), new(mask, ""), images],
            show => $"{show(table)} --label label --group group --subject subject --image-column image --mask {show(mask)}", data.Source);
    }

    /// <summary>A path written, and what follows it when printed.</summary>
    private readonly record struct Written(string Path, string Note);

    private static void Reject(ParseResult p, params Option<int?>[] options)
    {
        foreach (var option in options)
        {
            if (p.GetValue(option) is not null)
            {
                throw new InvalidInputException($"{option.Name} does not apply to KIND '{p.GetValue(Kind)}'.");
            }
        }
    }
}
