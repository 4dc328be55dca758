namespace AutoSpec.Report;

/// <summary>
/// The page's own script (hand-written: it is the glue no library provides): draws every <c>div.plot</c> from its JSON
/// with plotly.js (responsive, SVG download from the camera button and PNG from the retro camera beside it, no plotly logo link),
/// and wires the layer and quantity choosers of the per-layer section.
/// </summary>
internal static class ReportScript
{
    /// <summary>The script text (runs after plotly.js).</summary>
    public const string Text = """
        (function () {
          'use strict';
          var png = {
            name: 'Download plot as PNG', icon: Plotly.Icons['camera-retro'],
            click: function (gd) { Plotly.downloadImage(gd, { format: 'png', scale: 2, filename: gd.getAttribute('data-file') }); }
          };
          document.querySelectorAll('div.plot').forEach(function (div) {
            var figure = JSON.parse(document.getElementById(div.id + '-data').textContent);
            Plotly.newPlot(div, figure.data, figure.layout, {
              responsive: true, displaylogo: false,
              toImageButtonOptions: { format: 'svg', filename: div.getAttribute('data-file') },
              modeBarButtonsToAdd: [png]
            });
          });
          var layer = document.getElementById('layer-choice');
          var quantity = document.getElementById('quantity-choice');
          if (!layer || !quantity) { return; }
          var none = document.getElementById('panel-none');
          function show() {
            var shown = 0;
            document.querySelectorAll('section.panel').forEach(function (panel) {
              var on = panel.getAttribute('data-layer') === layer.value && panel.getAttribute('data-quantity') === quantity.value;
              panel.hidden = !on;
              if (on) {
                shown++;
                panel.querySelectorAll('div.js-plotly-plot').forEach(function (plot) { Plotly.Plots.resize(plot); });
              }
            });
            none.hidden = shown > 0;
          }
          layer.addEventListener('change', show);
          quantity.addEventListener('change', show);
          show();
        })();
        """;
}
