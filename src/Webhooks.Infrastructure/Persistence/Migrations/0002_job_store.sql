-- Once the tables of the first job scheduler; jobs now run on Hangfire, whose storage (schema "hangfire") is created
-- by Hangfire.PostgreSql itself. Databases that applied the earlier version of this step have those tables dropped
-- by 0008_jobs_on_hangfire.
SELECT 1;
