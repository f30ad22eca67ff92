using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Inbox;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> builder)
    {
        builder.ToTable("inbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Headers)
            .HasColumnType("jsonb")
            .HasConversion(
                headers => JsonSerializer.Serialize(headers, (JsonSerializerOptions?)null),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
                new ValueComparer<IReadOnlyDictionary<string, string>>((a, b) => ReferenceEquals(a, b), headers => headers.Count, headers => headers));
        builder.Property(m => m.Status).AsText();
        Columns.SnakeCase(builder);
    }
}
