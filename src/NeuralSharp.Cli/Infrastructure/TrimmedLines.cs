using System.Text;

namespace NeuralSharp.Cli.Infrastructure;

/// <summary>
/// A writer that drops the spaces at the end of each line: Spectre pads a table's cells to their column's width, which
/// a pipe or a file keeps as trailing blanks. Spaces are held back until something else follows them on the line.
/// </summary>
internal sealed class TrimmedLines(TextWriter inner) : TextWriter
{
    private int _spaces;

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        switch (value)
        {
            case ' ':
                _spaces++;
                return;
            case '\n' or '\r':
                _spaces = 0;
                break;
            default:
                if (_spaces > 0)
                {
                    inner.Write(new string(' ', _spaces));
                    _spaces = 0;
                }

                break;
        }

        inner.Write(value);
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        foreach (char c in value ?? "")
        {
            Write(c);
        }
    }

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        for (int i = index; i < index + count; i++)
        {
            Write(buffer[i]);
        }
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();
}
