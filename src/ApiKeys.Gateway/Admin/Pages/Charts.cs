using ApiKeys.Gateway.Admin.Markup;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// A chart: a box that dashboard.js fills with uPlot, its data in a JSON block beside it (no inline script), and a text
/// summary for screen readers and for browsers without script.
/// </summary>
internal static class Charts
{
    /// <summary>One line chart: <paramref name="times"/> (unix seconds) on x, one line per series.</summary>
    public static Html Line(string id, string title, string summary, IReadOnlyList<long> times, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        var data = HtmlJson.Block(id + "-data", json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("x");
            foreach (long t in times)
            {
                json.WriteNumberValue(t);
            }

            json.WriteEndArray();
            json.WriteStartArray("series");
            foreach (var (name, values) in series)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteStartArray("values");
                foreach (double v in values)
                {
                    json.WriteNumberValue(v);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
        return Html.Of($"""
            <figure class="chart"><figcaption id="{id}-title">{title}</figcaption>
            <div class="chart-box" id="{id}" data-chart="{id}-data" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-summary"></div>
            <p class="muted chart-summary" id="{id}-summary">{summary}</p>{data}</figure>
            """);
    }
}
