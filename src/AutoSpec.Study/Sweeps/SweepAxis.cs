using System.Text.Json.Nodes;

namespace AutoSpec.Sweeps;

/// <summary>
/// One axis of a sweep: a configuration path in the snake_case form of <c>manifest.json</c> (e.g.
/// <c>training.seed</c>, <c>model.kind</c>) and the values it takes, in the order given.
/// </summary>
/// <param name="Path">Dot-separated configuration path.</param>
/// <param name="Values">The JSON values of the axis (at least one).</param>
internal sealed record SweepAxis(string Path, IReadOnlyList<JsonNode?> Values);
