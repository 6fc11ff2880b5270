using System.Globalization;
using System.Text;

namespace Grader.Core.Grading;

/// <summary>
/// Makes text a submission controls (console output, exception messages and names, returned
/// strings) safe to print on a terminal: a student's program must not be able to clear the
/// screen, move the cursor, recolour the report or reorder it with bidi controls.
/// </summary>
public static class TerminalText
{
    /// <summary>The cap for a single-line value (a message, a name, a value).</summary>
    public const int LineChars = 2_000;

    /// <summary>The cap for a block of text (a case's console output).</summary>
    public const int BlockChars = 8_000;

    /// <summary>
    /// C0 controls (but newline and tab when <paramref name="multiline"/>), DEL and C1 controls
    /// become <c>\x1b</c>-style escapes; bidi overrides, embeddings, isolates and marks, line and
    /// paragraph separators, the BOM and lone surrogates become <c>\u202e</c>-style escapes. Text
    /// beyond <paramref name="maxChars"/> is cut with a note of how much was cut.
    /// </summary>
    public static string Sanitize(string? text, int maxChars = LineChars, bool multiline = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var result = new StringBuilder(Math.Min(text.Length, maxChars) + 16);
        int i = 0;
        for (; i < text.Length && result.Length < maxChars; i++)
        {
            char c = text[i];
            if (multiline && c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                continue;
            }
            if (multiline && c is '\n' or '\t')
            {
                result.Append(c);
            }
            else if (c < 0x20 || c is >= '\x7f' and <= '\x9f')
            {
                result.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else if (IsInvisibleControl(c) || (char.IsSurrogate(c) && !IsPairAt(text, i)))
            {
                result.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else if (char.IsHighSurrogate(c))
            {
                result.Append(c).Append(text[++i]);
            }
            else
            {
                result.Append(c);
            }
        }
        int cut = text.Length - i;
        if (cut > 0)
        {
            result.Append(CultureInfo.InvariantCulture, $"… [{cut:N0} more characters cut]");
        }
        return result.ToString();
    }

    // Bidi controls reorder what follows them (Trojan Source); separators act as line breaks in some terminals.
    private static bool IsInvisibleControl(char c) =>
        c is '\u061c' or '\u200e' or '\u200f' or '\u2028' or '\u2029' or '\ufeff'
        || c is >= '\u202a' and <= '\u202e'
        || c is >= '\u2066' and <= '\u2069';

    private static bool IsPairAt(string text, int i) =>
        char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
}
