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
            // long lines (a 100-wide weight matrix) wrap instead of being clipped behind a scroll bar
            .Append("pre{background:#f6f8fa;padding:.75rem;white-space:pre-wrap;overflow-wrap:anywhere}img{max-width:100%;border:1px solid #ddd}")
            .Append("nav ol{columns:2}")
            .Append(".q{background:#eef6ff;border-left:4px solid #2f81f7;padding:.5rem 1rem}</style></head><body>")
            .Append("<h1>").Append(labels.T("Deep Learning — the exercises, executed by NeuralSharp", "深層学習 — NeuralSharp による演習の実行")).Append("</h1>");
        List<Section> all = [.. sections];
        // a table of contents: one link per section
        html.Append("<nav><h2>").Append(labels.T("Contents", "目次")).Append("</h2><ol>");
        for (int i = 0; i < all.Count; i++)
        {
            html.Append("<li><a href=\"#s").Append(i + 1).Append("\">").Append(WebUtility.HtmlEncode(all[i].Title)).Append("</a></li>");
        }

        html.Append("</ol></nav>");
        for (int index = 0; index < all.Count; index++)
        {
            Section section = all[index];
            html.Append("<section id=\"s").Append(index + 1).Append("\"><h2>").Append(WebUtility.HtmlEncode(section.Title)).Append("</h2><p class=\"q\">")
                .Append(WebUtility.HtmlEncode(section.Question)).Append("</p>");
            var text = new StringBuilder();
            // the experiment's own heading repeats the section's title: once is enough
            foreach ((string kind, string content) in section.Items.Where((item, i) => !(i == 0 && item.Kind == "h" && item.Text == section.Title)))
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
