using System.Text;

namespace AutoSpec.Benchmarks.Report;

/// <summary>A Markdown table built row by row (what the benchmark prints and docs/PERFORMANCE.md shows).</summary>
internal sealed class MarkdownTable(params string[] header)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", header).AppendLine(" |");
        sb.Append('|').AppendJoin('|', header.Select(_ => "---")).AppendLine("|");
        foreach (var r in _rows)
        {
            sb.Append("| ").AppendJoin(" | ", r).AppendLine(" |");
        }
        return sb.ToString();
    }
}
