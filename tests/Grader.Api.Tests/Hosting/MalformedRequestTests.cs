using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Grader.Api.Lms;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Users;
using Grader.Api.Webhooks;

namespace Grader.Api.Tests.Hosting;

/// <summary>
/// What an attacker or a broken client sends, at every endpoint that takes input: each is refused
/// with a 4xx ProblemDetails whose detail says what to fix, and nothing is stored.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class MalformedRequestTests(MalformedRequestTests.App app) : IClassFixture<MalformedRequestTests.App>
{
    public enum Caller { Anonymous, Student, Instructor, Lms, Form }

    public sealed record Case(string Name, string Method, string Path, Caller Caller, Func<App, HttpContent?> Body, HttpStatusCode Status,
        string? DetailContains = null, (string Name, string Value)[]? Headers = null);

    private const string Assignment = "malformed-hw";

    private static readonly Dictionary<string, Case> All = BuildCases().ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string> Names() => new(All.Keys);

    [Fact]
    public void The_suite_covers_at_least_a_hundred_requests() => Assert.True(All.Count >= 100, $"{All.Count} cases");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_malformed_request_is_refused_with_a_problem_and_stores_nothing(string name)
    {
        var c = All[name];
        var before = await app.FingerprintAsync();

        var response = await app.SendAsync(c);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(c.Status == response.StatusCode, $"{c.Name}: expected {(int)c.Status}, got {(int)response.StatusCode}: {body}");
        var problem = await response.AssertProblemAsync(c.Status);
        var detail = problem.Detail();
        Assert.False(string.IsNullOrWhiteSpace(problem.TryGetProperty("detail", out var d) ? d.GetString() : null), $"{c.Name}: no detail in {body}");
        if (c.DetailContains is { } expected)
        {
            // A package's problems are listed one by one beside the detail.
            Assert.Contains(expected, problem.TryGetProperty("problems", out var problems) ? problems.GetRawText() : detail, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(before, await app.FingerprintAsync());
    }

    // A %00 in the path never reaches the app: the server refuses it while decoding the request line.
    private static IEnumerable<Case> BuildCases()
    {
        const string nul = "a\\u0000b";
        const string bell = "a\\u0007b";
        const string lone = "a\\ud800b";
        var long201 = new string('x', 201);
        var invalidUtf8 = (Func<string, Func<App, HttpContent?>>)(prefix => _ => Bytes([.. Encoding.UTF8.GetBytes(prefix), 0xFF, 0xFE, .. "\"}"u8], "application/json"));
        var big = (Func<int, Func<App, HttpContent?>>)(bytes => _ => Json($"{{\"name\":\"{new string('x', bytes)}\"}}"));

        // Users.
        const string users = "/api/users";
        foreach (var (label, value, field) in new[]
        {
            ("NUL in externalId", nul, "externalId"), ("a control character in externalId", bell, "externalId"), ("a lone surrogate in externalId", lone, "externalId"),
            ("a 201-character externalId", long201, "externalId"), ("NUL in displayName", nul, "displayName"), ("a line break in displayName", "a\\nb", "displayName"),
            ("a 201-character displayName", long201, "displayName"), ("NUL in role", nul, "role"),
        })
        {
            var externalId = field == "externalId" ? value : "ok-id";
            var displayName = field == "displayName" ? value : "Ada";
            var role = field == "role" ? value : "student";
            yield return new($"POST users: {label}", "POST", users, Caller.Instructor,
                _ => Json($$"""{"externalId":"{{externalId}}","displayName":"{{displayName}}","role":"{{role}}"}"""), HttpStatusCode.BadRequest, field);
        }
        yield return new("POST users: invalid UTF-8", "POST", users, Caller.Instructor, invalidUtf8("{\"role\":\"student\",\"externalId\":\""), HttpStatusCode.BadRequest);
        yield return new("POST users: a 1 MiB displayName", "POST", users, Caller.Instructor,
            _ => Json($$"""{"externalId":"big","displayName":"{{new string('x', 1 << 20)}}","role":"student"}"""), HttpStatusCode.RequestEntityTooLarge, "KiB");
        yield return new("POST users: a 10 MB body sent chunked", "POST", users, Caller.Instructor, _ => Chunked(10_000_000), HttpStatusCode.RequestEntityTooLarge, "KiB");
        yield return new("POST users: a JSON array", "POST", users, Caller.Instructor, _ => Json("[1,2]"), HttpStatusCode.BadRequest);
        yield return new("POST users: truncated JSON", "POST", users, Caller.Instructor, _ => Json("{\"externalId\": \"x"), HttpStatusCode.BadRequest);
        yield return new("POST users: a number for externalId", "POST", users, Caller.Instructor, _ => Json("{\"externalId\": 5, \"role\":\"student\"}"), HttpStatusCode.BadRequest);
        yield return new("POST users: an empty body", "POST", users, Caller.Instructor, _ => Json(""), HttpStatusCode.BadRequest);
        yield return new("POST users: text/plain", "POST", users, Caller.Instructor, _ => new StringContent("x", Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType, "application/json");
        yield return new("POST users: an unknown role", "POST", users, Caller.Instructor, _ => Json("{\"externalId\":\"r1\",\"role\":\"admin\"}"), HttpStatusCode.BadRequest, "role");
        yield return new("PUT users: wrong method", "PUT", users, Caller.Instructor, _ => Json("{}"), HttpStatusCode.MethodNotAllowed, "PUT");
        yield return new("PUT me: wrong method", "PUT", "/api/me", Caller.Student, _ => Json("{}"), HttpStatusCode.MethodNotAllowed, "PUT");

        // Keys and sign-in links.
        foreach (var (label, value) in new[] { ("NUL", nul), ("a control character", bell), ("a lone surrogate", lone), ("201 characters", long201) })
        {
            yield return new($"POST keys: {label} in name", "POST", "/api/users/{student}/keys", Caller.Instructor, _ => Json($$"""{"name":"{{value}}"}"""), HttpStatusCode.BadRequest, "name");
        }
        yield return new("POST keys: invalid UTF-8", "POST", "/api/users/{student}/keys", Caller.Instructor, invalidUtf8("{\"name\":\""), HttpStatusCode.BadRequest);
        yield return new("POST keys: an unknown user", "POST", "/api/users/{random}/keys", Caller.Instructor, _ => Json("{\"name\":\"x\"}"), HttpStatusCode.NotFound, "no user");
        yield return new("POST keys: a user id that is no GUID", "POST", "/api/users/not-a-guid/keys", Caller.Instructor, _ => Json("{\"name\":\"x\"}"), HttpStatusCode.NotFound, "GUID");
        yield return new("GET keys: an unknown user", "GET", "/api/users/{random}/keys", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no user");
        yield return new("GET keys: a user id that is no GUID", "GET", "/api/users/12345/keys", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "GUID");
        yield return new("DELETE keys: an unknown key", "DELETE", "/api/users/{student}/keys/{random}", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "key");
        yield return new("POST sign-in link: an unknown user", "POST", "/api/users/{random}/sign-in-links", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no user");
        const string exchange = "/api/sign-in-links/exchange";
        foreach (var (label, json, field) in new[]
        {
            ("NUL in token", $$"""{"token":"{{nul}}"}""", "token"), ("a 201-character token", $$"""{"token":"{{long201}}"}""", "token"),
            ("a lone surrogate in token", $$"""{"token":"{{lone}}"}""", "token"), ("NUL in keyName", $$"""{"token":"t","keyName":"{{nul}}"}""", "keyName"),
            ("a 201-character keyName", $$"""{"token":"t","keyName":"{{long201}}"}""", "keyName"), ("no token", "{}", "token"),
        })
        {
            yield return new($"POST exchange: {label}", "POST", exchange, Caller.Anonymous, _ => Json(json), HttpStatusCode.BadRequest, field);
        }
        yield return new("POST exchange: invalid UTF-8", "POST", exchange, Caller.Anonymous, invalidUtf8("{\"token\":\""), HttpStatusCode.BadRequest);
        yield return new("POST exchange: a form body", "POST", exchange, Caller.Anonymous, _ => new FormUrlEncodedContent([new("token", "x")]), HttpStatusCode.UnsupportedMediaType);
        yield return new("POST exchange: an unknown token", "POST", exchange, Caller.Anonymous, _ => Json("{\"token\":\"nope\"}"), HttpStatusCode.BadRequest, "not valid");

        // Student submissions.
        const string submit = $"/api/assignments/{Assignment}/submissions";
        yield return new("POST submission: text/plain with invalid UTF-8", "POST", submit, Caller.Student, _ => Bytes([0x63, 0xFF, 0xFE, 0x41], "text/plain"), HttpStatusCode.BadRequest, "UTF-8");
        yield return new("POST submission: text/plain with NUL", "POST", submit, Caller.Student, _ => Bytes("int x;\0"u8.ToArray(), "text/plain"), HttpStatusCode.BadRequest, "NUL");
        yield return new("POST submission: an empty text/plain", "POST", submit, Caller.Student, _ => Bytes([], "text/plain"), HttpStatusCode.BadRequest, "empty");
        yield return new("POST submission: a lone surrogate in JSON source", "POST", submit, Caller.Student, _ => Json("""{"source":"int x; // \ud800"}"""), HttpStatusCode.BadRequest, "surrogate");
        yield return new("POST submission: NUL in JSON source", "POST", submit, Caller.Student, _ => Json("""{"source":"int x;\u0000"}"""), HttpStatusCode.BadRequest, "NUL");
        yield return new("POST submission: JSON source is a number", "POST", submit, Caller.Student, _ => Json("""{"source":42}"""), HttpStatusCode.BadRequest, "source");
        yield return new("POST submission: JSON with invalid UTF-8", "POST", submit, Caller.Student, invalidUtf8("{\"source\":\""), HttpStatusCode.BadRequest);
        yield return new("POST submission: truncated JSON", "POST", submit, Caller.Student, _ => Json("{\"source\":"), HttpStatusCode.BadRequest, "JSON");
        yield return new("POST submission: multipart without a file", "POST", submit, Caller.Student,
            _ => new MultipartFormDataContent { { new StringContent("x"), "note" } }, HttpStatusCode.BadRequest, "file");
        yield return new("POST submission: application/xml", "POST", submit, Caller.Student, _ => new StringContent("<x/>", Encoding.UTF8, "application/xml"), HttpStatusCode.UnsupportedMediaType, "text/plain");
        yield return new("POST submission: 70 KiB of source", "POST", submit, Caller.Student, _ => new StringContent(new string('x', 70 * 1024), Encoding.UTF8, "text/plain"), HttpStatusCode.RequestEntityTooLarge, "KiB");
        yield return new("POST submission: a 300 KiB JSON body", "POST", submit, Caller.Student, _ => Json($"{{\"source\":\"{new string('x', 300 * 1024)}\"}}"), HttpStatusCode.RequestEntityTooLarge, "KiB");
        yield return new("POST submission: a 1 MB body sent chunked", "POST", submit, Caller.Student, _ => Chunked(1_000_000, "text/plain"), HttpStatusCode.RequestEntityTooLarge);
        yield return new("POST submission: a control character in Idempotency-Key", "POST", submit, Caller.Student, _ => new StringContent("int x;", Encoding.UTF8, "text/plain"),
            HttpStatusCode.BadRequest, "Idempotency-Key", [("Idempotency-Key", "key\u0007")]);
        yield return new("POST submission: a 201-character Idempotency-Key", "POST", submit, Caller.Student, _ => new StringContent("int x;", Encoding.UTF8, "text/plain"),
            HttpStatusCode.BadRequest, "Idempotency-Key", [("Idempotency-Key", long201)]);
        yield return new("POST submission: non-ASCII Idempotency-Key bytes", "POST", submit, Caller.Student, _ => new StringContent("int x;", Encoding.UTF8, "text/plain"),
            HttpStatusCode.BadRequest, "Idempotency-Key", [("Idempotency-Key", "k\u0085y")]);
        yield return new("POST submission: an unknown assignment", "POST", "/api/assignments/no-such-thing/submissions", Caller.Student,
            _ => new StringContent("int x;", Encoding.UTF8, "text/plain"), HttpStatusCode.NotFound, "no published assignment");
        yield return new("POST submission: an escape character in the assignment id", "POST", "/api/assignments/a%1Bb/submissions", Caller.Student,
            _ => new StringContent("int x;", Encoding.UTF8, "text/plain"), HttpStatusCode.BadRequest, "assignmentId");
        yield return new("POST submission: a 300-character assignment id", "POST", $"/api/assignments/{new string('a', 300)}/submissions", Caller.Student,
            _ => new StringContent("int x;", Encoding.UTF8, "text/plain"), HttpStatusCode.BadRequest, "assignmentId");
        yield return new("POST submission: anonymous", "POST", submit, Caller.Anonymous, _ => new StringContent("int x;", Encoding.UTF8, "text/plain"), HttpStatusCode.Unauthorized, "API key");
        yield return new("POST submission: a malformed API key", "POST", submit, Caller.Anonymous, _ => new StringContent("int x;", Encoding.UTF8, "text/plain"),
            HttpStatusCode.Unauthorized, "API key", [("Authorization", "Bearer grd_\u00e9\u00e9\u00e9_x")]);

        // Reading submissions and assignments.
        yield return new("GET submission: an id that is no GUID", "GET", "/api/submissions/not-a-guid", Caller.Student, _ => null, HttpStatusCode.NotFound, "GUID");
        yield return new("GET submission: an unknown id", "GET", "/api/submissions/{random}", Caller.Student, _ => null, HttpStatusCode.NotFound, "no submission");
        yield return new("GET submission: wait=-1", "GET", "/api/submissions/{random}?wait=-1", Caller.Student, _ => null, HttpStatusCode.BadRequest, "wait");
        yield return new("GET submission: wait=abc", "GET", "/api/submissions/{random}?wait=abc", Caller.Student, _ => null, HttpStatusCode.BadRequest, "wait");
        yield return new("GET assignment: DEL in the id", "GET", "/api/assignments/x%7Fy", Caller.Student, _ => null, HttpStatusCode.BadRequest, "assignmentId");
        yield return new("GET assignment: a control character in the id", "GET", "/api/assignments/x%07y", Caller.Student, _ => null, HttpStatusCode.BadRequest, "assignmentId");
        yield return new("GET assignment: unknown", "GET", "/api/assignments/no-such-thing", Caller.Student, _ => null, HttpStatusCode.NotFound, "no published assignment");
        yield return new("GET starter: unknown", "GET", "/api/assignments/no-such-thing/starter", Caller.Student, _ => null, HttpStatusCode.NotFound, "no published assignment");
        yield return new("GET visible part: unknown", "GET", "/api/assignments/no-such-thing/visible", Caller.Student, _ => null, HttpStatusCode.NotFound, "no published assignment");
        yield return new("GET grade: unknown", "GET", "/api/assignments/no-such-thing/grade", Caller.Student, _ => null, HttpStatusCode.NotFound, "no published assignment");
        yield return new("GET own submissions: unknown assignment", "GET", "/api/assignments/no-such-thing/submissions", Caller.Student, _ => null, HttpStatusCode.NotFound);
        yield return new("DELETE assignments: wrong method", "DELETE", "/api/assignments", Caller.Student, _ => null, HttpStatusCode.MethodNotAllowed, "DELETE");
        yield return new("GET a path that does not exist", "GET", "/api/nothing-here", Caller.Student, _ => null, HttpStatusCode.NotFound, "Nothing answers");

        // Webhooks.
        const string hooks = "/api/instructor/webhooks";
        foreach (var (label, json, field) in new[]
        {
            ("NUL in url", $$"""{"url":"http://127.0.0.1:9/{{nul}}","eventTypes":["submission.graded"]}""", "url"),
            ("a 2,001-character url", $$"""{"url":"http://127.0.0.1:9/{{new string('x', 2001)}}","eventTypes":["submission.graded"]}""", "url"),
            ("a control character in url", $$"""{"url":"http://127.0.0.1:9/{{bell}}","eventTypes":["submission.graded"]}""", "url"),
            ("a lone surrogate in url", $$"""{"url":"http://127.0.0.1:9/{{lone}}","eventTypes":["submission.graded"]}""", "url"),
            ("NUL in description", $$"""{"url":"http://127.0.0.1:9/h","eventTypes":["submission.graded"],"description":"{{nul}}"}""", "description"),
            ("a 501-character description", $$"""{"url":"http://127.0.0.1:9/h","eventTypes":["submission.graded"],"description":"{{new string('d', 501)}}"}""", "description"),
            ("eventTypes [null]", """{"url":"http://127.0.0.1:9/h","eventTypes":[null]}""", "eventTypes"),
            ("NUL in an event type", $$"""{"url":"http://127.0.0.1:9/h","eventTypes":["{{nul}}"]}""", "eventTypes"),
            ("eventTypes []", """{"url":"http://127.0.0.1:9/h","eventTypes":[]}""", "eventTypes"),
            ("an unknown event type", """{"url":"http://127.0.0.1:9/h","eventTypes":["everything"]}""", "eventTypes"),
            ("no url", """{"eventTypes":["submission.graded"]}""", "url"),
            ("a url that is no URL", """{"url":"not a url","eventTypes":["submission.graded"]}""", "url"),
        })
        {
            yield return new($"POST webhook: {label}", "POST", hooks, Caller.Instructor, _ => Json(json), HttpStatusCode.BadRequest, field);
        }
        yield return new("POST webhook: eventTypes is a string", "POST", hooks, Caller.Instructor, _ => Json("""{"url":"http://127.0.0.1:9/h","eventTypes":"submission.graded"}"""), HttpStatusCode.BadRequest);
        yield return new("POST webhook: invalid UTF-8", "POST", hooks, Caller.Instructor, invalidUtf8("{\"eventTypes\":[\"submission.graded\"],\"url\":\""), HttpStatusCode.BadRequest);
        yield return new("POST webhook: a 100 KiB body", "POST", hooks, Caller.Instructor, big(100 * 1024), HttpStatusCode.RequestEntityTooLarge, "64 KiB");
        yield return new("POST webhook: text/plain", "POST", hooks, Caller.Instructor, _ => new StringContent("{}", Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType);
        foreach (var (label, json, field) in new[]
        {
            ("NUL in url", $$"""{"url":"http://127.0.0.1:9/{{nul}}"}""", "url"), ("a 501-character description", $$"""{"description":"{{new string('d', 501)}}"}""", "description"),
            ("eventTypes [null]", """{"eventTypes":[null]}""", "eventTypes"), ("a lone surrogate in description", $$"""{"description":"{{lone}}"}""", "description"),
            ("enabled is a string", """{"enabled":"yes"}""", "enabled"),
        })
        {
            yield return new($"PATCH webhook: {label}", "PATCH", "/api/instructor/webhooks/{webhook}", Caller.Instructor, _ => Json(json), HttpStatusCode.BadRequest, field);
        }
        yield return new("PATCH webhook: an unknown endpoint", "PATCH", "/api/instructor/webhooks/{random}", Caller.Instructor, _ => Json("{}"), HttpStatusCode.NotFound, "no webhook endpoint");
        yield return new("PATCH webhook: an id that is no GUID", "PATCH", "/api/instructor/webhooks/abc", Caller.Instructor, _ => Json("{}"), HttpStatusCode.NotFound, "GUID");
        yield return new("GET webhook: unknown", "GET", "/api/instructor/webhooks/{random}", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no webhook endpoint");
        yield return new("DELETE webhook: unknown", "DELETE", "/api/instructor/webhooks/{random}", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no webhook endpoint");
        yield return new("POST rotate webhook secret: overlapHours -1", "POST", "/api/instructor/webhooks/{webhook}/rotate-secret", Caller.Instructor, _ => Json("{\"overlapHours\":-1}"), HttpStatusCode.BadRequest, "overlapHours");
        yield return new("POST rotate webhook secret: overlapHours is text", "POST", "/api/instructor/webhooks/{webhook}/rotate-secret", Caller.Instructor, _ => Json("{\"overlapHours\":\"soon\"}"), HttpStatusCode.BadRequest);
        yield return new("POST rotate webhook secret: unknown", "POST", "/api/instructor/webhooks/{random}/rotate-secret", Caller.Instructor, _ => Json("{}"), HttpStatusCode.NotFound);
        yield return new("GET deliveries: an unknown status", "GET", "/api/instructor/webhooks/{webhook}/deliveries?status=Lost", Caller.Instructor, _ => null, HttpStatusCode.BadRequest, "status");
        yield return new("GET deliveries: NUL in status", "GET", "/api/instructor/webhooks/{webhook}/deliveries?status=a%00", Caller.Instructor, _ => null, HttpStatusCode.BadRequest, "status");
        yield return new("GET deliveries: limit 0", "GET", "/api/instructor/webhooks/{webhook}/deliveries?limit=0", Caller.Instructor, _ => null, HttpStatusCode.BadRequest, "limit");
        yield return new("GET deliveries: limit is text", "GET", "/api/instructor/webhooks/{webhook}/deliveries?limit=many", Caller.Instructor, _ => null, HttpStatusCode.BadRequest, "limit");
        yield return new("POST redeliver: unknown delivery", "POST", "/api/instructor/webhooks/{webhook}/deliveries/{random}/redeliver", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no delivery");

        // LMS integrations and signed LMS submissions.
        const string lms = "/api/instructor/lms-integrations";
        foreach (var (label, value) in new[] { ("NUL", nul), ("a lone surrogate", lone), ("201 characters", long201), ("a control character", bell), ("nothing", "") })
        {
            yield return new($"POST LMS integration: {label} in name", "POST", lms, Caller.Instructor, _ => Json($$"""{"name":"{{value}}"}"""), HttpStatusCode.BadRequest, "name");
        }
        yield return new("POST LMS integration: invalid UTF-8", "POST", lms, Caller.Instructor, invalidUtf8("{\"name\":\""), HttpStatusCode.BadRequest);
        yield return new("POST LMS integration: a 100 KiB body", "POST", lms, Caller.Instructor, big(100 * 1024), HttpStatusCode.RequestEntityTooLarge, "KiB");
        yield return new("POST LMS rotate: unknown", "POST", $"{lms}/{{random}}/rotate-secret", Caller.Instructor, _ => Json("{}"), HttpStatusCode.NotFound, "no active LMS integration");
        yield return new("DELETE LMS integration: unknown", "DELETE", $"{lms}/{{random}}", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no active LMS integration");
        const string lmsSubmit = "/api/lms/submissions";
        string LmsBody(string externalUserId = "lms-student", string displayName = "Ada", string assignmentId = Assignment, string source = "int x;") =>
            $$"""{"externalUserId":"{{externalUserId}}","displayName":"{{displayName}}","assignmentId":"{{assignmentId}}","source":"{{source}}"}""";
        foreach (var (label, json, field) in new[]
        {
            ("NUL in externalUserId", LmsBody(externalUserId: nul), "externalUserId"), ("a lone surrogate in externalUserId", LmsBody(externalUserId: lone), "externalUserId"),
            ("NUL in displayName", LmsBody(displayName: nul), "displayName"), ("a line break in displayName", LmsBody(displayName: "a\\nb"), "displayName"),
            ("a 201-character displayName", LmsBody(displayName: long201), "displayName"), ("NUL in assignmentId", LmsBody(assignmentId: nul), "assignmentId"),
            ("NUL in source", LmsBody(source: "int x;\\u0000"), "source"), ("a lone surrogate in source", LmsBody(source: "int x; // \\udc00"), "source"),
            ("an empty source", LmsBody(source: ""), "source"), ("malformed JSON", "{\"externalUserId\":", "JSON"),
        })
        {
            yield return new($"POST LMS submission: {label}", "POST", lmsSubmit, Caller.Lms, _ => Json(json), HttpStatusCode.BadRequest, field);
        }
        yield return new("POST LMS submission: invalid UTF-8", "POST", lmsSubmit, Caller.Lms, invalidUtf8("{\"externalUserId\":\""), HttpStatusCode.BadRequest);
        yield return new("POST LMS submission: unsigned", "POST", lmsSubmit, Caller.Anonymous, _ => Json(LmsBody()), HttpStatusCode.Unauthorized, "webhook-signature");
        yield return new("POST LMS submission: a 300 KiB body", "POST", lmsSubmit, Caller.Lms, _ => Json(LmsBody(source: new string('x', 300 * 1024))), HttpStatusCode.RequestEntityTooLarge, "KiB");
        yield return new("POST LMS submission: a control character in webhook-id", "POST", lmsSubmit, Caller.Lms, _ => Json(LmsBody()), HttpStatusCode.BadRequest, "webhook-id",
            [("webhook-id", "msg\u0007")]);

        // Packages.
        const string packages = "/api/instructor/assignments";
        yield return new("POST package: an entry named C:/Windows/x", "POST", packages, Caller.Instructor, _ => Zip(("C:/Windows/x", "x"u8.ToArray())), HttpStatusCode.BadRequest, "outside the package");
        yield return new("POST package: an entry name with NUL", "POST", packages, Caller.Instructor, _ => Zip(("a\0b.txt", "x"u8.ToArray())), HttpStatusCode.BadRequest, "control characters");
        yield return new("POST package: an entry named ../x", "POST", packages, Caller.Instructor, _ => Zip(("../x", "x"u8.ToArray())), HttpStatusCode.BadRequest, "outside the package");
        yield return new("POST package: a corrupt entry", "POST", packages, Caller.Instructor, _ => CorruptZip(), HttpStatusCode.BadRequest, "cannot be read");
        yield return new("POST package: not a zip", "POST", packages, Caller.Instructor, _ => Bytes("PK but not really"u8.ToArray(), "application/zip"), HttpStatusCode.BadRequest, "zip");
        yield return new("POST package: NUL in the title", "POST", packages, Caller.Instructor, _ => Package(title: "\\u0000"), HttpStatusCode.BadRequest, "title");
        yield return new("POST package: a lone surrogate in the title", "POST", packages, Caller.Instructor, _ => Package(title: "\\ud800"), HttpStatusCode.BadRequest, "surrogate");
        yield return new("POST package: a 201-character title", "POST", packages, Caller.Instructor, _ => Package(title: long201), HttpStatusCode.BadRequest, "title");
        yield return new("POST package: NUL in README.md", "POST", packages, Caller.Instructor, _ => Package(readme: "# Title\n\0\n"), HttpStatusCode.BadRequest, "README.md");
        yield return new("POST package: a form file named C:/x", "POST", packages, Caller.Instructor,
            _ => new MultipartFormDataContent { { new ByteArrayContent("x"u8.ToArray()), "file", "C:/x.txt" }, { new ByteArrayContent("y"u8.ToArray()), "file", "README.md" } }, HttpStatusCode.BadRequest, "outside the package");
        yield return new("POST package: a form without files", "POST", packages, Caller.Instructor, _ => new MultipartFormDataContent { { new StringContent("x"), "note" } }, HttpStatusCode.BadRequest, "zip");
        yield return new("POST package: text/plain", "POST", packages, Caller.Instructor, _ => new StringContent("x", Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType, "application/zip");
        yield return new("POST publish: unknown", "POST", $"{packages}/no-such-thing/publish", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no assignment");

        // Settings, regrades, gradebook.
        const string settings = $"/api/instructor/assignments/{Assignment}/settings";
        foreach (var (label, json, field) in new[]
        {
            ("NUL in scorePolicy", $$"""{"scorePolicy":"{{nul}}"}""", "scorePolicy"), ("an unknown scorePolicy", """{"scorePolicy":"worst"}""", "scorePolicy"),
            ("latePenaltyPerDay 2", """{"latePenaltyPerDay":2}""", "latePenaltyPerDay"), ("maxSubmissions 0", """{"maxSubmissions":0}""", "maxSubmissions"),
            ("dueAt before opensAt", """{"opensAt":"2030-01-02T00:00:00Z","dueAt":"2030-01-01T00:00:00Z"}""", "dueAt"),
            ("dueAt is no date", """{"dueAt":"next week"}""", "dueAt"),
        })
        {
            yield return new($"PUT settings: {label}", "PUT", settings, Caller.Instructor, _ => Json(json), HttpStatusCode.BadRequest, field);
        }
        yield return new("PUT settings: unknown assignment", "PUT", "/api/instructor/assignments/no-such-thing/settings", Caller.Instructor, _ => Json("{}"), HttpStatusCode.NotFound, "no assignment");
        yield return new("GET regrade: an unknown regrade", "GET", $"/api/instructor/assignments/{Assignment}/regrades/{{random}}", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no regrade");
        yield return new("GET regrade: an id that is no GUID", "GET", $"/api/instructor/assignments/{Assignment}/regrades/latest", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "GUID");
        yield return new("POST regrade: unknown assignment", "POST", "/api/instructor/assignments/no-such-thing/regrade", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no assignment");
        yield return new("GET gradebook: unknown assignment", "GET", "/api/instructor/assignments/no-such-thing/gradebook", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no assignment");
        yield return new("GET gradebook.csv: a control character in the id", "GET", "/api/instructor/assignments/a%01/gradebook.csv", Caller.Instructor, _ => null, HttpStatusCode.BadRequest, "assignmentId");
        yield return new("GET statistics: unknown assignment", "GET", "/api/instructor/assignments/no-such-thing/statistics", Caller.Instructor, _ => null, HttpStatusCode.NotFound, "no assignment");

        // The pages' form posts (with a valid antiforgery token, so that the fields themselves are judged).
        yield return new("POST sign-in with key: NUL in apiKey", "POST", "/session/key", Caller.Form, a => a.Form(("apiKey", "grd_\0")), HttpStatusCode.BadRequest, "apiKey");
        yield return new("POST sign-in with key: a 201-character apiKey", "POST", "/session/key", Caller.Form, a => a.Form(("apiKey", long201)), HttpStatusCode.BadRequest, "apiKey");
        yield return new("POST sign-in with key: a control character in returnUrl", "POST", "/session/key", Caller.Form, a => a.Form(("apiKey", "grd_x"), ("returnUrl", "/a\u0001")), HttpStatusCode.BadRequest, "returnUrl");
        yield return new("POST sign-in with link: NUL in token", "POST", "/session/link", Caller.Form, a => a.Form(("token", "t\0")), HttpStatusCode.BadRequest, "token");
        yield return new("POST sign-in with key: no antiforgery token", "POST", "/session/key", Caller.Anonymous, _ => new FormUrlEncodedContent([new("apiKey", "grd_x")]), HttpStatusCode.BadRequest, "forgery");
    }

    private static ByteArrayContent Bytes(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    // Raw JSON text: the escapes in it (\u0000, \ud800) reach the server as written.
    private static ByteArrayContent Json(string json) => Bytes(Encoding.UTF8.GetBytes(json), "application/json");

    // No Content-Length: the limit has to hold while the body is read.
    private static StreamContent Chunked(int bytes, string contentType = "application/json")
    {
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static ByteArrayContent Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }
        return Bytes(buffer.ToArray(), "application/zip");
    }

    // A zip whose directory is intact and whose one entry's compressed data is garbage.
    private static ByteArrayContent CorruptZip()
    {
        var zip = Zip(("README.md", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i * 7919 % 1000}\n")))))
            .ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var dataStart = 30 + BitConverter.ToUInt16(zip, 26) + BitConverter.ToUInt16(zip, 28);
        Array.Fill(zip, (byte)0xFF, dataStart + 2, 64);
        return Bytes(zip, "application/zip");
    }

    // The test package with its title prefixed (as JSON text) or its statement replaced.
    private static ByteArrayContent Package(string? title = null, string? readme = null)
    {
        var files = TestPackages.Files("api-sums");
        if (title is not null)
        {
            var text = Encoding.UTF8.GetString(files["assignment.json"]);
            files["assignment.json"] = Encoding.UTF8.GetBytes(TopTitle().Replace(text, $"$0{title}", 1));
        }
        if (readme is not null)
        {
            files["README.md"] = Encoding.UTF8.GetBytes(readme);
        }
        return TestPackages.Zip(files);
    }

    [GeneratedRegex("\"title\":\\s*\"")]
    private static partial Regex TopTitle();

    private sealed class UnknownLengthStream(int length) : Stream
    {
        private readonly int _length = length;
        private int _left = length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _length - _left; set => throw new NotSupportedException(); }
        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(count, _left);
            Array.Fill(buffer, (byte)'x', offset, n);
            _left -= n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    public sealed partial class App : GraderApp
    {
        private HttpClient _student = null!;
        private HttpClient _instructor = null!;
        private HttpClient _forms = null!;
        private string _formToken = "";
        private string _lmsSecret = "";
        private Guid _studentId;
        private Guid _webhookId;

        public App()
        {
            With("Webhooks:RequireHttps", "false");
            With("Webhooks:AllowedPrivateNetworks:0", "127.0.0.0/8");
        }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            (_instructor, _, _) = await CreateUserAsync(Grader.Api.Auth.Roles.Instructor);
            UserRow student;
            (_student, student, _) = await CreateUserAsync(Grader.Api.Auth.Roles.Student);
            _studentId = student.Id;
            await SeedAssignmentAsync(Assignment, Manifest(Assignment));
            var hook = await (await _instructor.PostAsJsonAsync("/api/instructor/webhooks", new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "submission.graded" } }))
                .ReadAsync<EndpointSecretView>(HttpStatusCode.Created);
            _webhookId = hook.Endpoint.Id;
            _lmsSecret = (await (await _instructor.PostAsJsonAsync("/api/instructor/lms-integrations", new { name = "tests" }))
                .ReadAsync<IntegrationSecretView>(HttpStatusCode.Created)).Secret;
            _forms = CreateClient();
            var signIn = await _forms.GetStringAsync("/sign-in");
            _formToken = AntiforgeryField().Match(signIn) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery field on /sign-in");
        }

        public FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
            new([new("__antiforgery", _formToken), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

        public async Task<HttpResponseMessage> SendAsync(Case c)
        {
            var path = c.Path.Replace("{student}", _studentId.ToString(), StringComparison.Ordinal)
                .Replace("{webhook}", _webhookId.ToString(), StringComparison.Ordinal)
                .Replace("{random}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), path) { Content = c.Body(this) };
            foreach (var (name, value) in c.Headers ?? [])
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    throw new InvalidOperationException($"cannot send header {name}");
                }
            }
            if (c.Caller == Caller.Lms && request.Content is { } content)
            {
                var body = await content.ReadAsByteArrayAsync();
                var messageId = request.Headers.TryGetValues(WebhookSignature.IdHeader, out var ids) ? ids.First() : $"msg_{Guid.NewGuid():N}";
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                request.Headers.Remove(WebhookSignature.IdHeader);
                request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, messageId);
                request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(WebhookSignature.KeyOf(_lmsSecret), messageId, timestamp, body));
            }
            var client = c.Caller switch
            {
                Caller.Student => _student,
                Caller.Instructor => _instructor,
                Caller.Form => _forms,
                _ => CreateClient(),
            };
            return await client.SendAsync(request);
        }

        // Everything a refused request could have written, as one value.
        public async Task<string> FingerprintAsync()
        {
            string[] tables = ["users", "api_keys", "sign_in_links", "assignments", "assignment_versions", "submissions", "grades",
                "webhook_endpoints", "webhook_deliveries", "lms_integrations", "lms_messages"];
            var parts = new List<string>();
            foreach (var table in tables)
            {
                parts.Add($"{table}:{await ScalarAsync<string>($"SELECT count(*) || '/' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t")}");
            }
            return string.Join(" ", parts);
        }

        [GeneratedRegex("name=\"__antiforgery\"\\s+value=\"([^\"]+)\"")]
        private static partial Regex AntiforgeryField();
    }
}
