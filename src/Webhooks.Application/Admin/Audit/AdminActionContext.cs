namespace Webhooks.Application.Admin.Audit;

/// <summary>An admin action as the audit log records it: who, what, on which record, from where.</summary>
public sealed record AdminAction(string Actor, string Role, string Action, string? Target, string? ClientAddress);

/// <summary>
/// The admin action the current request performs, so that its audit row is written in the same transaction as the
/// change it records (the transaction takes it just before committing); an action that commits nothing — refused, or
/// failed — is recorded by the Api after the answer, with its status.
/// </summary>
public sealed class AdminActionContext
{
    private Func<AdminAction?>? describe;
    private bool recorded;

    /// <summary>Whether the action was recorded inside its transaction.</summary>
    public bool Recorded => recorded;

    /// <summary>How to describe the action, once the request is authenticated (evaluated when a transaction commits).</summary>
    public void Describe(Func<AdminAction?> description) => describe = description;

    /// <summary>The action to record with the transaction about to commit; null when there is none or it was recorded.</summary>
    public AdminAction? TakeForCommit()
    {
        if (recorded || describe?.Invoke() is not { } action)
        {
            return null;
        }

        recorded = true;
        return action;
    }
}
