using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Sources;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class SourceSecretConfiguration : IEntityTypeConfiguration<SourceSecret>
{
    public void Configure(EntityTypeBuilder<SourceSecret> builder)
    {
        builder.ToTable("source_secrets");
        builder.HasKey(k => k.Id);

        // Set by the aggregate: a secret EF finds new in the collection is inserted, not taken for an existing row.
        builder.Property(k => k.Id).ValueGeneratedNever();
        Columns.SnakeCase(builder);
    }
}
