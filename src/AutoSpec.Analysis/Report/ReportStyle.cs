namespace AutoSpec.Report;

/// <summary>
/// The page's style sheet: one fluid column (no fixed widths: figures take the width they get, two side by side from
/// about 1 100 px), tables inside horizontally scrolling boxes, long words wrapped, the layer chooser kept in view.
/// </summary>
internal static class ReportStyle
{
    /// <summary>The CSS text.</summary>
    public const string Css = """
        *,*::before,*::after{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
        body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#222;line-height:1.45;overflow-wrap:anywhere}
        .page{max-width:1400px;margin:0 auto;padding:0 16px 48px}
        h1{font-size:1.6em;margin:.8em 0 .4em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}h3{margin-top:1.4em}
        dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 14px;margin:0 0 1em}
        dl.facts dt{font-weight:600}dl.facts dd{margin:0}
        @media (max-width:640px){dl.facts{grid-template-columns:minmax(0,1fr)}dl.facts dd{margin:0 0 6px}}
        nav.toc ol{margin:0;padding-left:1.4em;columns:2 16em}nav.toc li.sub{margin-left:1.2em;list-style:circle}
        .scroll{overflow-x:auto;max-width:100%;margin:.6em 0}
        table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:normal}
        thead th{background:#f3f3f3}td.long{min-width:18em}table.map td{text-align:center;min-width:3.2em;white-space:nowrap}table.map td.none{background:#e4e4e4;color:#555}
        .legend,figcaption,.muted{color:#555;font-size:.9em}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,540px),1fr));gap:4px 24px}
        .figure{margin:.8em 0;min-width:0}.plot{width:100%}
        .swatch{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;margin:0 .3em 0 .6em;border-radius:2px}
        .chooser{position:sticky;top:0;z-index:10;background:#fff;display:flex;flex-wrap:wrap;gap:8px 20px;padding:8px 0;border-bottom:1px solid #ddd}
        .chooser select{font:inherit;margin-left:.4em;max-width:70vw}
        """;
}
