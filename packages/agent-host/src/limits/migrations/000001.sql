-- RateLimiterPostgres's own table shape (the library queries it as is); the rows are throwaway counters.
CREATE TABLE IF NOT EXISTS rate_limit (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint);
