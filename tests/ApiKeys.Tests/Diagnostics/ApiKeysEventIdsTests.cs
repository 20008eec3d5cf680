using System.Reflection;
using ApiKeys.Diagnostics;

namespace ApiKeys.Tests.Diagnostics;

public sealed class ApiKeysEventIdsTests
{
    [Fact]
    public void EventIds_EachIdOnce()
    {
        var ids = typeof(ApiKeysEventIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (f.Name, Id: (int)f.GetRawConstantValue()!)).ToList();

        var shared = ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => string.Join(", ", g.Select(i => i.Name))).ToList();

        Assert.True(ids.Count > 20, "the table lists every package's ids");
        Assert.Empty(shared);
    }
}
