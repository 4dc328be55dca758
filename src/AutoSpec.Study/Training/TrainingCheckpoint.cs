using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoSpec.Introspection;
using AutoSpec.Record;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoSpec.Training;

/// <summary>
/// Everything a run needs to continue exactly where it stood: model parameters and buffers, optimiser state (Adam
/// moments and step counts, SGD momentum), torch's random state, the position (epoch, next batch, step), the last
/// epoch's evaluation, the recorder's position and the probe's state (the open window of the online
/// permutation test, whose blocks would otherwise be lost). The shuffling <see cref="Random"/> is not stored: it is
/// rebuilt by replaying the epochs' shuffles from the seed (cheap, and exact), and the checkpoint keeps the resulting
/// batch order of an epoch it was taken in, to prove the replay right.
/// <para>
/// One file, <c>checkpoint.bin</c> in the run folder: <c>AUTOSPEC-CHECKPOINT-2\n</c>, the payload length (int64), the
/// payload (metadata JSON, then the model, optimiser, random and introspection state as length-prefixed byte blocks),
/// and the SHA-256 of the payload. It is written under a temporary name and renamed into place, so a checkpoint is either
/// whole or absent; a truncated or altered file fails the checksum and is never used.
/// </para>
/// </summary>
internal sealed class TrainingCheckpoint
{
    /// <summary>File name inside the run folder.</summary>
    public const string FileName = "checkpoint.bin";

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("AUTOSPEC-CHECKPOINT-2\n");

    private static readonly JsonSerializerOptions Json = new(RunManifest.Json)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>The epoch training continues in.</summary>
    public required int Epoch { get; init; }

    /// <summary>Index into the epoch's batch order where training continues (0 = the epoch has not started).</summary>
    public required int BatchStart { get; init; }

    /// <summary>The step training continues at (steps before it are done and recorded).</summary>
    public required long Step { get; init; }

    /// <summary>The batch order of <see cref="Epoch"/> when it is under way (empty when <see cref="BatchStart"/> is 0).</summary>
    public required int[] Order { get; init; }

    /// <summary>The evaluation of the last finished epoch (null before the first epoch ends).</summary>
    public required EpochResult? Last { get; init; }

    /// <summary>The recorder's position (its buffers were flushed just before).</summary>
    public required RecorderPosition Recorder { get; init; }

    /// <summary>The model's state (TorchSharp's <c>Module.save</c> format).</summary>
    [JsonIgnore]
    public byte[] Model { get; init; } = [];

    /// <summary>The optimiser's state (TorchSharp's <c>save_state_dict</c> format).</summary>
    [JsonIgnore]
    public byte[] Optimizer { get; init; } = [];

    /// <summary>torch's default generator state (<c>torch.random.get_rng_state</c>).</summary>
    [JsonIgnore]
    public byte[] TorchRandom { get; init; } = [];

    /// <summary>
    /// The probe's state (<see cref="IntrospectionProbe.SaveState"/>); null in a checkpoint taken without a probe.
    /// </summary>
    [JsonIgnore]
    public byte[]? Introspection { get; init; }

    /// <summary>The path of the checkpoint of a run folder.</summary>
    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, FileName);

    /// <summary>
    /// Captures the state of a model and its optimiser, torch's random state and, when given, the probe's
    /// state at a position.
    /// </summary>
    public static TrainingCheckpoint Capture(nn.Module model, optim.Optimizer optimizer, int epoch, int batchStart,
        long step, int[] order, EpochResult? last, RecorderPosition recorder, IntrospectionProbe? probe = null)
    {
        using var rng = random.get_rng_state();
        return new TrainingCheckpoint
        {
            Epoch = epoch,
            BatchStart = batchStart,
            Step = step,
            Order = batchStart > 0 ? (int[])order.Clone() : [],
            Last = last,
            Recorder = recorder,
            Model = Block(w => model.save(w)),
            Optimizer = Block(((OptimizerHelper)optimizer).save_state_dict),
            TorchRandom = rng.data<byte>().ToArray(),
            Introspection = probe?.SaveState(),
        };
    }

    /// <summary>This checkpoint with the recorder's position and the introspection state filled in.</summary>
    public TrainingCheckpoint At(RecorderPosition recorder, byte[]? introspection) => new()
    {
        Epoch = Epoch,
        BatchStart = BatchStart,
        Step = Step,
        Order = Order,
        Last = Last,
        Recorder = recorder,
        Model = Model,
        Optimizer = Optimizer,
        TorchRandom = TorchRandom,
        Introspection = introspection,
    };

    /// <summary>Loads the model, optimiser, torch random and (when given a probe) introspection state.</summary>
    /// <exception cref="InvalidInputException">
    /// A part does not fit, or the checkpoint lacks the introspection state the probe needs.
    /// </exception>
    public void Restore(nn.Module model, optim.Optimizer optimizer, string path, IntrospectionProbe? probe = null)
    {
        if (Introspection is null && probe is { PermutationsOn: true })
        {
            // Such a checkpoint may have been taken inside a window (even at an epoch end, where the epoch's window
            // was still open then): resuming would silently test a window with steps missing.
            throw new InvalidInputException(
                $"checkpoint '{path}' holds no introspection state, so not the open window of the online permutation test; resuming would change permutations.parquet. Start over with --overwrite.");
        }
        if (Introspection is not null && probe is not null)
        {
            try
            {
                probe.RestoreState(Introspection);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new InvalidInputException(
                    $"checkpoint '{path}': its introspection state does not fit this run ({e.Message}); start over with --overwrite.");
            }
        }
        try
        {
            using (var reader = new BinaryReader(new MemoryStream(Model)))
            {
                model.load(reader, strict: true);
            }
            using (var reader = new BinaryReader(new MemoryStream(Optimizer)))
            {
                ((OptimizerHelper)optimizer).load_state_dict(reader);
            }
            using var rng = tensor(TorchRandom, ScalarType.Byte);
            random.set_rng_state(rng);
        }
        catch (Exception e) when (e is not InvalidInputException)
        {
            throw new InvalidInputException(
                $"checkpoint '{path}' does not fit this run's model or optimiser ({e.Message}); start over with --overwrite.");
        }
    }

    /// <summary>Writes the checkpoint atomically (temporary file, flushed to disk, renamed into place).</summary>
    public void Save(string path)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(JsonSerializer.Serialize(this, Json));
            // An empty block stands for no introspection state (no probe's state is empty).
            foreach (var block in new[] { Model, Optimizer, TorchRandom, Introspection ?? [] })
            {
                w.Write(block.Length);
                w.Write(block);
            }
        }
        var bytes = payload.ToArray();
        var tmp = path + ".tmp";
        try
        {
            using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(Magic);
                file.Write(BitConverter.GetBytes((long)bytes.Length));
                file.Write(bytes);
                file.Write(SHA256.HashData(bytes));
                file.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>Reads and verifies a checkpoint.</summary>
    /// <exception cref="InvalidInputException">The file is truncated, altered or not a checkpoint.</exception>
    public static TrainingCheckpoint Load(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw Unusable(path, e.Message);
        }
        int header = Magic.Length + sizeof(long);
        if (file.Length < header || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Unusable(path, "not an AutoSpec checkpoint");
        }
        long length = BitConverter.ToInt64(file, Magic.Length);
        if (length < 0 || file.Length != header + length + SHA256.HashSizeInBytes)
        {
            throw Unusable(path, $"truncated or extended ({file.Length} bytes, {header + length + SHA256.HashSizeInBytes} expected)");
        }
        var payload = file.AsSpan(header, (int)length);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(file.AsSpan(header + (int)length)))
        {
            throw Unusable(path, "checksum mismatch (the file was altered)");
        }
        try
        {
            using var r = new BinaryReader(new MemoryStream(payload.ToArray()));
            var meta = JsonSerializer.Deserialize<TrainingCheckpoint>(r.ReadString(), Json)
                ?? throw Unusable(path, "no metadata");
            return new TrainingCheckpoint
            {
                Epoch = meta.Epoch,
                BatchStart = meta.BatchStart,
                Step = meta.Step,
                Order = meta.Order,
                Last = meta.Last,
                Recorder = meta.Recorder,
                Model = r.ReadBytes(r.ReadInt32()),
                Optimizer = r.ReadBytes(r.ReadInt32()),
                TorchRandom = r.ReadBytes(r.ReadInt32()),
                Introspection = r.ReadBytes(r.ReadInt32()) is { Length: > 0 } state ? state : null,
            };
        }
        catch (Exception e) when (e is JsonException or EndOfStreamException or NotSupportedException)
        {
            throw Unusable(path, e.Message);
        }
    }

    private static InvalidInputException Unusable(string path, string reason) =>
        new($"checkpoint '{path}' is unusable: {reason}; start over with --overwrite.");

    private static byte[] Block(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            write(w);
        }
        return stream.ToArray();
    }
}
