using System.Net;

namespace ApiKeys.Http.Usage;

/// <summary>
/// A successful response's content, passed through as it is read, with a <see cref="UsageScanner"/> looking at the bytes
/// on their way (no buffering, no copy, no delay). Its end (or its disposal before the end) finishes the request's accounting.
/// </summary>
internal sealed class UsageTapContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly UsageMeter _meter;

    public UsageTapContent(HttpContent inner, UsageMeter meter)
    {
        _inner = inner;
        _meter = meter;
        // As the upstream sent them (NonValidated): nothing is parsed only to be copied.
        foreach (var (name, values) in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync() =>
        new UsageTapStream(await _inner.ReadAsStreamAsync().ConfigureAwait(false), _meter);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new UsageTapStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _meter);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
        new UsageTapStream(_inner.ReadAsStream(cancellationToken), _meter);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var source = CreateContentReadStream(cancellationToken);
        source.CopyTo(stream);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _meter.BodyEnded(new UsageScanner(), interrupted: false);
        }

        base.Dispose(disposing);
    }
}
