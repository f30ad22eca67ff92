using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Tenants;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ToTable("applications");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Ignore(t => t.IsDefault);
        builder.HasMany(t => t.Keys).WithOne().HasForeignKey(k => k.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.Keys).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(t => t.PortalLinks).WithOne().HasForeignKey(l => l.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.PortalLinks).UsePropertyAccessMode(PropertyAccessMode.Field);
        Columns.SnakeCase(builder);
    }
}
