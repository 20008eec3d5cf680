using System.ComponentModel.DataAnnotations;

namespace ApiKeys.Gateway.Admin;

/// <summary>The <c>Admin</c> section: the dashboard under <c>/admin</c>, who may reach it, its sessions and sign-in limits.</summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Admin";

    /// <summary>Whether <c>/admin</c> is served at all.</summary>
    /// <value>The default is true (it still needs a password: <c>apikeys admin set-password</c>).</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Addresses of a listener of its own for the dashboard (e.g. <c>https://0.0.0.0:9443</c>): <c>/admin</c> answers there
    /// only, to whoever reaches it. Null: on the gateway's own addresses, to loopback clients only.
    /// </summary>
    /// <value>The default is null.</value>
    public string? Urls { get; set; }

    /// <summary>Whether clients other than loopback may reach <c>/admin</c> on the gateway's own addresses (when <see cref="Urls"/> is null).</summary>
    /// <value>The default is false.</value>
    public bool AllowRemote { get; set; }

    /// <summary>A session ends after this long without a request.</summary>
    /// <value>The default is one hour.</value>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A session ends this long after sign-in, however busy.</summary>
    /// <value>The default is 8 hours.</value>
    public TimeSpan SessionMaxAge { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    /// <value>The default is 5.</value>
    [Range(1, 10_000)]
    public int SignInAttemptsPerMinute { get; set; } = 5;

    /// <summary>Sign-in attempts allowed per minute from every address together (a spread-out guessing attack).</summary>
    /// <value>The default is 30.</value>
    [Range(1, 100_000)]
    public int SignInAttemptsPerMinuteGlobal { get; set; } = 30;

    /// <summary>The ports of <see cref="Urls"/>.</summary>
    internal IReadOnlyList<int> Ports => Hosting.ListenerAccess.PortsOf(Urls);

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A value is out of range; the message says which.</exception>
    public void Validate()
    {
        var failures = new List<string>();
        var attributes = new AdminOptionsAttributeValidator().Validate(null, this);
        if (attributes.Failed)
        {
            failures.AddRange(attributes.Failures);
        }

        if (SessionIdleTimeout < TimeSpan.FromMinutes(1) || SessionIdleTimeout > TimeSpan.FromDays(7))
        {
            failures.Add($"Admin:SessionIdleTimeout must be between 00:01:00 and 7.00:00:00; it is {SessionIdleTimeout}.");
        }

        if (SessionMaxAge < SessionIdleTimeout || SessionMaxAge > TimeSpan.FromDays(30))
        {
            failures.Add($"Admin:SessionMaxAge must be between Admin:SessionIdleTimeout and 30.00:00:00; it is {SessionMaxAge}.");
        }

        if (failures.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(SectionName, typeof(AdminOptions), failures);
        }
    }
}
