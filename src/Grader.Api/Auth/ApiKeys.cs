using System.Security.Cryptography;
using System.Text;

namespace Grader.Api.Auth;

// API keys look like grd_<prefix>_<secret>: the prefix finds the row, the
// secret carries 256 random bits, and only the SHA-256 of the whole key is stored.
public static class ApiKeys
{
    public sealed record NewKey(string Prefix, string Key, byte[] Hash);

    public static NewKey Generate()
    {
        var prefix = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = $"grd_{prefix}_{secret}";
        return new NewKey(prefix, key, Hash(key));
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool TryParsePrefix(string key, out string prefix)
    {
        prefix = "";
        var parts = key.Split('_', 3);
        if (parts is not ["grd", { Length: 12 } p, { Length: > 0 }])
        {
            return false;
        }
        prefix = p;
        return true;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '-');
}
