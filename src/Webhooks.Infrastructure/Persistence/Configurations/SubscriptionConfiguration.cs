using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Delivery;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.ToTable("subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Headers).HasColumnType("jsonb");
        builder.Property(s => s.Filter).HasColumnType("jsonb");
        builder.HasMany(s => s.Secrets).WithOne().HasForeignKey(k => k.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Secrets).UsePropertyAccessMode(PropertyAccessMode.Field);
        Columns.SnakeCase(builder);
    }
}
