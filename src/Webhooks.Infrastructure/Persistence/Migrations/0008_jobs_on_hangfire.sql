-- Jobs run on Hangfire (schema "hangfire", created and upgraded by Hangfire.PostgreSql); the first scheduler's tables,
-- created by the earlier version of 0002, go.
DROP TABLE IF EXISTS qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_paused_job_grps, qrtz_scheduler_state, qrtz_locks,
    qrtz_simple_triggers, qrtz_simprop_triggers, qrtz_cron_triggers, qrtz_blob_triggers, qrtz_triggers,
    qrtz_job_details, qrtz_calendars, qrtz_job_status, qrtz_execution_history, qrtz_misfire_history CASCADE;
