namespace Webhooks.Domain.DeadLetters;

public enum DeadLetterStatus
{
    Dead = 1,
    Replayed = 2,
    Archived = 3,
}
