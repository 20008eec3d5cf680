using ApiKeys.Security;

namespace ApiKeys.Cli;

/// <summary>
/// Asks its source once per purpose for the whole run, so a command that opens the store and then backs it up (restore)
/// prompts once. The copies are cleared on <see cref="Dispose"/>.
/// </summary>
internal sealed class CachedPassphrase(IPassphraseProvider source) : IPassphraseProvider, IDisposable
{
    private readonly Dictionary<PassphrasePurpose, char[]> _answers = [];

    public char[] GetPassphrase(PassphrasePurpose purpose)
    {
        if (!_answers.TryGetValue(purpose, out var answer))
        {
            answer = source.GetPassphrase(purpose);
            _answers[purpose] = answer;
        }

        // The library clears what it is given: hand out a copy.
        return (char[])answer.Clone();
    }

    public void Dispose()
    {
        foreach (var answer in _answers.Values)
        {
            Array.Clear(answer);
        }

        _answers.Clear();
    }

    public override string ToString() => source.ToString() ?? "passphrase";
}
