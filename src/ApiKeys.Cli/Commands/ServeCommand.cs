using System.CommandLine;
using ApiKeys.Gateway;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys serve</c>: the gateway on this store (127.0.0.1:8080 by default). Its own options, and any other
/// <c>--Section:Key value</c> setting, go to the gateway as they are (see docs/gateway.md).
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:8080); e.g. http://0.0.0.0:8080 to listen on every interface.", HelpName = "URLS" };
        var port = new Option<int?>("--port") { Description = "Listen on 127.0.0.1 at this port.", HelpName = "PORT" };
        var upstream = new Option<string?>("--upstream") { Description = "Where requests go (default https://generativelanguage.googleapis.com/).", HelpName = "URL" };
        var redis = new Option<string?>("--redis") { Description = "Share keys' state, client tokens and limits through Redis (a StackExchange.Redis connection string).", HelpName = "CONNECTION" };
        var pool = new Option<string?>("--pool") { Description = "The Redis pool's name (with --redis; default: default).", HelpName = "NAME" };
        var command = new Command("serve", "Run the gateway: one endpoint for Gemini and OpenAI SDKs that rotates this store's keys (docs/gateway.md).")
        {
            urls, port, upstream, redis, pool,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            // The same rule as every command: a store other users can read is refused unless --allow-shared.
            context.Stores.EnsurePrivate();
            var args = new List<string> { "--dir", context.StoreDirectory };
            Add(args, "--urls", parse.GetValue(urls));
            Add(args, "--port", parse.GetValue(port)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add(args, "--upstream", parse.GetValue(upstream));
            Add(args, "--redis", parse.GetValue(redis));
            Add(args, "--pool", parse.GetValue(pool));
            if (context.PassphraseFile is { } file)
            {
                Add(args, "--passphrase-file", file);
            }

            args.AddRange(parse.UnmatchedTokens);
            return GatewayApp.RunAsync([.. args], context.Error).GetAwaiter().GetResult();
        });
        return command;
    }

    private static void Add(List<string> args, string name, string? value)
    {
        if (value is not null)
        {
            args.Add(name);
            args.Add(value);
        }
    }
}
