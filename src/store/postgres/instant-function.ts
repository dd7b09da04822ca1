import { sql } from "kysely";

/** Name of the SQL function that turns xsd:dateTime text into epoch milliseconds (parseDateTime). */
export const instantFunctionName = "scim_instant";

/**
 * DDL of scim_instant(text): parseDateTime (src/scim/filter/parse-date-time.ts) in PL/pgSQL, returning
 * epoch milliseconds as double precision, or NULL for text that is not an xsd:dateTime. It checks what
 * the parser checks (v_month length, leap years, 24:00:00, zone offsets up to ±14:00) and computes the
 * v_day number arithmetically in the proleptic Gregorian calendar with a v_year 0, as JavaScript's Date
 * does, instead of going through timestamp types that have no v_year 0. Fractions are truncated to
 * milliseconds through the same double-precision product as the parser, so both round alike.
 */
export const instantFunction = sql`
create function ${sql.raw(instantFunctionName)}(value text) returns double precision
language plpgsql immutable strict parallel safe as $body$
declare
  parts text[];
  v_year integer;
  v_month integer;
  v_day integer;
  v_hour integer;
  v_minute integer;
  v_second integer;
  fraction text;
  zone text;
  month_length integer;
  offset_minutes integer := 0;
  direction integer;
  shifted integer;
  era integer;
  year_of_era integer;
  day_of_year integer;
  days bigint;
begin
  parts := regexp_match(value, '^(-?[0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$');
  if parts is null then
    return null;
  end if;
  v_year := parts[1]::integer;
  v_month := parts[2]::integer;
  v_day := parts[3]::integer;
  v_hour := parts[4]::integer;
  v_minute := parts[5]::integer;
  v_second := parts[6]::integer;
  fraction := coalesce(parts[7], '');
  zone := coalesce(parts[8], 'Z');
  -- PL/pgSQL ends an IF condition at its first THEN, so the month's length is computed beforehand.
  month_length := case
    when v_month = 2 then case when (v_year % 4 = 0 and v_year % 100 <> 0) or v_year % 400 = 0 then 29 else 28 end
    when v_month in (4, 6, 9, 11) then 30
    else 31 end;
  if v_month < 1 or v_month > 12 or v_day < 1 or v_day > month_length then
    return null;
  end if;
  if v_minute > 59 or v_second > 59 or v_hour > 24 then
    return null;
  end if;
  if v_hour = 24 and (v_minute <> 0 or v_second <> 0 or fraction ~ '[1-9]') then
    return null;
  end if;
  if zone <> 'Z' then
    if substr(zone, 5, 2)::integer > 59 or substr(zone, 2, 2)::integer > 14 or (substr(zone, 2, 2)::integer = 14 and substr(zone, 5, 2)::integer > 0) then
      return null;
    end if;
    direction := case when left(zone, 1) = '-' then -1 else 1 end;
    offset_minutes := direction * (substr(zone, 2, 2)::integer * 60 + substr(zone, 5, 2)::integer);
  end if;
  -- Days from 1970-01-01 to the date (eras of 400 years; integer division truncates, hence the shift for negative years).
  shifted := case when v_month <= 2 then v_year - 1 else v_year end;
  era := (case when shifted >= 0 then shifted else shifted - 399 end) / 400;
  year_of_era := shifted - era * 400;
  day_of_year := (153 * (case when v_month > 2 then v_month - 3 else v_month + 9 end) + 2) / 5 + v_day - 1;
  days := era::bigint * 146097 + year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year - 719468;
  return days * 86400000.0 + v_hour * 3600000.0 + v_minute * 60000.0 + v_second * 1000.0
    + (case when fraction = '' then 0 else floor(('0' || fraction)::double precision * 1000) end)
    - offset_minutes * 60000.0;
end
$body$`;
