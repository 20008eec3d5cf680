namespace ApiKeys.Gateway.Admin.Auth;

/// <summary>
/// Where the dashboard's password hash lives: a 0600 file in the store directory (<see cref="AdminPasswordFile"/>) or Redis
/// when the gateway runs on Redis (<see cref="RedisAdminPassword"/>). A change made by <c>apikeys admin set-password</c>
/// counts at the gateway's next request.
/// </summary>
public interface IAdminPasswordStore
{
    /// <summary>Where it is, for messages (no secret).</summary>
    string Location { get; }

    /// <summary>The password's hash; null when none is set.</summary>
    /// <exception cref="InvalidDataException">What is stored cannot be read.</exception>
    ValueTask<AdminPassword?> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the password's hash.</summary>
    ValueTask WriteAsync(AdminPassword password, CancellationToken cancellationToken = default);
}
