using System.Globalization;
using ApiKeys.Pool;

namespace ApiKeys.Cli.Output;

/// <summary>The seed's lines: the list (<c>1. AIza...YNQs (Active)</c>) and the status block (<c>Key AIza...YNQs:</c>).</summary>
internal static class KeyText
{
    /// <summary>Writes the seed's list: <c>Stored API Keys:</c>, then one line a key.</summary>
    public static void WriteList(CliContext context, IReadOnlyList<KeyStatus> statuses)
    {
        if (statuses.Count == 0)
        {
            context.Out.WriteLine("No API keys stored.");
            return;
        }

        context.Out.WriteLine("Stored API Keys:");
        foreach (var status in statuses)
        {
            context.Out.WriteLine(ListLine(context, status));
        }
    }

    /// <summary><c>1. AIza...YNQs (Active)</c>; <c>(Blocked)</c> with the time left; <c>(Disabled)</c> with the reason.</summary>
    public static string ListLine(CliContext context, KeyStatus status)
    {
        string label = status.Label is { Length: > 0 } l ? $" [{l}]" : "";
        string head = string.Create(CultureInfo.InvariantCulture, $"{status.Number}. {status.Mask}");
        return status.Availability switch
        {
            KeyAvailability.Cooling => $"{head} {context.Paint("(Blocked)", Paint.Yellow)} until {When(status.AvailableAt!.Value, context.Time)}{label}",
            KeyAvailability.Disabled or KeyAvailability.DisabledByHand => $"{head} {context.Paint("(Disabled)", Paint.Red)} {status.Reason}{label}",
            _ => $"{head} {context.Paint("(Active)", Paint.Green)}{label}",
        };
    }

    /// <summary>The seed's status block; a key never blocked says "Not blocked" instead of the seed's 1970 date.</summary>
    public static void WriteStatus(CliContext context, KeyStatus status, bool why)
    {
        var state = status.State;
        var output = context.Out;
        output.WriteLine($"Key {status.Mask}:");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Failures: {state.Failures}"));
        output.WriteLine($"  Blocked until: {(state.BlockedUntil is { } until ? When(until, context.Time) : "Not blocked")}");
        output.WriteLine($"  Last failed: {(state.LastFailed is { } failed ? Ago(failed, context.Time) : "Never")}");
        if (status.Availability is KeyAvailability.Disabled or KeyAvailability.DisabledByHand)
        {
            output.WriteLine($"  Disabled: {status.Reason}");
        }

        if (!why)
        {
            return;
        }

        if (status.Label is { Length: > 0 } label)
        {
            output.WriteLine($"  Label: {label}");
        }

        output.WriteLine($"  Id: {status.Id}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Number: {status.Number}"));
        output.WriteLine($"  Why: {Why(status)}");
        output.WriteLine($"  Back: {Back(context, status)}");
        foreach (var (model, block) in status.BlockedModels.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            string back = block.Until is { } u ? $"until {When(u, context.Time)}" : "until revalidated (apikeys enable, or apikeys reset)";
            output.WriteLine($"  Model {model}: {block.Kind} {back}");
        }

        if (state.LastError is { } error)
        {
            output.WriteLine($"  Last error: {error.Kind}: {error.Message} ({Ago(error.At, context.Time)})");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Totals: {state.TotalSuccesses} succeeded, {state.TotalFailures} failed"));
    }

    /// <summary>Why the key is not being used, in a sentence.</summary>
    public static string Why(KeyStatus status) => status.Availability switch
    {
        KeyAvailability.Available => "in use: the pool hands this key out",
        _ => status.Reason ?? status.Availability.ToString(),
    };

    /// <summary>When the key comes back.</summary>
    public static string Back(CliContext context, KeyStatus status) => status.Availability switch
    {
        KeyAvailability.Available => "now",
        KeyAvailability.DisabledByHand => string.Create(CultureInfo.InvariantCulture, $"not by itself: apikeys enable {status.Number}"),
        KeyAvailability.Disabled => string.Create(CultureInfo.InvariantCulture, $"not by itself: apikeys enable {status.Number} (or apikeys reset {status.Number})"),
        _ when status.AvailableAt is { } at => When(at, context.Time),
        _ => "when the current leases end",
    };

    /// <summary>A time in local time, the seed's way (<c>Thu Jan  1 00:00:00 1970</c>, Python's <c>time.ctime</c>), with the time left.</summary>
    public static string When(DateTimeOffset at, TimeProvider time)
    {
        var now = time.GetUtcNow();
        string left = at > now ? $"{Span(at - now)} left" : "over";
        return $"{CTime(at, time)} ({left})";
    }

    /// <summary>A past time in local time with how long ago it was.</summary>
    public static string Ago(DateTimeOffset at, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return at <= now ? $"{CTime(at, time)} ({Span(now - at)} ago)" : CTime(at, time);
    }

    /// <summary>The library's short durations (<c>42 s</c>, <c>5 min</c>, <c>3 h 20 min</c>), and days past two days.</summary>
    public static string Span(TimeSpan span) =>
        span.TotalDays >= 2 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} days") : ApiKeyManager.FormatSpan(span);

    /// <summary>Python's <c>time.ctime</c> in the local time zone: <c>Thu Jan  1 00:00:00 1970</c>.</summary>
    public static string CTime(DateTimeOffset at, TimeProvider time)
    {
        var local = TimeZoneInfo.ConvertTime(at, time.LocalTimeZone);
        return string.Create(CultureInfo.InvariantCulture, $"{local:ddd MMM} {local.Day,2} {local:HH:mm:ss yyyy}");
    }

    /// <summary>The seed's short form of a mask: <c>AIza...dD4X</c> becomes <c>...dD4X</c>.</summary>
    public static string TailOfMask(string mask)
    {
        int dots = mask.LastIndexOf("...", StringComparison.Ordinal);
        return dots < 0 ? mask : mask[dots..];
    }
}
