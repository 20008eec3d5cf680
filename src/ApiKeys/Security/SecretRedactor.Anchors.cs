using System.Collections.Frozen;

namespace ApiKeys.Security;

// The tables the search uses: what an anchor leads to, and which characters anchors are made of.
public sealed partial class SecretRedactor
{
    /// <summary>How a candidate matches from its anchor.</summary>
    private enum Match
    {
        /// <summary>The anchor is the key's start: the match runs forward along the key.</summary>
        Prefix,

        /// <summary>The anchor is the key's end: the match runs backward along the key.</summary>
        Suffix,

        /// <summary>The anchor starts a form matched whole (base64).</summary>
        Exact,
    }

    /// <summary>The characters anchors are made of: a table for ASCII, a set for the rest.</summary>
    private sealed class Alphabet
    {
        private readonly bool[] _ascii = new bool[128];
        private readonly FrozenSet<char> _other;

        public Alphabet(IEnumerable<string> anchors)
        {
            var other = new HashSet<char>();
            foreach (char c in anchors.SelectMany(a => a))
            {
                if (c < 128)
                {
                    _ascii[c] = true;
                }
                else
                {
                    other.Add(c);
                }
            }

            _other = other.ToFrozenSet();
        }

        public bool Contains(char c) => c < 128 ? _ascii[c] : _other.Count > 0 && _other.Contains(c);
    }

    /// <summary>The candidates of one anchor: the keys starting with it (in ordinal order), and the others.</summary>
    private sealed class AnchorGroup
    {
        public AnchorGroup(List<Candidate> candidates)
        {
            Prefixes = [.. candidates.Where(c => c.Kind == Match.Prefix).OrderBy(c => c.Form, StringComparer.Ordinal)];
            Others = [.. candidates.Where(c => c.Kind != Match.Prefix)];
            Longest = Prefixes.Length == 0 ? 0 : Prefixes.Max(c => c.Form.Length);
        }

        public Candidate[] Prefixes { get; }

        public Candidate[] Others { get; }

        private int Longest { get; }

        /// <summary>The index of the first key (in <see cref="Prefixes"/>) ordered after <paramref name="rest"/>: it and the one before share most of it.</summary>
        public int NextPrefix(ReadOnlySpan<char> rest)
        {
            rest = rest[..Math.Min(rest.Length, Longest)];
            int low = 0, high = Prefixes.Length;
            while (low < high)
            {
                int mid = (low + high) >>> 1;
                if (Prefixes[mid].Form.AsSpan().SequenceCompareTo(rest) <= 0)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            return low;
        }
    }

    /// <summary>A form of a secret, found through its anchor.</summary>
    private readonly record struct Candidate(string Form, string Mask, Match Kind);

    /// <summary>A range of the text that holds a secret (all of it when <paramref name="Whole"/>).</summary>
    private readonly record struct Found(int Start, int End, string Mask, bool Whole);
}
