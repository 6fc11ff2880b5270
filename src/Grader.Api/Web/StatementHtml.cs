using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Grader.Api.Web;

// An assignment's README.md as HTML. Raw HTML in the Markdown is escaped, not passed through, and
// no extension that writes attributes is enabled, so a statement cannot carry script or style.
public sealed class StatementHtml
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().DisableHtml().UsePipeTables().UseEmphasisExtras().Build();

    public string Render(string markdown)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        var plain = renderer.ObjectRenderers.FindExact<CodeBlockRenderer>();
        if (plain is not null)
        {
            renderer.ObjectRenderers.Replace<CodeBlockRenderer>(new HighlightedCodeBlockRenderer(plain));
        }
        renderer.Render(Markdown.Parse(markdown, _pipeline));
        writer.Flush();
        return writer.ToString();
    }

    private sealed class HighlightedCodeBlockRenderer(CodeBlockRenderer plain) : HtmlObjectRenderer<CodeBlock>
    {
        protected override void Write(HtmlRenderer renderer, CodeBlock block)
        {
            if (block is not FencedCodeBlock { Info: "csharp" or "cs" or "c#" })
            {
                plain.Write(renderer, block);
                return;
            }
            renderer.EnsureLine();
            renderer.Write("<pre><code class=\"language-csharp\">");
            foreach (var span in CSharpHighlighter.Spans(block.Lines.ToString()))
            {
                if (span.Kind is null)
                {
                    renderer.WriteEscape(span.Text);
                }
                else
                {
                    renderer.Write("<span class=\"tok-").Write(span.Kind).Write("\">").WriteEscape(span.Text).Write("</span>");
                }
            }
            renderer.WriteLine("</code></pre>");
        }
    }
}
