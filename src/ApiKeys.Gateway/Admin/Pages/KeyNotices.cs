using ApiKeys.Gateway.Admin.Markup;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// The line the keys page shows after an action (post, redirect, get): a fixed code and a key id in the URL, turned into a
/// sentence here. Nothing typed into a form comes back through the URL; a key is named by its mask only.
/// </summary>
internal static class KeyNotices
{
    public static string Url(string code, string? id = null) => "/admin/keys?notice=" + code + (id is null ? "" : "&id=" + Uri.EscapeDataString(id));

    /// <summary>The notice of <paramref name="code"/>, naming the key by <paramref name="keyMask"/> (null: "the key").</summary>
    public static Html Render(string? code, string? keyMask)
    {
        if (string.IsNullOrEmpty(code))
        {
            return Html.Empty;
        }

        string mask = keyMask ?? "the key";
        (string Text, bool Ok) notice = code switch
        {
            "added" => ($"Added {mask}.", true),
            "duplicate" => ($"{mask} is in the pool already.", false),
            "malformed" => ("Not added: that is not a key (empty, or with spaces or control characters).", false),
            "malformed-gemini" => ("Not added: a Google API key is 39 characters starting with AIza.", false),
            "unknown-format" => ("Not added: not a Gemini, OpenAI or Anthropic key. Tick \"Accept an unknown format\" to add it anyway.", false),
            "saved-later" => ($"Added {mask} to the pool, but the store could not be written: it is retried (see the gateway's log).", false),
            "enabled" => ($"Enabled {mask}.", true),
            "disabled" => ($"Disabled {mask}.", true),
            "reset" => ($"Reset {mask}: failures and cooldowns cleared.", true),
            "removed" => ("Removed the key.", true),
            "missing" => ("No such key (removed meanwhile?).", false),
            "redis" => ("Keys of a Redis pool are read from the store when the gateway starts: change them with apikeys, then restart the gateways.", false),
            _ when code.StartsWith("checked-", StringComparison.Ordinal) => ($"Checked {mask} (no quota spent): {code["checked-".Length..]}.", code == "checked-Valid"),
            _ => ("Done.", true),
        };
        return Html.Of($"<p class=\"notice {(notice.Ok ? "ok" : "bad")}\" role=\"status\">{notice.Text}</p>");
    }
}
