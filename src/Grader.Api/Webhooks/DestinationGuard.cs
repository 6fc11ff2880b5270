using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Grader.Api.Webhooks;

// Keeps webhook deliveries out of the server's own networks (server-side request forgery):
// checked when an endpoint is registered and again on every connection, against the addresses
// the name resolves to at that moment, so a name that later points inside is still refused.
public sealed class DestinationGuard(IOptions<WebhookOptions> options)
{
    private static readonly (IPNetwork Network, string Kind)[] Internal =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private"),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (carrier NAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private"),
        (IPNetwork.Parse("192.0.0.0/24"), "a reserved"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private"),
        (IPNetwork.Parse("198.18.0.0/15"), "a reserved"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved"),
        (IPNetwork.Parse("::/128"), "an unspecified"),
        (IPNetwork.Parse("::1/128"), "a loopback"),
        (IPNetwork.Parse("64:ff9b::/96"), "a translated (NAT64)"),
        (IPNetwork.Parse("fc00::/7"), "a private"),
        (IPNetwork.Parse("fe80::/10"), "a link-local"),
        (IPNetwork.Parse("ff00::/8"), "a multicast"),
    ];

    private readonly IPNetwork[] _allowed = options.Value.AllowedPrivateNetworks.Select(n => IPNetwork.Parse(n)).ToArray();

    // Why the address may not be reached, or null when it may.
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var (network, kind) in Internal)
        {
            if (network.Contains(address))
            {
                return _allowed.Any(a => a.Contains(address)) ? null : $"{address} is {kind} address";
            }
        }
        return null;
    }

    // What is wrong with an endpoint URL, or null when it is acceptable.
    public async Task<string?> CheckUrlAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return "The URL must be an absolute https:// URL.";
        }
        if (uri.Scheme == "http" && options.Value.RequireHttps)
        {
            return "The URL must use https://: payloads carry student grades.";
        }
        if (uri.UserInfo.Length > 0)
        {
            return "The URL must not carry a user name or password; the signature authenticates the request.";
        }
        if (uri.Fragment.Length > 0)
        {
            return "The URL must not have a #fragment.";
        }
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            return $"The host '{uri.Host}' could not be resolved ({e.SocketErrorCode}).";
        }
        foreach (var address in addresses)
        {
            if (Refusal(address) is { } reason)
            {
                return $"The host '{uri.Host}' is inside a private network ({reason}); webhooks are only sent to public addresses.";
            }
        }
        return null;
    }

    // Connects only to an address the guard accepts: the handler's ConnectCallback.
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        var refusals = new List<string>();
        SocketException? failure = null;
        foreach (var address in addresses)
        {
            if (Refusal(address) is { } reason)
            {
                refusals.Add(reason);
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure = e;
            }
        }
        if (failure is not null)
        {
            throw failure;
        }
        throw new HttpRequestException($"Refused to connect: {string.Join("; ", refusals)} (server-side request forgery guard).");
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
}
