using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Grader.Api.Users;

public abstract record SignInOutcome
{
    public sealed record SignedIn(UserRow User) : SignInOutcome;
    public sealed record Unknown : SignInOutcome;
    public sealed record AlreadyUsed : SignInOutcome;
    public sealed record Expired : SignInOutcome;
    public sealed record Revoked : SignInOutcome;
}

public sealed record SignInLinkRow(Guid Id, Guid UserId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

// A link's token carries 256 random bits and is shown once; the table keeps only its SHA-256.
public sealed class SignInLinkStore(NpgsqlDataSource dataSource, UserStore users, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3);

    public async Task<(SignInLinkRow Row, string Token)> CreateAsync(Guid userId, CancellationToken cancellationToken)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var row = new SignInLinkRow(Guid.CreateVersion7(), userId, now, now + Lifetime);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO sign_in_links (id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new() { Value = row.Id });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = Hash(token) });
        command.Parameters.Add(new() { Value = row.CreatedAt });
        command.Parameters.Add(new() { Value = row.ExpiresAt });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (row, token);
    }

    // One UPDATE marks the link used, so two requests racing with the same token cannot both sign in.
    public async Task<SignInOutcome> ConsumeAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length is 0 or > 100)
        {
            return new SignInOutcome.Unknown();
        }
        var hash = Hash(token);
        var now = time.GetUtcNow();
        Guid? userId;
        await using (var consume = dataSource.CreateCommand(
            "UPDATE sign_in_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 RETURNING user_id"))
        {
            consume.Parameters.Add(new() { Value = hash });
            consume.Parameters.Add(new() { Value = now });
            userId = (Guid?)await consume.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        if (userId is { } id)
        {
            return await users.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } user
                ? new SignInOutcome.SignedIn(user)
                : new SignInOutcome.Unknown();
        }
        await using var find = dataSource.CreateCommand(
            "SELECT CASE WHEN used_at IS NOT NULL THEN 'used' WHEN revoked_at IS NOT NULL THEN 'revoked' ELSE 'expired' END FROM sign_in_links WHERE token_hash = $1");
        find.Parameters.Add(new() { Value = hash });
        return await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) switch
        {
            "used" => new SignInOutcome.AlreadyUsed(),
            "revoked" => new SignInOutcome.Revoked(),
            "expired" => new SignInOutcome.Expired(),
            _ => new SignInOutcome.Unknown(),
        };
    }

    // Links not yet used, withdrawn or expired: the ones an instructor may still withdraw.
    public async Task<IReadOnlyList<SignInLinkRow>> ListOpenAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, user_id, created_at, expires_at FROM sign_in_links
            WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
            ORDER BY created_at
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var links = new List<SignInLinkRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            links.Add(new SignInLinkRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return links;
    }

    // False when the user has no such link still open.
    public async Task<bool> RevokeAsync(Guid userId, Guid linkId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE sign_in_links SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND used_at IS NULL AND revoked_at IS NULL");
        command.Parameters.Add(new() { Value = linkId });
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
