using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Jobs;

namespace Webhooks.Infrastructure.Persistence.Configurations;

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
