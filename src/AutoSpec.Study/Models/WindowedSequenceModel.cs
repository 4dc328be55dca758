using AutoSpec.Layers;
using static TorchSharp.torch;

namespace AutoSpec.Models;

/// <summary>
/// Windowed models of time courses in the MILC family: the series (C × T) is cut into windows of w time points,
/// each window is encoded by a Linear layer (encoder; rows = samples × windows), then a recurrent network (LSTM,
/// BiLSTM, GRU) or Transformer encoder blocks run over the windows; the sequence is averaged and classified (fc).
/// </summary>
internal static class WindowedSequenceModel
{
    /// <summary>Creates the model for samples of shape (components, time points).</summary>
    public static nn.Module<Tensor, Tensor> Create(IReadOnlyList<int> shape, int classes, ModelOptions o)
    {
        if (shape[1] < o.Window)
        {
            throw OptionErrors.OutOfRange(ModelOptions.ParamPrefix + nameof(o.Window), o.Window, $"{o.Window} is longer than the {shape[1]} time points of a sample.");
        }
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("windows", new TimeWindows("windows", o.Window)),
            ("encoder", nn.Linear((long)shape[0] * o.Window, o.Embedding)),
            ("encoder_act", MlpModel.Activation(o.Activation)),
        };
        long width;
        switch (o.Kind)
        {
            case "transformer":
                if (o.Embedding % o.Heads != 0)
                {
                    throw OptionErrors.OutOfRange(ModelOptions.ParamPrefix + nameof(o.Heads), o.Heads, $"{o.Heads} must divide the embedding width {o.Embedding}.");
                }
                for (int i = 0; i < o.Layers; i++)
                {
                    layers.Add(($"block{i + 1}", new TransformerEncoderBlock($"block{i + 1}", o.Embedding, o.Heads,
                        2L * o.Embedding, o.Dropout, normFirst: o.NormFirst)));
                }
                width = o.Embedding;
                break;
            default:
                var kind = o.Kind == "gru" ? RecurrentKind.Gru : RecurrentKind.Lstm;
                bool bidirectional = o.Kind == "bilstm";
                layers.Add(("rnn", new RecurrentNetwork("rnn", kind, o.Embedding, o.RecurrentHidden, o.Layers, bidirectional,
                    dropout: o.Dropout)));
                width = o.RecurrentHidden * (bidirectional ? 2 : 1);
                break;
        }
        layers.Add(("pool", new MeanOverTime("pool")));
        layers.Add(("fc", nn.Linear(width, classes)));
        return nn.Sequential(layers);
    }
}
