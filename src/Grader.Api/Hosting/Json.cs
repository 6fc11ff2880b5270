using System.Text.Json;

namespace Grader.Api.Hosting;

// The one set of JSON settings for what we store (JSONB) and what we send.
public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
