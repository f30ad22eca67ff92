using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Delivery;

namespace Webhooks.Infrastructure.Persistence.Configurations;

/// <summary>Read through EF (the logs); written in batches by the delivery recorder's SQL.</summary>
internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.ToTable("delivery_attempts");
        builder.HasKey(a => a.Id);
        Columns.SnakeCase(builder);
    }
}
