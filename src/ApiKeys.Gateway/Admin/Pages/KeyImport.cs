using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;
using ApiKeys.Pool;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// <c>POST /admin/keys/import</c>: the key variables of an uploaded .env file (read as <c>apikeys import --dotenv</c> reads
/// it: <see cref="DotenvKeys"/>), each added to the pool; the answer lists each by its place and mask, never its value.
/// </summary>
internal static class KeyImport
{
    public static void Map(RouteGroupBuilder admin) => admin.MapPost("/keys/import", ImportAsync);

    private static async Task<IResult> ImportAsync(HttpContext http, AdminContext admin)
    {
        var session = AdminSession.Of(http);
        if (admin.Pool is not ApiKeyManager manager)
        {
            return TypedResults.Redirect(KeyNotices.Url("redis"));
        }

        var form = await Forms.ReadAsync(http).ConfigureAwait(false);
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            return Layout.Page(session, "Import keys", "/admin/keys", Html.Of($"<p class=\"notice bad\" role=\"alert\">No file, or an empty one: choose a .env file.</p><p><a href=\"/admin/keys\">Back to the keys</a></p>"),
                StatusCodes.Status400BadRequest);
        }

        var lines = new List<string>();
        using (var reader = new StreamReader(file.OpenReadStream()))
        {
            while (await reader.ReadLineAsync(http.RequestAborted).ConfigureAwait(false) is { } line)
            {
                lines.Add(line);
            }
        }

        var rows = new List<Html>();
        int added = 0;
        foreach (var (source, secret) in DotenvKeys.Read(lines, Path.GetFileName(file.FileName), Forms.Field(form, "prefix")))
        {
            var result = manager.AddKey(secret);
            added += result.Added ? 1 : 0;
            string what = result.Status switch
            {
                AddKeyStatus.Added => "added",
                AddKeyStatus.Duplicate => "in the pool already",
                AddKeyStatus.MalformedGemini => "refused: not a Google API key (39 characters starting with AIza)",
                AddKeyStatus.UnknownFormat => "refused: unknown format (add it alone with \"Accept an unknown format\")",
                _ => "refused: not a key",
            };
            rows.Add(Html.Of($"<tr><td class=\"mono\">{source}</td><td class=\"mono\">{result.Mask ?? "-"}</td><td>{what}</td></tr>"));
        }

        string summary = $"{added} added of {rows.Count}";
        AdminLog.Change(admin.Logger, "imported keys from a .env file:", summary);
        var table = rows.Count == 0
            ? Html.Of($"<p class=\"notice bad\" role=\"status\">No key variable found (names containing KEY, or starting with the prefix given).</p>")
            : Html.Of($"<p class=\"notice ok\" role=\"status\">{added} of {rows.Count} keys added.</p><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Key</th><th scope=\"col\">Result</th></tr></thead><tbody>{rows}</tbody></table></div>");
        return Layout.Page(session, "Import keys", "/admin/keys", Html.Of($"{table}<p><a href=\"/admin/keys\">Back to the keys</a></p>"));
    }
}
