namespace Webhooks.Infrastructure.Messaging;

/// <summary>ConnectionStrings:RabbitMq as an AMQP URI (amqp://user:pass@host:port/vhost), taken apart.</summary>
internal sealed record BrokerAddress(string Host, int Port, string VirtualHost, string Username, string Password, bool Tls)
{
    public static BrokerAddress Parse(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
        {
            throw new FormatException("ConnectionStrings:RabbitMq must be an AMQP URI such as amqp://guest:guest@127.0.0.1:5672/.");
        }

        var credentials = parsed.UserInfo.Split(':', 2);
        var username = credentials.Length > 0 && credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : "guest";
        var password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest";
        var path = parsed.AbsolutePath.TrimStart('/');
        var tls = parsed.Scheme == "amqps";
        var port = parsed.IsDefaultPort || parsed.Port < 0 ? (tls ? 5671 : 5672) : parsed.Port;
        return new BrokerAddress(parsed.Host, port, path.Length == 0 ? "/" : Uri.UnescapeDataString(path), username, password, tls);
    }

    /// <summary>A RabbitMQ.Client factory for this address, for the gateway's own short connections (probe, topology).</summary>
    public RabbitMQ.Client.ConnectionFactory Factory(string clientName, TimeSpan timeout) => new()
    {
        HostName = Host,
        Port = Port,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
        Ssl = new RabbitMQ.Client.SslOption { Enabled = Tls, ServerName = Host },
        RequestedConnectionTimeout = timeout,
        HandshakeContinuationTimeout = timeout,
        ContinuationTimeout = timeout,
        AutomaticRecoveryEnabled = false,
        TopologyRecoveryEnabled = false,
        ClientProvidedName = clientName,
    };
}
