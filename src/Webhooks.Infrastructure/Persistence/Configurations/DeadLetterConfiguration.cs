using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Domain.DeadLetters;

namespace Webhooks.Infrastructure.Persistence.Configurations;

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
