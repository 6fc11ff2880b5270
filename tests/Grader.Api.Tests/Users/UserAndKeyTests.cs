using System.Net;
using System.Net.Http.Json;
using Grader.Api.Auth;
using Grader.Api.Tests.Infrastructure;
using Grader.Api.Users;

namespace Grader.Api.Tests.Users;

[Collection(PostgresCollection.Name)]
public sealed class UserAndKeyTests(GraderApp app) : IClassFixture<GraderApp>
{
    [Fact]
    public async Task An_instructor_creates_a_student_and_a_key_that_works_until_revoked()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);

        var student = await (await instructor.PostAsJsonAsync("/api/users", new CreateUserRequest("s-1001", "Ada", "student"))).ReadAsync<UserView>(HttpStatusCode.Created);
        var key = await (await instructor.PostAsJsonAsync($"/api/users/{student.Id}/keys", new CreateKeyRequest("laptop"))).ReadAsync<CreatedKeyView>(HttpStatusCode.Created);
        var client = app.ClientWithKey(key.Key);
        var me = await (await client.GetAsync("/api/me")).ReadAsync<UserView>();

        Assert.Equal(("s-1001", "student"), (me.ExternalId, me.Role));
        // Stored hashed: neither the key nor its secret is in the table.
        Assert.Equal(ApiKeys.Hash(key.Key), await app.ScalarAsync<byte[]>("SELECT key_hash FROM api_keys WHERE id = $1", key.Id));
        Assert.Equal(0L, await app.ScalarAsync<long>("SELECT count(*) FROM api_keys k WHERE k::text LIKE '%' || $1 || '%'", key.Key.Split('_')[2]));
        var listed = await (await instructor.GetAsync($"/api/users/{student.Id}/keys")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(key.Key, listed, StringComparison.Ordinal);
        Assert.Contains(key.Prefix, listed, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await instructor.DeleteAsync($"/api/users/{student.Id}/keys/{key.Id}")).StatusCode);
        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Creating_users_with_bad_or_duplicate_data_is_refused()
    {
        var (instructor, _, _) = await app.CreateUserAsync(Roles.Instructor);

        var invalid = await (await instructor.PostAsJsonAsync("/api/users", new CreateUserRequest("", null, "admin"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("role", out _));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("externalId", out _));
        await instructor.PostAsJsonAsync("/api/users", new CreateUserRequest("dup-1", null, "student"));
        await (await instructor.PostAsJsonAsync("/api/users", new CreateUserRequest("dup-1", null, "student"))).AssertProblemAsync(HttpStatusCode.Conflict);
        var badJson = new StringContent("{\"externalId\": ", System.Text.Encoding.UTF8, "application/json");
        await (await instructor.PostAsync("/api/users", badJson)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await instructor.PostAsync("/api/users", new StringContent("x", System.Text.Encoding.UTF8, "text/plain"))).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await instructor.PostAsJsonAsync($"/api/users/{Guid.NewGuid()}/keys", new CreateKeyRequest("x"))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Students_cannot_manage_users()
    {
        var (student, _, _) = await app.CreateUserAsync(Roles.Student);
        await (await student.PostAsJsonAsync("/api/users", new CreateUserRequest("x", null, "instructor"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await student.GetAsync("/api/users")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
