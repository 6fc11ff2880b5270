using Grader.Core.Grading;

namespace Grader.Core.Tests.Grading;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b[2J", @"\x1b[2J")]
    [InlineData("a\0b", @"a\x00b")]
    [InlineData("del\u007f", @"del\x7f")]
    [InlineData("c1\u0085\u009b", @"c1\x85\x9b")]
    [InlineData("line\nbreak\ttab\r", @"line\x0abreak\x09tab\x0d")]
    [InlineData("\u202aembed\u202bembed\u202coverride\u202d\u202e", @"\u202aembed\u202bembed\u202coverride\u202d\u202e")]
    [InlineData("\u2066\u2067\u2068\u2069\u200e\u200f\u061c", @"\u2066\u2067\u2068\u2069\u200e\u200f\u061c")]
    [InlineData("sep\u2028\u2029\ufeff", @"sep\u2028\u2029\ufeff")]
    public void Control_and_bidi_characters_become_visible_escapes(string input, string expected)
    {
        Assert.Equal(expected, TerminalText.Sanitize(input));
    }

    [Fact]
    public void A_lone_surrogate_becomes_a_visible_escape()
    {
        Assert.Equal(@"lone\ud800 low\udc00", TerminalText.Sanitize("lone\ud800 low\udc00"));
    }

    [Fact]
    public void Ordinary_text_accents_and_emoji_pass_unchanged()
    {
        const string text = "Score 7.5 / 10: θ = π/4, naïve café, 👍 — done";

        Assert.Equal(text, TerminalText.Sanitize(text));
    }

    [Fact]
    public void A_multi_line_text_keeps_newlines_and_tabs_but_not_a_bare_carriage_return()
    {
        Assert.Equal("one\ntwo\tcols\nthree\\x0doverwrite\n", TerminalText.Sanitize("one\r\ntwo\tcols\nthree\roverwrite\n", multiline: true));
    }

    [Fact]
    public void Long_text_is_cut_with_a_note_of_how_much_was_cut()
    {
        var result = TerminalText.Sanitize(new string('x', 10_000), maxChars: 100);

        Assert.Equal(new string('x', 100) + "… [9,900 more characters cut]", result);
    }

    [Fact]
    public void The_cap_counts_the_escapes_so_a_text_of_controls_cannot_grow_past_it()
    {
        var result = TerminalText.Sanitize(new string('\u001b', 1_000), maxChars: 40);

        Assert.StartsWith(@"\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b", result, StringComparison.Ordinal);
        Assert.EndsWith("… [990 more characters cut]", result, StringComparison.Ordinal);
    }

    [Fact]
    public void A_surrogate_pair_is_never_split_in_two_by_the_cap()
    {
        var result = TerminalText.Sanitize("ab👍cd", maxChars: 3);

        Assert.Equal("ab👍… [2 more characters cut]", result);
    }
}
