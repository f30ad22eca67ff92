-- The key ring is read and written through ASP.NET Core's EF Core store, whose key ids are 32-bit. The ring holds a
-- handful of keys; existing ids fit.
ALTER TABLE data_protection_keys ALTER COLUMN id TYPE integer;
