using System.Net;
using System.Text;
using NeuralSharp.Serialization;

namespace NeuralSharp.Cli.Rendering;

/// <summary>One self-contained HTML page (plots embedded as data URIs): the course's Part 1, executed.</summary>
internal static class HtmlReport
{
    public sealed record Section(string Title, string Question, IReadOnlyList<(string Kind, string Text)> Items);

    public static string Write(string path, Labels labels, IEnumerable<Section> sections)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"").Append(labels.Japanese ? "ja" : "en").Append("\"><head><meta charset=\"utf-8\">")
            .Append("<title>NeuralSharp — Deep Learning, Part 1</title><style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}")
            .Append("pre{background:#f6f8fa;padding:.75rem;overflow-x:auto}img{max-width:100%;border:1px solid #ddd}")
            .Append(".q{background:#eef6ff;border-left:4px solid #2f81f7;padding:.5rem 1rem}</style></head><body>")
            .Append("<h1>").Append(labels.T("Deep Learning, Part 1 — the exercises, executed by NeuralSharp", "深層学習 前編 — NeuralSharp による演習の実行")).Append("</h1>");
        foreach (Section section in sections)
        {
            html.Append("<section><h2>").Append(WebUtility.HtmlEncode(section.Title)).Append("</h2><p class=\"q\">")
                .Append(WebUtility.HtmlEncode(section.Question)).Append("</p>");
            var text = new StringBuilder();
            foreach ((string kind, string content) in section.Items)
            {
                if (kind == "p")
                {
                    text.AppendLine(content);
                    continue;
                }

                Flush(html, text);
                if (kind == "h")
                {
                    html.Append("<h3>").Append(WebUtility.HtmlEncode(content)).Append("</h3>");
                }
                else
                {
                    string[] parts = content.Split('\n', 2);
                    html.Append("<figure><img alt=\"").Append(WebUtility.HtmlEncode(parts[1])).Append("\" src=\"data:image/png;base64,")
                        .Append(Convert.ToBase64String(File.ReadAllBytes(parts[0]))).Append("\"><figcaption>")
                        .Append(WebUtility.HtmlEncode(parts[1])).Append("</figcaption></figure>");
                }
            }

            Flush(html, text);
            html.Append("</section>");
        }

        html.Append("</body></html>");
        AtomicFile.WriteText(path, html.ToString());
        return path;
    }

    private static void Flush(StringBuilder html, StringBuilder text)
    {
        if (text.Length > 0)
        {
            html.Append("<pre>").Append(WebUtility.HtmlEncode(text.ToString())).Append("</pre>");
            text.Clear();
        }
    }
}
