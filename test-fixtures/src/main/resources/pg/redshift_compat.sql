-- Redshift functions the generated SQL uses, defined for PostgreSQL so that SQL runs there with
-- the few textual rewrites RedshiftOnPostgres documents. SUPER becomes JSONB; each function below
-- follows the Redshift function's documented meaning for the values CDC records carry.

-- IS_<type>(super): the value is a JSON value of that type (integers: an integral number in range).
CREATE OR REPLACE FUNCTION is_bigint(v jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_typeof(v) = 'number' AND (v::numeric) = trunc(v::numeric)
     AND (v::numeric) BETWEEN -9223372036854775808 AND 9223372036854775807 $$;
CREATE OR REPLACE FUNCTION is_integer(v jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT is_bigint(v) AND (v::numeric) BETWEEN -2147483648 AND 2147483647 $$;
CREATE OR REPLACE FUNCTION is_smallint(v jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT is_bigint(v) AND (v::numeric) BETWEEN -32768 AND 32767 $$;
CREATE OR REPLACE FUNCTION is_boolean(v jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_typeof(v) = 'boolean' $$;
CREATE OR REPLACE FUNCTION is_varchar(v jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_typeof(v) = 'string' $$;
-- JSON_TYPEOF(super): 'number', 'string', 'boolean', 'object', 'array' or 'null' (NULL for SQL NULL).
CREATE OR REPLACE FUNCTION json_typeof(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_typeof(v) $$;
-- CAN_JSON_PARSE(text) / JSON_PARSE(text).
CREATE OR REPLACE FUNCTION can_json_parse(t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  PERFORM t::jsonb;
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END $$;
CREATE OR REPLACE FUNCTION json_parse(t text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT t::jsonb $$;
-- GETDATE(): the current timestamp, without time zone.
CREATE OR REPLACE FUNCTION getdate() RETURNS timestamp LANGUAGE sql STABLE AS $$
  SELECT localtimestamp $$;
-- DATEADD(datepart, n, value) for the day part the SQL uses (the rewrite quotes the part).
CREATE OR REPLACE FUNCTION dateadd(part text, n integer, d date) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
  SELECT d + make_interval(days => n) $$;
CREATE OR REPLACE FUNCTION dateadd(part text, n integer, d timestamp) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
  SELECT d + make_interval(days => n) $$;
-- STRTOL(text, base): the text as a number in that base. Only base 16 is used (the backfill's row
-- checksums: 15 hex digits of an MD5, so the value fits a BIGINT); another base is an error.
CREATE OR REPLACE FUNCTION strtol(s text, base integer) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF base <> 16 OR s !~ '^[0-9a-fA-F]{1,15}$' THEN
    RAISE EXCEPTION 'strtol shim: only base 16 and 1-15 hex digits, got % in base %', s, base;
  END IF;
  RETURN ('x' || lpad(s, 16, '0'))::bit(64)::bigint;
END $$;
