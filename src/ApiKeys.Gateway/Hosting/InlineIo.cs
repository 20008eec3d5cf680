using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace ApiKeys.Gateway.Hosting;

/// <summary>
/// <see cref="GatewayOptions.InlineIo"/>: the runtime's socket threads run what a socket event completes (the runtime's
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>, one event thread per CPU), and Kestrel runs the request where its
/// bytes arrived (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>). Safe for the gateway on the local
/// store, whose request path never blocks a thread; never with Redis, whose pool waits on a socket synchronously.
/// </summary>
internal static class InlineIo
{
    /// <summary>The runtime's switch, read once, when the process's first socket is made.</summary>
    public const string SocketsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether the settings ask for inline I/O and allow it (no Redis).</summary>
    public static bool Wanted(GatewayOptions settings) => settings.InlineIo && string.IsNullOrWhiteSpace(settings.Redis);

    /// <summary>Kestrel's half: the request runs on the thread that read it.</summary>
    public static void Configure(IServiceCollection services, bool inline) =>
        services.Configure<SocketTransportOptions>(o => o.UnsafePreferInlineScheduling = inline);

    /// <summary>
    /// The sockets' half, for this process: call before its first socket (the gateway's entry point does, before the store
    /// and Kestrel open). What the environment already says is kept. Returns whether socket completions run inline.
    /// </summary>
    public static bool EnableSockets()
    {
        if (Environment.GetEnvironmentVariable(SocketsVariable) is null)
        {
            Environment.SetEnvironmentVariable(SocketsVariable, "1");
        }

        return Environment.GetEnvironmentVariable(SocketsVariable) == "1";
    }

    /// <summary>For the start-up line.</summary>
    public static string Describe(bool kestrelInline, bool socketsInline) => (kestrelInline, socketsInline) switch
    {
        (true, true) => "I/O inline on the socket threads",
        (true, false) => "requests inline, socket completions on the thread pool",
        _ => "I/O on the thread pool",
    };
}
