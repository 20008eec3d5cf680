using System.Net;

namespace ApiKeys.Gateway.Admin;

/// <summary>
/// Who may reach <c>/admin</c>: on a listener of its own (<see cref="AdminOptions.Urls"/>), whoever reaches that port, and
/// only there; else loopback clients, unless <see cref="AdminOptions.AllowRemote"/>. Others get a plain 404.
/// </summary>
internal static class AdminAccess
{
    public static bool Allowed(AdminOptions options, IPAddress? remote, int localPort) =>
        Hosting.ListenerAccess.Allowed(options.Ports, options.AllowRemote, remote, localPort);
}
