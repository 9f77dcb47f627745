-- A login names its account by username or by email address, so no user's username may be another
-- user's email address: whoever took the other's address as a username would capture every login
-- made with that address. (One user's own username and address may be the same.) The unique indexes
-- guard each column; this guards the pair, for every writer: the API, the command line, an import
-- or plain SQL. The keys are locked for the transaction first (by bucket, in a fixed order), so
-- two transactions that would take the same identifier in the two columns wait for each other
-- instead of both passing the check. The error is a unique violation naming its own constraint, as
-- the indexes' are, so a writer tells the two cases apart. An update is checked only for the key it
-- changes: a pair that an import or an earlier version let in does not stop the user's other changes.
CREATE FUNCTION refuse_identifier_of_another_user() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- Locks are taken on one of 64 buckets of keys, not on each key: a transaction that writes many
  -- users (an import, a seed) holds at most 64 of them, where one per key would overflow
  -- PostgreSQL's lock table ("out of shared memory"). Two writers of the same key always share its
  -- bucket; writers of different keys sometimes wait for each other, for a short transaction.
  username_bucket integer := hashtext(NEW.username_key) & 63;
  email_bucket integer := coalesce(hashtext(NEW.email_key) & 63, username_bucket);
BEGIN
  PERFORM pg_advisory_xact_lock(728146014, least(username_bucket, email_bucket));
  IF email_bucket <> username_bucket THEN
    PERFORM pg_advisory_xact_lock(728146014, greatest(username_bucket, email_bucket));
  END IF;
  IF (TG_OP = 'INSERT' OR NEW.username_key IS DISTINCT FROM OLD.username_key)
     AND EXISTS (SELECT 1 FROM users WHERE email_key = NEW.username_key AND id <> NEW.id) THEN
    RAISE EXCEPTION 'the username is another user''s email address'
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'users_username_is_an_email';
  END IF;
  IF (TG_OP = 'INSERT' OR NEW.email_key IS DISTINCT FROM OLD.email_key)
     AND EXISTS (SELECT 1 FROM users WHERE username_key = NEW.email_key AND id <> NEW.id) THEN
    RAISE EXCEPTION 'the email address is another user''s username'
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'users_email_is_a_username';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_login_identifiers_distinct
  BEFORE INSERT OR UPDATE OF username_key, email_key ON users
  FOR EACH ROW EXECUTE FUNCTION refuse_identifier_of_another_user();
