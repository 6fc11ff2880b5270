using System.Security.Cryptography;
using Grader.Api.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Grader.Api.Lti;

public sealed record PublicJwk(string Kty, string Alg, string Use, string Kid, string N, string E);

public sealed record PublicJwks(IReadOnlyList<PublicJwk> Keys);

// The tool's RS256 keys: the newest signs, every key not yet retired is published. Private keys
// are sealed with the webhook secrets' key; a rotation keeps the old key published for an overlap
// so platforms that cached our key set still verify what it signed.
public sealed class ToolKeys(NpgsqlDataSource dataSource, SecretBox secrets, IOptions<LtiOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<PublicJwks> PublishedAsync(CancellationToken cancellationToken)
    {
        await EnsureKeyAsync(cancellationToken).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand("SELECT kid, private_key FROM lti_tool_keys WHERE retire_at IS NULL OR retire_at > $1 ORDER BY created_at DESC");
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<PublicJwk>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            using var rsa = Open(reader.GetFieldValue<byte[]>(1));
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)));
            keys.Add(new PublicJwk("RSA", SecurityAlgorithms.RsaSha256, "sig", reader.GetString(0), jwk.N, jwk.E));
        }
        return new PublicJwks(keys);
    }

    // A signed JWT (RS256, kid in the header) with these claims; iat and exp are set here.
    public async Task<string> SignAsync(IDictionary<string, object> claims, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var (kid, sealed_) = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var rsa = Open(sealed_);
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });
    }

    // A new signing key; the current ones stay published until the overlap has passed.
    public async Task<string> RotateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var retire = new NpgsqlCommand("UPDATE lti_tool_keys SET retire_at = $1 WHERE retire_at IS NULL", connection, transaction))
        {
            retire.Parameters.Add(new() { Value = time.GetUtcNow() + options.Value.KeyRotationOverlap });
            await retire.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var kid = await InsertAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return kid;
    }

    private async Task<(string Kid, byte[] Sealed)> CurrentAsync(CancellationToken cancellationToken)
    {
        await EnsureKeyAsync(cancellationToken).ConfigureAwait(false);
        await using var command = dataSource.CreateCommand("SELECT kid, private_key FROM lti_tool_keys WHERE retire_at IS NULL ORDER BY created_at DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("No LTI signing key.");
        }
        return (reader.GetString(0), reader.GetFieldValue<byte[]>(1));
    }

    // The first key is made on first use; two nodes doing it at once leave two published keys, which is harmless.
    private async Task EnsureKeyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM lti_tool_keys WHERE retire_at IS NULL)", connection))
        {
            if ((bool)(await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return;
            }
        }
        await InsertAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create(2048);
        var kid = "grader-" + Guid.CreateVersion7().ToString("N");
        await using var insert = new NpgsqlCommand("INSERT INTO lti_tool_keys (kid, private_key, created_at) VALUES ($1, $2, $3)", connection, transaction);
        insert.Parameters.Add(new() { Value = kid });
        insert.Parameters.Add(new() { Value = secrets.Seal(Convert.ToBase64String(rsa.ExportPkcs8PrivateKey())) });
        insert.Parameters.Add(new() { Value = time.GetUtcNow() });
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return kid;
    }

    private RSA Open(byte[] sealed_)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(secrets.Open(sealed_)), out _);
        return rsa;
    }
}
