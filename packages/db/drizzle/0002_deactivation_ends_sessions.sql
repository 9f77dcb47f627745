-- Deactivating a user deletes every session of theirs (ARCHITECTURE.md, as Django's admin does by
-- logging them out), whatever deactivates them: the API, the command line, the admin or plain SQL.
-- Their sessions already stop working at once (validation reads is_active); without this they came
-- back to life when the user was reactivated.
CREATE FUNCTION end_sessions_of_deactivated_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM sessions WHERE user_id = NEW.id;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_deactivated_end_sessions
  AFTER UPDATE OF is_active ON users
  FOR EACH ROW WHEN (OLD.is_active AND NOT NEW.is_active)
  EXECUTE FUNCTION end_sessions_of_deactivated_user();
