using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;
using ApiKeys.Usage;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// <c>/admin/log</c>: this gateway's request log, newest first, 50 rows a page (keyset pages: <c>before</c> the last id
/// shown, as fast deep in a million rows as at the head), filtered by time, token, key, model and status. New requests
/// appear live: an htmx poller asks <c>/admin/log/follow?after=ID</c> every 2 seconds and puts what came at the top.
/// </summary>
internal static class LogPage
{
    private const int PageSize = 50;

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/log", Show);
        admin.MapGet("/log/follow", Follow);
    }

    private static IResult Show(HttpContext http, AdminContext admin, string? from, string? to, string? token, string? key, string? model, string? status, long? before, string? follow)
    {
        var session = AdminSession.Of(http);
        var filter = new LogFilter(from, to, token, key, model, status);
        Html content;
        try
        {
            var page = admin.Usage.GetLog(filter.Query(before, limit: PageSize));
            bool live = before is null && filter.CanFollow && follow != "0";
            var rows = page.Entries.Select(Row).ToList();
            var older = page.NextBefore is { } next ? Html.Of($"<a href=\"/admin/log?before={next}{filter.QueryString()}\" rel=\"next\">Older requests</a>") : Html.Empty;
            var newest = before is not null ? Html.Of($"<a href=\"/admin/log?{filter.QueryString().TrimStart('&')}\">Newest requests</a>") : Html.Empty;
            var following = !filter.CanFollow || before is not null
                ? Html.Empty
                : live
                    ? Html.Of($"<p><span class=\"live\" role=\"status\">Following new requests live.</span> <a href=\"/admin/log?follow=0{filter.QueryString()}\">Pause</a></p>{Poller(page.LastId, filter)}")
                    : Html.Of($"<p>Paused. <a href=\"/admin/log?{filter.QueryString().TrimStart('&')}\">Follow new requests live</a></p>");
            content = Html.Of($"""
                {following}
                <div class="table-wrap"><table><caption>Newest first; this gateway's requests (the log is kept per gateway)</caption>{Header}
                <tbody id="log-rows">{rows}</tbody></table></div>
                <nav class="pager" aria-label="Pages of the log">{newest}{older}</nav>
                """);
        }
        catch (UsageStoreException e)
        {
            content = Html.Of($"<p class=\"muted\">No request log: {e.Message}</p>");
        }

        return Layout.Page(session, "Request log", "/admin/log", Html.Of($"{Filters(filter)}{content}"));
    }

    /// <summary>The requests logged after <paramref name="after"/> (newest first, into the top of the table) and the poller again with the new last id.</summary>
    private static IResult Follow(AdminContext admin, long after, string? from, string? token, string? key, string? model, string? status)
    {
        var filter = new LogFilter(from, null, token, key, model, status);
        RequestLogPage page;
        try
        {
            page = admin.Usage.GetLog(filter.Query(after: after, limit: RequestLogQuery.MaxLimit));
        }
        catch (UsageStoreException)
        {
            return Layout.Fragment(Poller(after, filter));
        }

        long last = page.Entries.Count > 0 ? page.Entries[^1].Id : Math.Max(after, page.LastId);
        var rows = page.Entries.Reverse().Select(Row).ToList();
        var added = rows.Count == 0 ? Html.Empty : Html.Of($"<template><tbody hx-swap-oob=\"afterbegin:#log-rows\">{rows}</tbody></template>");
        return Layout.Fragment(Html.Of($"{Poller(last, filter)}{added}"));
    }

    private static Html Poller(long after, LogFilter filter) =>
        Html.Of($"<div id=\"log-follow\" hx-get=\"/admin/log/follow?after={after}{filter.QueryString()}\" hx-trigger=\"every 2s\" hx-swap=\"outerHTML\"></div>");

    private static Html Header => Html.Of($"""
        <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Token</th><th scope="col">Route</th><th scope="col">Model</th><th scope="col">Key</th>
        <th scope="col" class="num">Status</th><th scope="col">Outcome</th><th scope="col" class="num">Retries</th><th scope="col" class="num">Latency</th><th scope="col" class="num">Tokens in/out</th></tr></thead>
        """);

    private static Html Row(RequestLogEntry e)
    {
        var keyLink = e.KeyId.Length == 0 ? Html.Of($"<span class=\"muted\">-</span>") : Html.Of($"<a class=\"mono\" href=\"/admin/keys/{e.KeyId}\">{e.KeyId}</a>");
        string tokens = e.InputTokens is null && e.OutputTokens is null ? "-" : $"{e.InputTokens ?? 0}/{e.OutputTokens ?? 0}";
        string badge = e.Status is >= 200 and < 300 ? "ok" : e.Status == 429 ? "warn" : "bad";
        return Html.Of($"""
            <tr data-id="{e.Id}"><td>{Format.Time(e.At)}</td><td>{e.Token}</td><td>{e.Route}</td><td>{e.Model}</td><td>{keyLink}</td>
            <td class="num"><span class="badge {badge}">{e.Status}</span></td><td>{e.Outcome}</td><td class="num">{e.Retries}</td><td class="num">{e.LatencyMs} ms</td><td class="num">{tokens}</td></tr>
            """);
    }

    private static Html Filters(LogFilter filter)
    {
        var statuses = LogFilter.Statuses.Select(s => s.Value == (filter.Status ?? "")
            ? Html.Of($"<option value=\"{s.Value}\" selected>{s.Name}</option>")
            : Html.Of($"<option value=\"{s.Value}\">{s.Name}</option>"));
        return Html.Of($"""
            <form method="get" action="/admin/log" class="row" role="search">
            <div><label for="log-from">From (UTC)</label><input type="datetime-local" id="log-from" name="from" value="{filter.From}"></div>
            <div><label for="log-to">To (UTC)</label><input type="datetime-local" id="log-to" name="to" value="{filter.To}"></div>
            <div><label for="log-token">Token name</label><input id="log-token" name="token" value="{filter.Token}"></div>
            <div><label for="log-key">Key id</label><input id="log-key" name="key" value="{filter.Key}" placeholder="k_..."></div>
            <div><label for="log-model">Model</label><input id="log-model" name="model" value="{filter.Model}"></div>
            <div><label for="log-status">Status</label><select id="log-status" name="status">{statuses}</select></div>
            <button type="submit">Filter</button></form>
            """);
    }
}
