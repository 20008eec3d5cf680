using Xunit;

namespace ApiKeys.Tests.Behaviour;

/// <summary>The suites of <see cref="KeyPoolBehaviourTests"/> run on their own, after the tests that run in parallel.</summary>
[CollectionDefinition(KeyPoolBehaviourTests.Collection, DisableParallelization = true)]
public sealed class KeyPoolBehaviourGroup;
