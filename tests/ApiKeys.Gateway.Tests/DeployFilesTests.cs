using System.Text.Json;
using System.Text.RegularExpressions;

namespace ApiKeys.Gateway.Tests;

/// <summary>deploy/grafana/apikeys.json and deploy/prometheus/alerts.yml are well formed; the metric names they use are checked against a real /metrics in <see cref="UsageTests"/>.</summary>
public sealed partial class DeployFilesTests
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ApiKeyManager.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("ApiKeyManager.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Dashboard => File.ReadAllText(Path.Combine(Root, "deploy", "grafana", "apikeys.json"));

    public static string Alerts => File.ReadAllText(Path.Combine(Root, "deploy", "prometheus", "alerts.yml"));

    /// <summary>Every metric name the two files use (without a histogram's _bucket suffix, which /metrics has as it is).</summary>
    public static IReadOnlySet<string> MetricNames =>
        MetricName().Matches(Dashboard + "\n" + Alerts).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Dashboard_ParsesWithAPrometheusQueryInEveryPanel()
    {
        using var doc = JsonDocument.Parse(Dashboard);
        var panels = doc.RootElement.GetProperty("panels").EnumerateArray().ToList();

        Assert.Equal("apikeys-gateway", doc.RootElement.GetProperty("uid").GetString());
        Assert.True(panels.Count >= 10);
        Assert.All(panels, p => Assert.All(p.GetProperty("targets").EnumerateArray(), t => Assert.Contains("apikeys_", t.GetProperty("expr").GetString(), StringComparison.Ordinal)));
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
    }

    [Fact]
    public void Alerts_EveryRuleHasAnAlertAnExpressionADurationASeverityAndASummary()
    {
        var rules = ParseRules(Alerts);

        Assert.Equal(["ApiKeysFewUsableKeys", "ApiKeysPoolExhausted", "ApiKeysKeyDisabled", "ApiKeysHighErrorRate"], rules.Select(r => r["alert"]));
        Assert.All(rules, r =>
        {
            Assert.Contains("apikeys_", r["expr"], StringComparison.Ordinal);
            Assert.Matches("^[0-9]+[smh]$", r["for"]);
            Assert.Contains(r["severity"], new[] { "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(r["summary"]));
        });
    }

    /// <summary>
    /// Reads the rules of a Prometheus rules file: <c>groups:</c>, then <c>- name:</c> and <c>rules:</c>, then one
    /// <c>- alert:</c> item per rule with its fields (a block scalar <c>|</c> read to its last indented line). Tabs and any
    /// other shape fail: the file must stay this plain.
    /// </summary>
    internal static List<Dictionary<string, string>> ParseRules(string yaml)
    {
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        Assert.DoesNotContain(lines, l => l.Contains('\t', StringComparison.Ordinal));
        Assert.Equal("groups:", lines[0]);
        Assert.Matches(@"^  - name: \S+$", lines[1]);
        Assert.Equal("    rules:", lines[2]);
        var rules = new List<Dictionary<string, string>>();
        for (int i = 3; i < lines.Count; i++)
        {
            string line = lines[i];
            if (line.StartsWith("      - alert: ", StringComparison.Ordinal))
            {
                rules.Add(new Dictionary<string, string>(StringComparer.Ordinal) { ["alert"] = line["      - alert: ".Length..].Trim() });
                continue;
            }

            var m = Field().Match(line);
            Assert.True(m.Success && rules.Count > 0, "unexpected line in alerts.yml: " + line);
            string name = m.Groups["name"].Value, value = m.Groups["value"].Value.Trim();
            if (value == "|")
            {
                var block = new List<string>();
                while (i + 1 < lines.Count && lines[i + 1].StartsWith(new string(' ', m.Groups["indent"].Length + 2), StringComparison.Ordinal))
                {
                    block.Add(lines[++i].Trim());
                }

                value = string.Join(' ', block);
            }

            rules[^1][name] = value.Trim('"');
        }

        return rules;
    }

    [GeneratedRegex(@"^(?<indent> {8,})(?<name>[a-z_]+):(?<value>.*)$")]
    private static partial Regex Field();

    [GeneratedRegex(@"apikeys_[a-z_]+")]
    private static partial Regex MetricName();
}
