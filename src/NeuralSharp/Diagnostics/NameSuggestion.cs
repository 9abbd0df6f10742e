namespace NeuralSharp.Diagnostics;

/// <summary>The known name a typo most likely meant ("adma" → "adam"), for error messages that suggest one.</summary>
public static class NameSuggestion
{
    /// <summary>The known name nearest to <paramref name="typed"/> (case-insensitive), if at most two edits away; else null.</summary>
    public static string? Nearest(string typed, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(known);
        string key = typed.Trim().ToLowerInvariant();
        (string Name, int Distance) best = known.Select(name => (name, Distance(key, name))).MinBy(pair => pair.Item2);
        return best.Name is not null && best.Distance is > 0 and <= 2 ? best.Name : null;
    }

    /// <summary>The Levenshtein distance: insertions, deletions and substitutions, each one.</summary>
    internal static int Distance(string a, string b)
    {
        int[] row = [.. Enumerable.Range(0, b.Length + 1)];
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
