using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Sources;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class SourceConfiguration : IEntityTypeConfiguration<Source>
{
    public void Configure(EntityTypeBuilder<Source> builder)
    {
        builder.ToTable("sources");
        builder.HasKey(s => s.Name);
        builder.Property(s => s.Settings).HasColumnType("jsonb");
        builder.HasMany(s => s.Secrets).WithOne().HasForeignKey(k => k.SourceName).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Secrets).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(s => s.Credentials).WithOne().HasForeignKey(k => k.SourceName).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Credentials).UsePropertyAccessMode(PropertyAccessMode.Field);
        Columns.SnakeCase(builder);
    }
}
