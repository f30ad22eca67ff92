using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.Sources;

namespace Webhooks.Infrastructure.Persistence.Configurations;

internal sealed class SourceCredentialConfiguration : IEntityTypeConfiguration<SourceCredential>
{
    public void Configure(EntityTypeBuilder<SourceCredential> builder)
    {
        builder.ToTable("source_credentials");
        builder.HasKey(k => k.Id);

        // Set by the aggregate: a credential EF finds new in the collection is inserted, not taken for an existing row.
        builder.Property(k => k.Id).ValueGeneratedNever();

        // Known to EF so that replacing a credential deletes the old row before inserting the new one.
        builder.HasIndex(k => new { k.SourceName, k.Name }).IsUnique();
        Columns.SnakeCase(builder);
    }
}
