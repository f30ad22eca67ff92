namespace Webhooks.Application.Common.Exceptions;

/// <summary>A state change an aggregate refuses (InvalidOperationException) is a conflict for the caller (409).</summary>
public static class Transitions
{
    public static void Apply(Action change)
    {
        try
        {
            change();
        }
        catch (InvalidOperationException ex)
        {
            throw new ConflictException(ex.Message);
        }
    }
}
