namespace ApiKeys.Pool;

/// <summary>
/// The usable keys of one lane as a circular doubly linked list over slot numbers: taking the next key,
/// adding and removing one are all O(1), so picking never slows down as the pool grows.
/// </summary>
internal sealed class KeyRing
{
    private int[] _next = new int[16];
    private int[] _prev = new int[16];
    private bool[] _in = new bool[16];
    private int _cursor = -1;

    public int Count { get; private set; }

    public bool Contains(int slot) => slot < _in.Length && _in[slot];

    /// <summary>Adds <paramref name="slot"/> at the end of the round (it is handed out after every key already in).</summary>
    public void AddLast(int slot) => Link(slot);

    /// <summary>Adds <paramref name="slot"/> so that it is handed out next.</summary>
    public void AddNext(int slot)
    {
        if (Link(slot))
        {
            _cursor = slot;
        }
    }

    public void Remove(int slot)
    {
        if (!Contains(slot))
        {
            return;
        }

        _in[slot] = false;
        Count--;
        if (Count == 0)
        {
            _cursor = -1;
            return;
        }

        int next = _next[slot], prev = _prev[slot];
        _next[prev] = next;
        _prev[next] = prev;
        if (_cursor == slot)
        {
            _cursor = next;
        }
    }

    /// <summary>Hands out the key at the cursor and moves the cursor on; -1 when empty.</summary>
    public int Take()
    {
        int slot = _cursor;
        if (slot >= 0)
        {
            _cursor = _next[slot];
        }

        return slot;
    }

    private bool Link(int slot)
    {
        EnsureCapacity(slot + 1);
        if (_in[slot])
        {
            return false;
        }

        _in[slot] = true;
        Count++;
        if (_cursor < 0)
        {
            _next[slot] = _prev[slot] = slot;
            _cursor = slot;
            return true;
        }

        // Insert just before the cursor: the end of the current round.
        int last = _prev[_cursor];
        _next[last] = slot;
        _prev[slot] = last;
        _next[slot] = _cursor;
        _prev[_cursor] = slot;
        return true;
    }

    private void EnsureCapacity(int size)
    {
        if (size <= _in.Length)
        {
            return;
        }

        int n = Math.Max(size, _in.Length * 2);
        Array.Resize(ref _next, n);
        Array.Resize(ref _prev, n);
        Array.Resize(ref _in, n);
    }
}
