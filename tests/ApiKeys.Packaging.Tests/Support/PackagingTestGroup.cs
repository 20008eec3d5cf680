namespace ApiKeys.Packaging.Tests.Support;

/// <summary>The packaging tests share one pack (<see cref="PackedRelease"/>) and run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class PackagingTestGroup : ICollectionFixture<PackedRelease>
{
    public const string Name = "packaging";
}
