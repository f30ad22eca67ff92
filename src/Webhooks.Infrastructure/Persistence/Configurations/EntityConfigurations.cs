using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Alerts;
using Webhooks.Domain.Audit;
using Webhooks.Domain.DeadLetters;
using Webhooks.Domain.Inbox;
using Webhooks.Domain.Jobs;
using Webhooks.Domain.Outbox;

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

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        builder.Property(k => k.FriendlyName).HasColumnName("friendly_name");
        builder.Property(k => k.Xml).HasColumnName("xml");
    }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("alerts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Severity).AsText();
        builder.Property(a => a.Status).AsText();
        Columns.SnakeCase(builder);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(e => e.Id);
        Columns.SnakeCase(builder);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Status).AsText((OutboxStatus.DeadLettered, "dead"));
        Columns.SnakeCase(builder);
    }
}

internal sealed class DeadLetterConfiguration : IEntityTypeConfiguration<DeadLetter>
{
    public void Configure(EntityTypeBuilder<DeadLetter> builder)
    {
        builder.ToTable("dead_letters");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Errors).HasColumnType("jsonb");
        builder.Property(d => d.Status).AsText();
        Columns.SnakeCase(builder);
    }
}

internal sealed class ReplayJobConfiguration : IEntityTypeConfiguration<ReplayJob>
{
    public void Configure(EntityTypeBuilder<ReplayJob> builder)
    {
        builder.ToTable("replay_jobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Filter).HasColumnType("jsonb");
        builder.Property(j => j.Status).AsText();
        Columns.SnakeCase(builder);
    }
}
