using ApiKeys.Gateway.Storage;

namespace ApiKeys.Gateway.Tokens;

/// <summary>
/// Client tokens in the store directory: <c>gateway_tokens.json</c> (names, limits and HMACs; 0600) and
/// <c>gateway_tokens.key</c> (the HMAC secret; 0600), written with the store's rules (temp file, fsync, rename) under
/// <c>.gateway_tokens.lock</c>. Every writer then adds one to <c>gateway_tokens.gen</c>, a counter mapped in memory by every
/// process (<see cref="ChangeCounter"/>): a lookup that sees it moved looks at the file's size and time, so a token created or
/// revoked by another process counts at the next request, without a stat a request. A file that cannot be read lets no
/// token in, and is never overwritten.
/// </summary>
public sealed class JsonClientTokenStore : IClientTokenStore, IDisposable
{
    /// <summary>The tokens file's name.</summary>
    public const string TokensFileName = "gateway_tokens.json";

    /// <summary>The HMAC secret's file name.</summary>
    public const string SecretFileName = "gateway_tokens.key";

    /// <summary>The lock file's name.</summary>
    public const string LockFileName = ".gateway_tokens.lock";

    /// <summary>The change counter's file name: every writer adds one after it replaced the tokens file (<see cref="ChangeCounter"/>).</summary>
    public const string ChangesFileName = "gateway_tokens.gen";

    /// <summary>
    /// How long a lookup trusts the change counter alone before it looks at the tokens file's stamp anyway: a change by a
    /// writer that does not count (an older version, a hand edit) is seen within this.
    /// </summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    private ChangeCounter? _changes;
    private Loaded _loaded = new(default, TokenMatcher.Empty, null, null);

    /// <summary>Opens the tokens of the store in <paramref name="directory"/> (nothing is read or created yet).</summary>
    public JsonClientTokenStore(string directory, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        TokensPath = Path.Combine(Directory, TokensFileName);
        SecretPath = Path.Combine(Directory, SecretFileName);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The store directory.</summary>
    public string Directory { get; }

    /// <summary>The tokens file.</summary>
    public string TokensPath { get; }

    /// <summary>The HMAC secret's file.</summary>
    public string SecretPath { get; }

    /// <inheritdoc />
    public ValueTask<ClientToken?> FindAsync(string presented, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(presented);
        return ValueTask.FromResult(Current(trustCounter: true).Matcher.Find(presented));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ClientToken>> ListAsync(CancellationToken cancellationToken = default)
    {
        var loaded = Current(trustCounter: false);
        if (loaded.Error is { } error)
        {
            throw new InvalidDataException(error);
        }

        return ValueTask.FromResult<IReadOnlyList<ClientToken>>([.. loaded.Matcher.Tokens.OrderBy(t => t.Name, StringComparer.Ordinal)]);
    }

    /// <inheritdoc />
    public async ValueTask<CreatedClientToken> CreateAsync(ClientTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        request.Validate(now);
        PrivateFile.EnsureDirectory(Directory);
        await using var held = await PrivateFile.LockAsync(Path.Combine(Directory, LockFileName), _time, cancellationToken).ConfigureAwait(false);
        var tokens = ReadTokens();
        if (tokens.Exists(t => t.Name == request.Name))
        {
            throw new ArgumentException($"a token named '{request.Name}' exists; revoke it first or choose another name.");
        }

        using var hasher = new TokenHasher(ReadOrCreateSecret());
        string token = ClientTokenFormat.Generate();
        var details = request.ToToken(hasher.HashHex(token), now);
        tokens.Add(details);
        PrivateFile.WriteAtomic(TokensPath, TokensFile.Write(tokens));
        OpenChanges()?.Add();
        return new CreatedClientToken(token, details);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!File.Exists(TokensPath))
        {
            return false;
        }

        await using var held = await PrivateFile.LockAsync(Path.Combine(Directory, LockFileName), _time, cancellationToken).ConfigureAwait(false);
        var tokens = ReadTokens();
        if (tokens.RemoveAll(t => t.Name == name) == 0)
        {
            return false;
        }

        PrivateFile.WriteAtomic(TokensPath, TokensFile.Write(tokens));
        OpenChanges()?.Add();
        return true;
    }

    /// <inheritdoc />
    public ValueTask CheckAsync(CancellationToken cancellationToken = default)
    {
        if (Current(trustCounter: false).Error is { } error)
        {
            throw new InvalidDataException(error);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Forgets what was read and closes the change counter (the files stay).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _loaded.Hasher?.Dispose();
            _loaded = new(default, TokenMatcher.Empty, null, null);
            var changes = _changes;
            _changes = null;
            changes?.Dispose();
        }
    }

    /// <summary>
    /// What the files hold now: read again when the tokens file changed since the last look. A lookup reads the change
    /// counter (a memory read); only when it moved, or <see cref="RecheckInterval"/> after the last look, is the file's
    /// stamp looked at (a stat; at every lookup when the counter cannot be opened). A listing and the readiness check
    /// (<paramref name="trustCounter"/> false) look at the stamp every time: they say what the file holds now. The secret
    /// is read with the tokens: the secret is written only by a create, which then writes the tokens file.
    /// </summary>
    private Loaded Current(bool trustCounter)
    {
        var loaded = Volatile.Read(ref _loaded);
        var changes = Volatile.Read(ref _changes);
        long now = _time.GetTimestamp();
        if (trustCounter && changes is not null && loaded.Changes == changes.Read() && _time.GetElapsedTime(loaded.CheckedAt, now) < RecheckInterval)
        {
            return loaded;
        }

        // The counter before the stamp: a change made between the two is seen by the next lookup (its count moved again).
        long count = changes?.Read() ?? 0;
        var stamp = FileStamp.Of(TokensPath);
        if (loaded.Tokens == stamp && changes is null)
        {
            return loaded;
        }

        // A moved counter reloads even when the stamp looks the same (a revoke and a create within the file time's tick, the
        // same length). The previous hasher is not disposed here: a request may still be matching with it (it is only garbage).
        bool same = loaded.Tokens == stamp && (changes is null || count == loaded.Changes);
        var fresh = (same ? loaded : Load(stamp)) with { Changes = count, CheckedAt = now };
        lock (_gate)
        {
            _loaded = fresh;
        }

        if (changes is null && stamp.Exists)
        {
            OpenChanges();
        }

        return fresh;
    }

    /// <summary>The change counter, opened when first needed (null when it cannot be: lookups then look at the stamp each time).</summary>
    private ChangeCounter? OpenChanges()
    {
        lock (_gate)
        {
            return _changes ??= ChangeCounter.TryOpen(Path.Combine(Directory, ChangesFileName));
        }
    }

    private Loaded Load(FileStamp stamp)
    {
        if (!stamp.Exists)
        {
            return new(stamp, TokenMatcher.Empty, null, null);
        }

        try
        {
            var tokens = TokensFile.Read(File.ReadAllBytes(TokensPath), TokensPath);
            if (tokens.Count == 0)
            {
                return new(stamp, TokenMatcher.Empty, null, null);
            }

            if (!File.Exists(SecretPath))
            {
                return Failed(stamp, $"{SecretPath} is missing, so no token of {TokensPath} can be checked; create the tokens again (apikeys token create).");
            }

            var hasher = new TokenHasher(ReadSecret());
            return new(stamp, new TokenMatcher(hasher, tokens), hasher, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            // Fail closed: a tokens file that cannot be read lets nobody in (a revoked token must never come back).
            return Failed(stamp, e.Message);
        }
    }

    private static Loaded Failed(FileStamp stamp, string error) => new(stamp, TokenMatcher.Empty, null, error);

    private List<ClientToken> ReadTokens() =>
        File.Exists(TokensPath) ? TokensFile.Read(File.ReadAllBytes(TokensPath), TokensPath) : [];

    private byte[] ReadSecret()
    {
        var bytes = Convert.FromBase64String(File.ReadAllText(SecretPath).Trim());
        if (bytes.Length < 16)
        {
            throw new InvalidDataException($"{SecretPath} holds {bytes.Length} bytes; a token secret has {TokenHasher.SecretBytes}.");
        }

        return bytes;
    }

    private byte[] ReadOrCreateSecret()
    {
        if (File.Exists(SecretPath))
        {
            return ReadSecret();
        }

        var secret = TokenHasher.NewSecret();
        PrivateFile.WriteAtomic(SecretPath, System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(secret) + "\n"));
        return secret;
    }

    private sealed record Loaded(FileStamp Tokens, TokenMatcher Matcher, TokenHasher? Hasher, string? Error)
    {
        /// <summary>The change counter when the stamp was looked at.</summary>
        public long Changes { get; init; }

        /// <summary>When the stamp was looked at (<see cref="TimeProvider.GetTimestamp"/>).</summary>
        public long CheckedAt { get; init; }
    }
}
