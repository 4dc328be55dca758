namespace AutoSpec.Data;

/// <summary>
/// Label text, group, subject id and a description for messages, per sample, in sample order: what every loader
/// collects before <see cref="DatasetAssembler"/> builds the <see cref="Dataset"/>.
/// </summary>
/// <param name="LabelSource">The file holding the labels, for messages.</param>
/// <param name="LabelColumn">The label column's name, for messages.</param>
internal sealed record SampleAnnotations(string LabelSource, string LabelColumn)
{
    public List<string> Labels { get; } = [];

    public List<string> Groups { get; } = [];

    public List<string> Subjects { get; } = [];

    /// <summary>"subject 'x'" or "subject 'x' session 'y'".</summary>
    public List<string> Descriptions { get; } = [];

    public int Count => Labels.Count;

    public void Add(string label, string group, string subject, string description)
    {
        Labels.Add(label);
        Groups.Add(group);
        Subjects.Add(subject);
        Descriptions.Add(description);
    }
}
