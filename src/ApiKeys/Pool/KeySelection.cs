namespace ApiKeys.Pool;

/// <summary>How the pool picks among usable keys.</summary>
public enum KeySelection
{
    /// <summary>Each usable key in turn (the seed's behaviour); a key coming back joins the end of the round.</summary>
    RoundRobin = 0,

    /// <summary>The key used least recently first; a key coming back from a cooldown is picked next.</summary>
    LeastRecentlyUsed = 1,
}
