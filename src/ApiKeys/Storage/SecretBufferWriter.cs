using System.Buffers;
using System.Security.Cryptography;

namespace ApiKeys.Storage;

/// <summary>
/// A growable buffer for bytes that hold secrets (the plaintext keys file): every array it used is zeroed before it goes
/// back to the pool, when it grows and when it is disposed. <see cref="ArrayBufferWriter{T}"/> leaves its old arrays to
/// the garbage collector, secrets and all.
/// </summary>
internal sealed class SecretBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly ArrayPool<byte> _pool;
    private byte[] _buffer;
    private int _written;

    public SecretBufferWriter(int initialCapacity, ArrayPool<byte>? pool = null)
    {
        _pool = pool ?? ArrayPool<byte>.Shared;
        _buffer = _pool.Rent(Math.Max(initialCapacity, 256));
    }

    /// <summary>What was written so far (valid until the next write or <see cref="Dispose"/>).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            Release(_buffer);
            _buffer = [];
        }

        _written = 0;
    }

    private void Reserve(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var bigger = _pool.Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        Release(_buffer);
        _buffer = bigger;
    }

    private void Release(byte[] array)
    {
        // The whole array: a writer may have filled past what it advanced.
        CryptographicOperations.ZeroMemory(array);
        _pool.Return(array);
    }
}
