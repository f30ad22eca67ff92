namespace Webhooks.Application.Common.Abstractions;

/// <summary>Encrypts a source's signing secret before it is stored; it never comes back out, only its hint.</summary>
public interface ISourceProtector
{
    string Protect(string secret);
}
