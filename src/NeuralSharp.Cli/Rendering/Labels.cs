using NeuralSharp.Diagnostics;

namespace NeuralSharp.Cli.Rendering;

/// <summary>The words the course prints, in English or in the course's Japanese (<c>--lang ja</c>).</summary>
internal sealed class Labels
{
    private readonly bool _japanese;

    public Labels(string language)
    {
        _japanese = language.Trim().ToLowerInvariant() switch
        {
            "ja" => true,
            "en" => false,
            _ => throw new Infrastructure.UsageException($"--lang: '{language}' is not a language; use en or ja."),
        };
    }

    public bool Japanese => _japanese;

    /// <summary>The label of a traced quantity, numbered by layer where it has one: 総入力1, total input 1.</summary>
    public string Of(TraceEntry<double> entry)
    {
        // a recurrent layer's quantities carry their step: h1_t3 is the state of layer 1 after step 3
        int at = entry.Label.IndexOf("_t", StringComparison.Ordinal);
        string number = new([.. (at < 0 ? entry.Label : entry.Label[..at]).Where(char.IsDigit)]), step = at < 0 ? "" : entry.Label[(at + 2)..];
        string gate = new([.. entry.Label.TakeWhile(char.IsLetter)]);
        string word = entry.Quantity switch
        {
            TraceQuantity.State => T("state h", "状態h"),
            TraceQuantity.Gate => T($"gate {gate}", $"ゲート{gate}"),
            TraceQuantity.CellState => T("cell state c", "セル状態c"),
            TraceQuantity.Input => T("input x", "入力"),
            TraceQuantity.Weights => T("weights W", "重み"),
            TraceQuantity.Bias => T("bias b", "バイアス"),
            TraceQuantity.TotalInput => T("total input u", "総入力"),
            TraceQuantity.HiddenOutput => T("hidden layer output z", "中間層出力"),
            TraceQuantity.Output => T("output y", "出力"),
            TraceQuantity.Target => T("training data d", "訓練データ"),
            TraceQuantity.Loss => T("error E", "誤差"),
            TraceQuantity.Delta => T("delta = dE/du", "偏微分_dE/du"),
            TraceQuantity.WeightGradient => T("dE/dW", "偏微分_重み"),
            _ => T("dE/db", "偏微分_バイアス"),
        };
        string numbered = number.Length == 0 ? word : word + number;
        return step.Length == 0 ? numbered : T($"{numbered}, t = {step}", $"{numbered}（時刻{step}）");
    }

    /// <summary>An axis or legend word of the plots, in the chosen language (the English word when it has no entry).</summary>
    public string Axis(string english) => _japanese && AxisWords.TryGetValue(english, out string? japanese) ? japanese : english;

    private static readonly Dictionary<string, string> AxisWords = new(StringComparer.Ordinal)
    {
        ["step"] = "ステップ",
        ["loss"] = "誤差",
        ["accuracy"] = "正解率",
        ["samples seen"] = "見たデータ数",
        ["count"] = "度数",
        ["train"] = "訓練",
        ["test"] = "テスト",
        ["epoch"] = "エポック",
        ["layer"] = "層",
    };

    /// <summary>English or Japanese.</summary>
    public string T(string english, string japanese) => _japanese ? japanese : english;
}
