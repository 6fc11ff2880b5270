using System.Security.Cryptography;
using System.Text;
using Grader.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Grader.Api.Webhooks;

// Encrypts webhook and integration secrets at rest (AES-256-GCM). The key comes from
// Webhooks:EncryptionKey, or is generated once into the data folder (0600) for a single node.
public sealed class SecretBox
{
    private const byte Version = 1;
    private readonly byte[] _key;

    public SecretBox(IOptions<WebhookOptions> options, IOptions<GraderOptions> grader, IHostEnvironment environment)
    {
        _key = options.Value.EncryptionKey is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : LoadOrCreate(Path.Combine(grader.Value.ResolveDataDirectory(environment.ContentRootPath), "webhook-encryption.key"));
    }

    public byte[] Seal(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealed_ = new byte[1 + 12 + 16 + plain.Length];
        sealed_[0] = Version;
        var nonce = sealed_.AsSpan(1, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plain, sealed_.AsSpan(29), sealed_.AsSpan(13, 16));
        return sealed_;
    }

    public string Open(byte[] sealed_)
    {
        if (sealed_.Length < 29 || sealed_[0] != Version)
        {
            throw new CryptographicException("Not a sealed secret.");
        }
        var plain = new byte[sealed_.Length - 29];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(sealed_.AsSpan(1, 12), sealed_.AsSpan(29), sealed_.AsSpan(13, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        // Written aside and moved into place, so a node sharing the folder never reads half a key.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, "");
        PrivateFiles.Restrict(temporary);
        File.WriteAllText(temporary, Convert.ToBase64String(key) + "\n");
        try
        {
            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}
