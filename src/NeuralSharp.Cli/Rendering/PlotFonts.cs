using ScottPlot;

namespace NeuralSharp.Cli.Rendering;

/// <summary>
/// Chooses the fonts of a plot by what its text needs: a sans face for Latin text, a CJK face (Noto Sans CJK, from
/// Debian's fonts-noto-cjk, which <c>scripts/install-fonts.sh</c> installs) when the text has Japanese in it.
/// </summary>
/// <remarks>
/// The SkiaSharp build we ship has no fontconfig, so a family name alone finds nothing and Japanese came out as boxes:
/// the font files are found on disk and registered with ScottPlot by path.
/// </remarks>
internal static class PlotFonts
{
    /// <summary>Where Linux, macOS and Windows keep fonts; a user's own folders first.</summary>
    private static readonly string[] Folders =
    [
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local/share/fonts"),
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fonts"),
        "/usr/local/share/fonts", "/usr/share/fonts", "/Library/Fonts", "/System/Library/Fonts",
        Environment.GetFolderPath(Environment.SpecialFolder.Fonts),
    ];

    private static readonly (string Family, string File)[] SansCandidates =
        [("DejaVu Sans", "DejaVuSans.ttf"), ("Liberation Sans", "LiberationSans-Regular.ttf"), ("Noto Sans", "NotoSans-Regular.ttf"), ("Arial", "arial.ttf")];

    private static readonly (string Family, string File)[] CjkCandidates =
        [("Noto Sans CJK JP", "NotoSansCJK-Regular.ttc"), ("Noto Sans CJK JP", "NotoSansCJKjp-Regular.otf"), ("Noto Sans JP", "NotoSansJP-Regular.ttf"), ("Hiragino Sans", "ヒラギノ角ゴシック W3.ttc"), ("Yu Gothic", "YuGothR.ttc")];

    private static readonly Lazy<(string? Sans, string? Cjk)> Registered = new(() => (Register(SansCandidates), Register(CjkCandidates)));

    /// <summary>True when a font with Japanese glyphs was found.</summary>
    public static bool HasJapanese => Registered.Value.Cjk is not null;

    /// <summary>True when <paramref name="text"/> holds CJK characters (kana, kanji, full-width forms).</summary>
    public static bool NeedsCjk(string? text) => text is not null && text.Any(c => c is >= '\u2E80' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' or >= '\uFF00' and <= '\uFFEF');

    /// <summary>
    /// Sets every font of <paramref name="plot"/>: the CJK face when any of <paramref name="texts"/> needs it (it has
    /// Latin letters too), else the sans face. Returns false when the text needs a CJK font that is not installed.
    /// </summary>
    public static bool Apply(Plot plot, IEnumerable<string?> texts)
    {
        (string? sans, string? cjk) = Registered.Value;
        bool japanese = texts.Any(NeedsCjk);
        string? family = japanese && cjk is not null ? cjk : sans;
        if (family is not null)
        {
            plot.Font.Set(family);
            foreach (ScottPlot.Plottables.Text text in plot.GetPlottables().OfType<ScottPlot.Plottables.Text>())
            {
                text.LabelFontName = family;
            }
        }

        return !japanese || cjk is not null;
    }

    private static string? Register((string Family, string File)[] candidates)
    {
        foreach ((string family, string file) in candidates)
        {
            string? path = Find(file);
            if (path is not null)
            {
                Fonts.AddFontFile(family, path);
                return family;
            }
        }

        return null;
    }

    private static string? Find(string file)
    {
        foreach (string folder in Folders.Where(f => f.Length > 0 && Directory.Exists(f)))
        {
            try
            {
                string? found = Directory.EnumerateFiles(folder, file, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4, IgnoreInaccessible = true }).FirstOrDefault();
                if (found is not null)
                {
                    return found;
                }
            }
            catch (IOException)
            {
                // a folder that vanishes or cannot be read holds no font for us
            }
        }

        return null;
    }
}
