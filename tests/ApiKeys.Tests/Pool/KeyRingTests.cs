using ApiKeys.Pool;

namespace ApiKeys.Tests.Pool;

public class KeyRingTests
{
    [Fact]
    public void Take_AddLastAndAddNext_HandOutInExpectedOrder()
    {
        var ring = new KeyRing();
        ring.AddLast(0);
        ring.AddLast(1);
        ring.AddLast(2);

        int a = ring.Take();
        ring.Remove(a);
        int b = ring.Take();
        ring.AddNext(a);
        int c = ring.Take();

        Assert.Equal([0, 1, 0], new[] { a, b, c });
        Assert.Equal(3, ring.Count);
    }

    [Fact]
    public void Take_RoundRobin_CyclesThroughAll()
    {
        var ring = new KeyRing();
        for (int i = 0; i < 5; i++)
        {
            ring.AddLast(i);
        }

        var taken = Enumerable.Range(0, 10).Select(_ => ring.Take()).ToArray();

        Assert.Equal([0, 1, 2, 3, 4, 0, 1, 2, 3, 4], taken);
    }

    [Fact]
    public void Remove_Everything_LeavesEmptyRing()
    {
        var ring = new KeyRing();
        ring.AddLast(3);
        ring.AddLast(7);

        ring.Remove(3);
        ring.Remove(7);

        Assert.Equal(-1, ring.Take());
        Assert.Equal(0, ring.Count);
    }
}
