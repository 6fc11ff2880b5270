using Grader.Api.Hosting;
using System.Text;
using System.Text.Json;

namespace Grader.Api.Submissions;

// Reads a submission's source from a text/plain body, JSON {"source": …}, or a multipart file.
public static class SubmissionBody
{
    public const int MaxSourceBytes = 64 * 1024;
    // Multipart framing and JSON escaping make the request somewhat larger than the source.
    public const int MaxRequestBytes = 256 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public sealed record Problem(int Status, string Title, string Detail);

    public static async Task<(string? Source, Problem? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxRequestBytes)
        {
            return (null, TooLarge());
        }
        var contentType = request.ContentType ?? "";
        byte[] sourceBytes;
        if (contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/x-csharp", StringComparison.OrdinalIgnoreCase))
        {
            var (bytes, over) = await ReadLimitedAsync(request.Body, MaxSourceBytes, cancellationToken).ConfigureAwait(false);
            if (over)
            {
                return (null, TooLarge());
            }
            sourceBytes = bytes;
        }
        else if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            var (bytes, over) = await ReadLimitedAsync(request.Body, MaxRequestBytes, cancellationToken).ConfigureAwait(false);
            if (over)
            {
                return (null, TooLarge());
            }
            string? source;
            try
            {
                using var document = JsonDocument.Parse(bytes);
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("source", out var property)
                    || property.ValueKind != JsonValueKind.String)
                {
                    return (null, new Problem(400, "Missing source", "Send a JSON object with a string property \"source\" holding your C# code, e.g. {\"source\": \"double[] Solve(...) { … }\"}."));
                }
                source = property.GetString();
            }
            catch (JsonException e)
            {
                return (null, new Problem(400, "Malformed JSON", $"The body is not valid JSON ({e.Message}). Send {{\"source\": \"…\"}} or the code itself as text/plain."));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Invalid UTF-8 bytes, or an escaped lone surrogate (\ud800) that is no text at all.
                return (null, NotUtf8());
            }
            sourceBytes = Encoding.UTF8.GetBytes(source ?? "");
            if (sourceBytes.Length > MaxSourceBytes)
            {
                return (null, TooLarge());
            }
        }
        else if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (ErrorHandling.IsUnreadableForm(e))
            {
                return (null, new Problem(400, "Malformed form", $"The multipart body could not be read ({e.Message}). Upload your .cs/.csx file as a form field named \"file\"."));
            }
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
            if (file is null)
            {
                return (null, new Problem(400, "No file", "The form holds no file. Upload your .cs/.csx file as a form field named \"file\"."));
            }
            return await ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return (null, new Problem(415, "Unsupported content type",
                $"'{(contentType.Length == 0 ? "no Content-Type" : contentType)}' is not accepted. Send the code as text/plain, as application/json {{\"source\": \"…\"}}, or as a multipart/form-data file named \"file\"."));
        }
        return Decode(sourceBytes);
    }

    // The web page's form: an uploaded file wins over the text area; browsers send an empty file part when none was chosen.
    public static async Task<(string? Source, Problem? Problem)> ReadFormAsync(IFormFile? file, string? text, CancellationToken cancellationToken) =>
        file is { Length: > 0 }
            ? await ReadFileAsync(file, cancellationToken).ConfigureAwait(false)
            : FromTextArea((text ?? "").ReplaceLineEndings("\n"));

    // A text area posts its lines with CRLF; the student typed LF.
    private static (string? Source, Problem? Problem) FromTextArea(string text) =>
        Encoding.UTF8.GetByteCount(text) > MaxSourceBytes ? (null, TooLarge()) : Decode(Encoding.UTF8.GetBytes(text));

    private static async Task<(string? Source, Problem? Problem)> ReadFileAsync(IFormFile file, CancellationToken cancellationToken)
    {
        if (file.Length > MaxSourceBytes)
        {
            return (null, TooLarge());
        }
        await using var stream = file.OpenReadStream();
        var (bytes, over) = await ReadLimitedAsync(stream, MaxSourceBytes, cancellationToken).ConfigureAwait(false);
        return over ? (null, TooLarge()) : Decode(bytes);
    }

    private static (string? Source, Problem? Problem) Decode(byte[] sourceBytes)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(sourceBytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, NotUtf8());
        }
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, new Problem(400, "Empty source", "The submission is empty. Paste your completed code (start from the starter file)."));
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return (null, new Problem(400, "Binary content", "The source contains NUL characters. Submit the .cs/.csx text file, not a compiled or archived file."));
        }
        return (text, null);
    }

    private static Problem TooLarge() =>
        new(413, "Source too large", $"A submission may be at most {MaxSourceBytes / 1024} KiB of source. Remove unused code or large data literals.");

    private static Problem NotUtf8() =>
        new(400, "Not UTF-8", "The source is not valid UTF-8 text (or, in JSON, holds an escaped lone surrogate such as \\ud800). Save the file as UTF-8 and submit it again.");

    internal static async Task<(byte[] Bytes, bool Over)> ReadLimitedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return ([], true);
            }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), false);
    }
}
