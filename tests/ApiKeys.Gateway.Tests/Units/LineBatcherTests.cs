using System.Text;
using ApiKeys.Gateway.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Gateway.Tests.Units;

/// <summary>The console log's writer: lines encoded once into one buffer, written in batches, none lost or cut.</summary>
public sealed class LineBatcherTests
{
    [Fact]
    public async Task Add_LinesWaitForTheInterval_ThenOneWriteHoldsThemAll()
    {
        var time = new FakeTimeProvider();
        var output = new RecordingStream();
        using var batcher = new LineBatcher(output, TimeSpan.FromMilliseconds(20), time);

        batcher.Add(new StringBuilder("first"));
        batcher.Add(new StringBuilder("second"));
        await output.WaitUntilWrittenAsync(() => time.Advance(TimeSpan.FromMilliseconds(20)));

        Assert.Equal(["first\nsecond\n"], output.Writes);
    }

    [Fact]
    public void Add_MultiByteTextSplitAcrossTheBuildersChunks_EncodedWhole()
    {
        var output = new MemoryStream();
        var batcher = new LineBatcher(output, TimeSpan.FromMilliseconds(1), TimeProvider.System);
        // A builder of small chunks: the emoji's surrogate pair straddles two of them.
        var line = new StringBuilder(4, 1000);
        line.Append("abc").Append("😀").Append(" é ").Append(new string('ü', 40)).Append("😀");
        Assert.True(CountChunks(line) > 1);

        batcher.Add(line);
        batcher.Dispose();

        Assert.Equal(line + "\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Add_MoreThanMayWait_EveryLineWrittenInOrder()
    {
        var output = new MemoryStream();
        var batcher = new LineBatcher(output, TimeSpan.FromMilliseconds(1), TimeProvider.System);
        string filler = new('x', 200);
        int lines = (LineBatcher.MaxPendingBytes / 200) + 5_000;

        // From another thread, past the bound: the writer drains while lines wait for room.
        await Task.Run(() =>
        {
            var line = new StringBuilder(256);
            for (int i = 0; i < lines; i++)
            {
                batcher.Add(line.Clear().Append(i).Append(' ').Append(filler));
            }
        });
        batcher.Dispose();

        string[] written = Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        Assert.Equal(lines + 1, written.Length);
        Assert.Equal("", written[^1]);
        for (int i = 0; i < lines; i++)
        {
            Assert.Equal(i + " " + filler, written[i]);
        }
    }

    [Fact]
    public void Dispose_WritesWhatIsPending_LaterLinesDropped()
    {
        var output = new MemoryStream();
        var batcher = new LineBatcher(output, TimeSpan.FromHours(1), TimeProvider.System);

        batcher.Add(new StringBuilder("kept"));
        batcher.Dispose();
        batcher.Add(new StringBuilder("after"));
        batcher.Dispose();

        Assert.Equal("kept\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    private static int CountChunks(StringBuilder builder)
    {
        int count = 0;
        foreach (var _ in builder.GetChunks())
        {
            count++;
        }

        return count;
    }

    /// <summary>Each write as text, and a signal when one happens.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        private readonly SemaphoreSlim _written = new(0);

        public List<string> Writes { get; } = [];

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (Writes)
            {
                Writes.Add(Encoding.UTF8.GetString(buffer, offset, count));
            }

            _written.Release();
        }

        /// <summary>Calls <paramref name="advance"/> until the writer has written (it may not yet wait on the clock at the first call).</summary>
        public async Task WaitUntilWrittenAsync(Action advance)
        {
            for (int i = 0; i < 500; i++)
            {
                advance();
                if (await _written.WaitAsync(TimeSpan.FromMilliseconds(10)))
                {
                    return;
                }
            }

            Assert.Fail("nothing was written");
        }
    }
}
