using System.CommandLine;
using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Redis;
using StackExchange.Redis;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys admin set-password [--stdin] [--redis C --pool P]</c>: the dashboard's password, asked twice at a hidden prompt
/// (or the first line of standard input), never an argument. The store keeps a slow hash of it (PBKDF2-HMAC-SHA256, 600,000
/// iterations) in a 0600 file, or in Redis for a Redis-backed gateway; a running gateway ends every session signed in before.
/// </summary>
internal static class AdminCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("admin", "The gateway's dashboard (/admin): set-password.");
        command.Subcommands.Add(SetPasswordCommand(context));
        return command;
    }

    private static Command SetPasswordCommand(CliContext context)
    {
        var stdin = new Option<bool>("--stdin") { Description = "Read the password from the first line of standard input (for scripts)." };
        var redis = new Option<string?>("--redis") { Description = "The password of a Redis-backed gateway (a StackExchange.Redis connection string).", HelpName = "CONNECTION" };
        var pool = new Option<string>("--pool") { Description = "The Redis pool's name (with --redis).", HelpName = "NAME", DefaultValueFactory = _ => "default" };
        var command = new Command("set-password", "Set the dashboard's password (asked twice, hidden; or --stdin). Signs out every session.") { stdin, redis, pool };
        command.SetAction(parse =>
        {
            string password = Read(context, parse.GetValue(stdin));
            context.Hide(password);
            AdminPassword hash;
            try
            {
                hash = AdminPassword.Create(password, context.Time.GetUtcNow());
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message.TrimEnd('.') + "; nothing was changed", e);
            }

            string where = Write(context, hash, parse.GetValue(redis), parse.GetValue(pool)!);
            context.Out.WriteLine($"Set the dashboard's password ({where}); sessions signed in before are ended. Sign in at /admin on the gateway.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Read(CliContext context, bool stdin)
    {
        if (stdin)
        {
            return context.Console.ReadLine()?.TrimEnd('\r', '\n') is { Length: > 0 } line
                ? line
                : throw new CliException("No password on standard input: nothing was changed.");
        }

        if (!context.Console.IsInputTerminal)
        {
            throw CliException.Usage("No terminal to ask on: pipe the password with --stdin (never as an argument: every user can read a process's arguments).");
        }

        string? first = context.Console.ReadSecret("New dashboard password (input hidden): ", context.Error);
        if (string.IsNullOrEmpty(first))
        {
            throw new CliException("No password entered: nothing was changed.");
        }

        string? second = context.Console.ReadSecret("Repeat it: ", context.Error);
        return string.Equals(first, second, StringComparison.Ordinal) ? first : throw new CliException("The two passwords differ: nothing was changed.");
    }

    private static string Write(CliContext context, AdminPassword hash, string? redis, string pool)
    {
        if (redis is null)
        {
            context.Stores.EnsurePrivate();
            var file = new AdminPasswordFile(context.StoreDirectory);
            file.WriteAsync(hash).AsTask().GetAwaiter().GetResult();
            return file.Path;
        }

        try
        {
            using var connection = RedisKeyPool.ConnectMultiplexer(redis);
            var store = new RedisAdminPassword(connection, pool);
            store.WriteAsync(hash).AsTask().GetAwaiter().GetResult();
            return "Redis " + store.Location;
        }
        catch (RedisException e)
        {
            throw new CliException($"Redis: {e.Message.TrimEnd('.')}; fix: check that Redis runs there and the --redis connection string", e);
        }
    }
}
