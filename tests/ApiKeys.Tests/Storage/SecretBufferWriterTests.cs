using System.Buffers;
using System.Text;
using ApiKeys.Keys;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

/// <summary>The plaintext keys file is serialized into buffers that are all zeroed once written (and when they grow).</summary>
public class SecretBufferWriterTests
{
    [Fact]
    public void KeysFileSerialize_ManyKeys_EveryBufferZeroedAndReturned()
    {
        var pool = new RecordingPool();
        var keys = TestKeys.Many(200).Select(k => new ApiKey(k, Pools.Start)).ToList();

        string json;
        using (var buffer = KeysFile.Serialize(keys, 3, pool))
        {
            json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        Assert.Contains(TestKeys.Gemini(199), json, StringComparison.Ordinal);
        Assert.NotEmpty(pool.Rented);
        Assert.Equal(pool.Rented.Count, pool.Returned.Count);
        Assert.All(pool.Returned, array => Assert.True(array.All(b => b == 0), "a returned array still holds bytes"));
    }

    [Fact]
    public void Grow_OldArraysZeroedWhenReplaced()
    {
        var pool = new RecordingPool();
        using (var buffer = new SecretBufferWriter(16, pool))
        {
            for (int i = 0; i < 100; i++)
            {
                "AIzaSyCANARY-secret-bytes"u8.CopyTo(buffer.GetSpan(25));
                buffer.Advance(25);
            }

            Assert.True(pool.Returned.Count > 0, "the buffer grew");
            Assert.All(pool.Returned, array => Assert.True(array.All(b => b == 0), "an outgrown array still holds bytes"));
            Assert.Equal(2500, buffer.WrittenSpan.Length);
        }

        Assert.Equal(pool.Rented.Count, pool.Returned.Count);
        Assert.All(pool.Returned, array => Assert.True(array.All(b => b == 0)));
    }

    [Fact]
    public void Dispose_Twice_NoSecondReturn()
    {
        var pool = new RecordingPool();
        var buffer = new SecretBufferWriter(16, pool);
        "secret"u8.CopyTo(buffer.GetSpan(6));
        buffer.Advance(6);

        buffer.Dispose();
        buffer.Dispose();

        Assert.Single(pool.Returned);
        Assert.Throws<ObjectDisposedException>(() => buffer.GetSpan());
    }

    /// <summary>Hands out fresh arrays and keeps every array given and given back, to look at them afterwards.</summary>
    private sealed class RecordingPool : ArrayPool<byte>
    {
        public List<byte[]> Rented { get; } = [];

        public List<byte[]> Returned { get; } = [];

        public override byte[] Rent(int minimumLength)
        {
            var array = new byte[minimumLength];
            Rented.Add(array);
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false) => Returned.Add(array);
    }
}
