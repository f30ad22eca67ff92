using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Delivery;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<EventDelivery>
{
    public void Configure(EntityTypeBuilder<EventDelivery> builder)
    {
        builder.ToTable("deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Ignore(d => d.MessageId);
        builder.Property(d => d.Status).HasConversion(status => status.Text(), text => DeliveryStatuses.Parse(text)!.Value);
        Columns.SnakeCase(builder);
    }
}
