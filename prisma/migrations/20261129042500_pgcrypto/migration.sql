-- Exports hash each email with HMAC-SHA256 inside PostgreSQL, so COPY can stream the file
-- without a round trip through Node for every row.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
