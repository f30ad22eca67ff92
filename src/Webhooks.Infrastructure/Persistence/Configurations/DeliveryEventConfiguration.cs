using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Delivery;

namespace Webhooks.Infrastructure.Persistence.Configurations;

/// <summary>outbound_events as the delivery use cases read them (the intake writes them set-based, in SQL).</summary>
internal sealed class DeliveryEventConfiguration : IEntityTypeConfiguration<DeliveryEvent>
{
    public void Configure(EntityTypeBuilder<DeliveryEvent> builder)
    {
        builder.ToTable("outbound_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Data).HasColumnType("jsonb");
        builder.Ignore(e => e.Time);
        Columns.SnakeCase(builder);
    }
}
